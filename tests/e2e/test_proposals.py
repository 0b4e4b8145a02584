"""Proposing through Telegram: receipts, look-alikes offered right after the title and again
with the text, supports once."""

import asyncio

from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.models import Proposal, ProposalComment, ProposalSupport
from tests.fake_telegram.server import FakeTelegram, SimCitizen


async def start_proposing(citizen: SimCitizen) -> None:
    await citizen.say("안녕")
    await citizen.reply()
    for answer in ("한국어", "보통으로"):
        await citizen.tap(answer)
        await citizen.reply()
    await citizen.tap("동의하지 않습니다")
    await citizen.reply()
    await citizen.tap("📝 정책 제안하기")
    assert "제목" in (await citizen.reply())["text"]


async def propose(citizen: SimCitizen, title: str, body: str) -> dict:
    await start_proposing(citizen)
    for text in (title, body, "교통", "건너뛰기"):
        await citizen.say(text)
        reply = await citizen.reply()
    return reply


async def test_a_proposal_is_filed_with_a_receipt_and_personal_data_masked(
    fake: FakeTelegram, service: str, db: Engine
) -> None:
    jin = fake.citizen(5001)
    summary = await propose(
        jin, "매탄동 버스정류장 그늘막 설치", "여름에 너무 더워요. 연락 010-1234-5678"
    )
    assert "이대로 제출할까요" in summary["text"]
    await jin.tap("✅ 제출하기")
    filed = await jin.reply()
    with Session(db) as session:
        proposal = session.exec(select(Proposal)).one()
    assert f"P-{proposal.id:06d}" in filed["text"]
    assert proposal.body == "여름에 너무 더워요. 연락 ***-****-****"
    assert (proposal.category, proposal.dong, proposal.status) == ("transport", None, "submitted")


async def test_a_look_alike_is_offered_and_supported_once_despite_a_double_tap(
    fake: FakeTelegram, service: str, db: Engine
) -> None:
    first = fake.citizen(5002)
    await propose(first, "매탄동 버스정류장에 그늘막 설치", "여름에 버스 기다리기가 너무 더워요")
    await first.tap("✅ 제출하기")
    await first.reply()

    second = fake.citizen(5003)
    await start_proposing(second)
    await second.say("정류장에 햇빛 가리개 좀 놔 주세요")
    offer = await second.reply()
    assert "비슷한 제안이 이미 있어요" in offer["text"] and "(공감 0)" in offer["text"]
    await asyncio.gather(
        second.tap("👍 1번에 공감", message=offer), second.tap("👍 1번에 공감", message=offer)
    )
    assert "공감했어요" in (await second.reply())["text"]
    assert await second.quiet(0.5)
    with Session(db) as session:
        proposal = session.exec(select(Proposal)).one()
        assert proposal.support_count == 1
        assert len(session.exec(select(ProposalSupport)).all()) == 1


async def test_adding_my_text_as_a_comment_keeps_one_proposal(
    fake: FakeTelegram, service: str, db: Engine
) -> None:
    first = fake.citizen(5004)
    await propose(first, "광교호수공원 자전거 대여소 확충", "주말마다 자전거가 모자라요")
    await first.tap("✅ 제출하기")
    await first.reply()
    second = fake.citizen(5005)
    await start_proposing(second)
    await second.say("광교 호수공원에 자전거 대여소 늘려주세요")
    assert "비슷한 제안이 이미 있어요" in (await second.reply())["text"]
    await second.tap("✍️ 계속 쓰기")
    await second.reply()
    await second.say("대여소가 너무 적어요")
    offer = await second.reply()
    await second.tap("💬 1번에 내 글 달기", message=offer)
    assert "의견으로 남겼어요" in (await second.reply())["text"]
    with Session(db) as session:
        assert len(session.exec(select(Proposal)).all()) == 1
        assert session.exec(select(ProposalComment.body)).one() == "대여소가 너무 적어요"
