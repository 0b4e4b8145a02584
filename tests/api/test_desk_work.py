"""Staff work on proposals beside answering: a department's queue with due days, private
notes, who was told, and blocking a citizen who abuses the channel."""

from datetime import date, timedelta

import httpx
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from storage import proposals, state
from storage.models import AuditLog, OutboxMessage
from storage.staff import Role
from tests.auxil.factories import make_citizen, make_proposal, make_staff
from tests.auxil.service import sealer_for_tests


def auth(db: Engine, *, department: str = "", role: Role = Role.STAFF) -> dict[str, str]:
    token = make_staff(db, role=role, name="박주무관", department=department)[1]
    return {"Authorization": f"Bearer {token}"}


def actions(db: Engine) -> list[str]:
    with Session(db) as session:
        return list(session.exec(select(AuditLog.action).order_by(AuditLog.id)))


async def test_an_assigned_proposal_waits_in_its_departments_queue_until_its_due_day(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db, department="도로과")
    road = make_proposal(db, title="가로등 고장")
    make_proposal(db, title="도서관 야간 개방")
    due = (date.today() + timedelta(days=14)).isoformat()
    assigned = await api.post(
        f"/api/v1/proposals/{road}/assign",
        json={"department": "도로과", "due_on": due},
        headers=headers,
    )
    assert assigned.status_code == 200
    assert (assigned.json()["department"], assigned.json()["due_on"]) == ("도로과", due)
    queue = (await api.get("/api/v1/proposals?department=도로과", headers=headers)).json()
    assert [p["title"] for p in queue["items"]] == ["가로등 고장"]
    taken_back = await api.post(
        f"/api/v1/proposals/{road}/assign", json={"department": None}, headers=headers
    )
    assert taken_back.json()["department"] is None and taken_back.json()["due_on"] is None
    assert actions(db)[-2:] == ["proposal.assign", "proposal.unassign"]


async def test_assigning_to_nobodys_department_or_a_past_day_is_refused_and_changes_nothing(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db, department="도로과")
    road = make_proposal(db)
    unknown = await api.post(
        f"/api/v1/proposals/{road}/assign", json={"department": "없는과"}, headers=headers
    )
    assert unknown.status_code == 400
    assert unknown.json()["reason"] == "no active staff work in that department"
    yesterday = (date.today() - timedelta(days=2)).isoformat()
    past = await api.post(
        f"/api/v1/proposals/{road}/assign",
        json={"department": "도로과", "due_on": yesterday},
        headers=headers,
    )
    assert past.status_code == 400 and "due day has passed" in past.json()["reason"]
    with db.begin() as connection:
        row = proposals.get(connection, road)
    assert row is not None and row.department is None and row.due_on is None


async def test_private_notes_are_sealed_logged_and_read_by_staff_only(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db)
    road = make_proposal(db)
    added = await api.post(
        f"/api/v1/proposals/{road}/notes",
        json={"text": "현장 확인 예정, 민원인 010-1234-5678"},
        headers=headers,
    )
    assert added.status_code == 201
    assert [(n["author"], n["text"]) for n in added.json()] == [
        ("박주무관", "현장 확인 예정, 민원인 010-1234-5678")
    ]
    listed = (await api.get(f"/api/v1/proposals/{road}/notes", headers=headers)).json()
    assert len(listed) == 1
    with db.begin() as connection:
        stored = connection.execute(text("SELECT sealed_body FROM proposal_note")).scalar_one()
    assert "010-1234-5678" not in stored and "현장" not in stored
    blank = await api.post(
        f"/api/v1/proposals/{road}/notes", json={"text": "   "}, headers=headers
    )
    assert blank.status_code == 400 and blank.json()["reason"] == "the note is empty"
    care_worker = auth(db, role=Role.CARE_WORKER)
    refused = await api.get(f"/api/v1/proposals/{road}/notes", headers=care_worker)
    assert refused.status_code == 403
    assert actions(db).count("proposal.note") == 1
    detail = (await api.get(f"/api/v1/proposals/{road}", headers=headers)).json()
    assert "현장" not in str(detail)


async def test_an_answer_shows_per_recipient_whether_it_was_sent(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db)
    author = make_citizen(db, "author")
    fan = make_citizen(db, "fan")
    road = make_proposal(db, author=author)
    with db.begin() as connection:
        proposals.support(connection, proposal_id=road, citizen_id=fan, threshold=50)
    await api.post(
        f"/api/v1/proposals/{road}/status", json={"status": "under_review"}, headers=headers
    )
    queued = (await api.get(f"/api/v1/proposals/{road}/deliveries", headers=headers)).json()
    assert sorted(d["citizen"] for d in queued) == sorted([author, fan])
    assert {d["state"] for d in queued} == {"queued"}
    with Session(db) as session:
        ids = {
            row.citizen_id: row.id
            for row in session.exec(select(OutboxMessage).where(OutboxMessage.about.is_not(None)))  # type: ignore[union-attr]
        }
    with Session(db) as session, session.begin():
        state.mark_sent(session, message_ids=[ids[author]])
        state.mark_failed(session, message_ids=[ids[fan]])
    after = (await api.get(f"/api/v1/proposals/{road}/deliveries", headers=headers)).json()
    assert {d["citizen"]: d["state"] for d in after} == {author: "sent", fan: "failed"}


async def test_a_blocked_citizen_is_told_why_listed_and_let_back(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db)
    troll = make_citizen(db, "troll")
    blocked = await api.post(
        f"/api/v1/citizens/{troll}/block",
        json={"reason": "욕설을 반복해서 올렸어요"},
        headers=headers,
    )
    assert (
        blocked.status_code == 200
        and blocked.json()["blocked_reason"] == "욕설을 반복해서 올렸어요"
    )
    assert "chat_id" not in blocked.json()
    again = await api.post(
        f"/api/v1/citizens/{troll}/block", json={"reason": "또"}, headers=headers
    )
    assert again.status_code == 409 and again.json()["reason"] == "the citizen is already blocked"
    listed = (await api.get("/api/v1/citizens/blocked", headers=headers)).json()
    assert [c["id"] for c in listed] == [troll]
    with Session(db) as session:
        told = session.exec(select(OutboxMessage.about)).all()
    assert told == [f"citizen:{troll}"]
    lifted = await api.post(f"/api/v1/citizens/{troll}/unblock", headers=headers)
    assert lifted.status_code == 200 and lifted.json()["blocked_at"] is None
    missing = await api.post("/api/v1/citizens/424242/unblock", headers=headers)
    assert missing.status_code == 404 and missing.json()["reason"] == "no such citizen"
    no_reason = await api.post(
        f"/api/v1/citizens/{troll}/block", json={"reason": ""}, headers=headers
    )
    assert no_reason.status_code == 422
    assert actions(db)[-2:] == ["citizen.block", "citizen.unblock"]


async def test_authors_hear_when_their_words_are_hidden_or_shown_again_once_each(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db)
    author, commenter = make_citizen(db, "author"), make_citizen(db, "commenter")
    road = make_proposal(db, title="가로등 고장", author=author)
    with db.begin() as connection:
        proposals.comment(connection, proposal_id=road, author_id=commenter, body="광고 글")
        (comment,) = proposals.latest_comments(connection, road)
    for path in ("hide", "hide", "restore"):  # hiding what is hidden tells nobody again
        answered = await api.post(f"/api/v1/proposals/{road}/{path}", headers=headers)
        assert answered.status_code == 200
    await api.post(f"/api/v1/comments/{comment.id}/hide", headers=headers)
    sealer = sealer_for_tests()
    with Session(db) as session:
        told = [
            (row.citizen_id, sealer.open_json(row.payload)["text"])
            for row in session.exec(select(OutboxMessage).order_by(OutboxMessage.id))  # type: ignore[arg-type]
        ]
    assert [who for who, _ in told] == [author, author, commenter]
    assert "제안 '가로등 고장'이 운영 원칙에 맞지 않아" in told[0][1]
    assert "다시 모든 분께 보여요" in told[1][1]
    assert "“광고 글”" in told[2][1]
    sent = (await api.get(f"/api/v1/proposals/{road}/deliveries", headers=headers)).json()
    assert len(sent) == 3
