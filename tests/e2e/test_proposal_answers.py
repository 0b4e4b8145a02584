"""Staff answer a proposal over HTTP; its author and supporters hear it in their own language."""

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.models import AuditLog, Proposal
from storage.staff import Role
from tests.auxil.factories import make_staff
from tests.e2e.test_proposals import propose
from tests.fake_telegram.server import FakeTelegram


async def test_an_official_answer_reaches_author_and_supporters_in_their_language(
    fake: FakeTelegram, api: httpx.AsyncClient, db: Engine
) -> None:
    author = fake.citizen(6001)
    await propose(author, "인계동 공원 화장실 개선", "공원 화장실이 너무 낡았어요")
    await author.tap("✅ 제출하기")
    await author.reply()
    supporter = fake.citizen(6002, language_code="en")
    await supporter.say("hi")
    await supporter.reply()
    for label in ("English (영어)", "Normal", "I do not agree"):
        await supporter.tap(label)
        await supporter.reply()
    await supporter.tap("📝 Propose")
    await supporter.reply()
    await supporter.say("인계동 공원 화장실 개선해 주세요")
    offer = await supporter.reply()  # the look-alike, right after the title
    await supporter.tap("👍 Support 1", message=offer)
    await supporter.reply()

    _, token = make_staff(db, role=Role.STAFF)
    headers = {"Authorization": f"Bearer {token}"}
    with Session(db) as session:
        proposal_id = session.exec(select(Proposal.id)).one()
    listed = (await api.get("/api/v1/proposals", headers=headers)).json()
    assert listed["total"] == 1 and listed["items"][0]["support_count"] == 1
    answered = await api.post(
        f"/api/v1/proposals/{proposal_id}/status",
        json={"status": "accepted", "answer": "올해 안에 화장실을 새로 고치겠습니다."},
        headers=headers,
    )
    assert answered.status_code == 200 and answered.json()["status"] == "accepted"

    korean = await author.reply(timeout=10)
    assert "'수용'으로 바뀌었어요" in korean["text"] and "새로 고치겠습니다" in korean["text"]
    assert author.buttons(korean) == ["📋 제안 자세히 보기"]  # every status message acts
    await author.tap("📋 제안 자세히 보기", korean)
    assert "어떤 제안을 볼까요" in (await author.reply())["text"]
    english = await supporter.reply(timeout=10)
    assert "is now: accepted" in english["text"] and "The city's answer" in english["text"]
    with Session(db) as session:
        entry = session.exec(select(AuditLog).where(AuditLog.action == "proposal.status")).one()
    assert entry.detail["followers_told"] == 2


async def test_bad_status_changes_are_refused_with_a_reason(
    fake: FakeTelegram, api: httpx.AsyncClient, db: Engine
) -> None:
    _, token = make_staff(db, role=Role.STAFF)
    _, worker = make_staff(db, role=Role.CARE_WORKER, name="돌봄")
    headers = {"Authorization": f"Bearer {token}"}
    author = fake.citizen(6003)
    await propose(author, "세류동 가로등 교체", "밤길이 너무 어두워요")
    await author.tap("✅ 제출하기")
    await author.reply()
    with Session(db) as session:
        proposal_id = session.exec(select(Proposal.id)).one()
    url = f"/api/v1/proposals/{proposal_id}/status"
    no_answer = await api.post(url, json={"status": "accepted"}, headers=headers)
    unknown = await api.post(url, json={"status": "done", "answer": "x"}, headers=headers)
    missing = await api.post(
        "/api/v1/proposals/999999/status", json={"status": "under_review"}, headers=headers
    )
    not_allowed = await api.post(
        url, json={"status": "under_review"}, headers={"Authorization": f"Bearer {worker}"}
    )
    assert [r.status_code for r in (no_answer, unknown, missing, not_allowed)] == [
        422,
        422,
        404,
        403,
    ]
    assert "answer" in str(no_answer.json()["details"])
    assert await author.quiet(1.5)
    with Session(db) as session:
        assert session.exec(select(Proposal.status)).one() == "submitted"
