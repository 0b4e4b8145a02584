"""Three citizens report a proposal in the chat, each saying why; it is hidden until staff
restore it, and the moderation queue shows the reasons."""

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.models import Proposal
from storage.staff import Role
from tests.auxil.factories import make_proposal, make_staff
from tests.fake_telegram.server import FakeTelegram, SimCitizen


async def open_newest(citizen: SimCitizen) -> dict:
    await citizen.say("안녕")
    await citizen.reply()
    for label in ("한국어", "보통으로", "동의하지 않습니다", "📋 제안 둘러보기", "🆕 최신순"):
        await citizen.tap(label)
        shown = await citizen.reply()
    return shown


async def test_three_reports_with_reasons_hide_a_proposal_until_staff_restore_it(
    fake: FakeTelegram,
    api: httpx.AsyncClient,
    db: Engine,
) -> None:
    proposal_id = make_proposal(db, title="광고 글입니다 연락 주세요")
    _, token = make_staff(db, role=Role.STAFF)
    staff = {"Authorization": f"Bearer {token}"}
    changed_mind = fake.citizen(7000)
    await open_newest(changed_mind)
    await changed_mind.tap("1. 광고 글입니다 연락 주세요")
    await changed_mind.reply()
    await changed_mind.tap("🚩 신고하기")
    asked = await changed_mind.reply()
    assert "왜 신고하시나요" in asked["text"]
    await changed_mind.tap("신고 안 할래요")
    assert "광고 글입니다" in (await changed_mind.reply())["text"]
    assert (await api.get("/api/v1/reports", headers=staff)).json() == []

    for user, reason in ((7001, "광고·도배"), (7002, "광고·도배"), (7003, "기타")):
        citizen = fake.citizen(user)
        listing = await open_newest(citizen)
        assert "광고 글입니다" in listing["text"]
        await citizen.tap("1. 광고 글입니다 연락 주세요")
        await citizen.reply()
        await citizen.tap("🚩 신고하기")
        await citizen.reply()
        await citizen.tap(reason)
        assert "신고를 접수했어요" in (await citizen.reply())["text"]
    with Session(db) as session:
        assert session.exec(select(Proposal.hidden)).one() is True
    queue = (await api.get("/api/v1/reports", headers=staff)).json()
    assert [(i["kind"], i["item_id"], i["reports"], i["hidden"]) for i in queue] == [
        ("proposal", proposal_id, 3, True)
    ]
    assert queue[0]["reasons"] == {"advert": 2, "other": 1}

    late = fake.citizen(7004)
    empty = await open_newest(late)
    assert "이 목록에는 아직 제안이 없어요" in empty["text"]

    restored = await api.post(f"/api/v1/proposals/{proposal_id}/restore", headers=staff)
    assert restored.status_code == 200 and restored.json()["hidden"] is False
    again = fake.citizen(7005)
    assert "광고 글입니다" in (await open_newest(again))["text"]
