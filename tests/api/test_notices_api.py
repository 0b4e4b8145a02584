"""Composing notices over HTTP: unsafe formatting and bad audiences are refused with reasons,
the preview counts the weekly budget, and a sent notice can no longer be edited."""

import httpx
from sqlalchemy import Engine, insert, update

from storage import notices
from storage.models import Citizen, NoticeDelivery, utcnow
from storage.staff import Role
from tests.auxil.factories import make_citizen, make_staff


def sent_to(notice_id: int, citizen_id: int) -> dict[str, object]:
    """A non-urgent copy delivered just now (it counts against the weekly budget)."""
    now = utcnow()
    return {
        "notice_id": notice_id,
        "citizen_id": citizen_id,
        "chat_id": str(citizen_id),
        "status": "sent",
        "sent_at": now,
        "urgent": False,
        "attempts": 1,
        "not_before": now,
    }


def auth(db: Engine, role: Role = Role.STAFF) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_staff(db, role=role)[1]}"}


async def test_unsafe_or_inconsistent_notices_are_refused(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db)
    cases = {
        "script": {"text": "<script>alert(1)</script>"},
        "image": {"text": "<img src=x>"},
        "javascript link": {"text": '<a href="javascript:alert(1)">x</a>'},
        "unclosed": {"text": "<b>굵게"},
        "label without link": {"text": "x", "link_label": "보기"},
        "unknown topic": {"text": "x", "topics": ["gossip"]},
        "unknown dong": {"text": "x", "audience": {"dongs": ["없는동"]}},
        "unknown flow": {"text": "x", "apply_flow": "onboarding"},
        "empty": {"text": "", "topics": ["welfare"]},
        "no topic": {"text": "x", "topics": []},
    }
    for name, body in cases.items():
        response = await api.post("/api/v1/notices", json=body, headers=headers)
        assert response.status_code == 422, name
    fine = await api.post(
        "/api/v1/notices",
        json={
            "text": '<b>굵게</b> <a href="https://example.org">링크</a> &amp; 끝',
            "topics": ["culture"],
        },
        headers=headers,
    )
    assert fine.status_code == 201
    assert (
        await api.post(
            "/api/v1/notices",
            json={"text": "x", "topics": ["culture"]},
            headers=auth(db, Role.CARE_WORKER),
        )
    ).status_code == 403


async def test_preview_counts_who_is_over_the_weekly_budget(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db)
    people = [make_citizen(db, f"p{i}") for i in range(4)]
    with db.begin() as connection:
        connection.execute(update(Citizen).values(dong="인계동"))
        old = notices.create(connection, created_by=None, text="지난 알림")
        connection.execute(insert(NoticeDelivery).values(**sent_to(old, people[0])))
    body = {"audience": {"gus": ["팔달구"]}}
    within = (await api.post("/api/v1/notices/preview", json=body, headers=headers)).json()
    assert within == {
        "recipients": 4,
        "over_budget": 0,
        "will_receive": 4,
        "by_channel": {"telegram": 4},
    }
    with db.begin() as connection:
        for n in range(2):
            extra = notices.create(connection, created_by=None, text=f"알림 {n}")
            connection.execute(
                insert(NoticeDelivery).values(
                    notice_id=extra,
                    citizen_id=people[0],
                    chat_id="p0",
                    status="sent",
                    sent_at=utcnow(),
                    urgent=False,
                    attempts=1,
                    not_before=utcnow(),
                )
            )
    over = (await api.post("/api/v1/notices/preview", json=body, headers=headers)).json()
    assert over == {
        "recipients": 4,
        "over_budget": 1,
        "will_receive": 3,
        "by_channel": {"telegram": 4},
    }
    urgent = {**body, "urgent": True}
    assert (await api.post("/api/v1/notices/preview", json=urgent, headers=headers)).json()[
        "over_budget"
    ] == 0
    elsewhere = {"audience": {"gus": ["영통구"]}}
    assert (await api.post("/api/v1/notices/preview", json=elsewhere, headers=headers)).json()[
        "recipients"
    ] == 0


async def test_a_scheduled_notice_can_be_cancelled_and_then_not_edited(
    api: httpx.AsyncClient, db: Engine
) -> None:
    headers = auth(db)
    notice_id = (
        await api.post(
            "/api/v1/notices", json={"text": "예정", "topics": ["culture"]}, headers=headers
        )
    ).json()["id"]
    later = {"send_at": "2099-01-01T09:00:00+09:00"}
    scheduled = await api.post(f"/api/v1/notices/{notice_id}/send", json=later, headers=headers)
    assert scheduled.json()["status"] == "scheduled"
    cancelled = await api.post(f"/api/v1/notices/{notice_id}/cancel", headers=headers)
    assert cancelled.json()["status"] == "cancelled"
    edit = await api.put(
        f"/api/v1/notices/{notice_id}",
        json={"text": "바꿈", "topics": ["culture"]},
        headers=headers,
    )
    assert edit.status_code == 409
    again = await api.post(f"/api/v1/notices/{notice_id}/send", json={}, headers=headers)
    assert again.status_code == 409 and again.json()["reason"] == "the notice is cancelled"
    missing = await api.get("/api/v1/notices/4242/report", headers=headers)
    assert missing.status_code == 404
