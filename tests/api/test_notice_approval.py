"""Four eyes: an urgent notice, or one that reaches more citizens than the approval threshold,
waits for a second person's approval before it goes out; only the author or an admin edits
or cancels a notice."""

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import Engine, func, select, update

from storage.models import AuditLog, Citizen, NoticeDelivery
from storage.staff import Role
from tests.api.test_notices_api import auth
from tests.auxil.factories import make_citizen
from tests.auxil.service import running_service, service_settings

THRESHOLD = 2


@pytest.fixture
async def api(db_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The staff API with a small approval threshold (the default is 10,000 citizens)."""
    settings = service_settings(db_url, api_port=0, notice_approval_threshold=THRESHOLD)
    async with (
        running_service(settings) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as client,
    ):
        yield client


def onboarded(db: Engine, count: int) -> None:
    """`count` citizens in 인계동 who take notices."""
    for n in range(count):
        make_citizen(db, f"a{n}")
    with db.begin() as connection:
        connection.execute(update(Citizen).values(dong="인계동"))


def queued(db: Engine, notice_id: int) -> int:
    with db.connect() as connection:
        return connection.execute(
            select(func.count()).where(NoticeDelivery.notice_id == notice_id)  # type: ignore[arg-type]
        ).scalar_one()


async def compose(api: httpx.AsyncClient, headers: dict[str, str], **fields: object) -> int:
    body = {"text": "안내", "topics": ["culture"], **fields}
    created = await api.post("/api/v1/notices", json=body, headers=headers)
    assert created.status_code == 201, created.text
    return created.json()["id"]


async def test_an_urgent_notice_waits_for_a_second_persons_approval(
    api: httpx.AsyncClient, db: Engine
) -> None:
    author, colleague = auth(db), auth(db)
    notice_id = await compose(api, author, urgent=True)
    asked = await api.post(f"/api/v1/notices/{notice_id}/send", json={}, headers=author)
    assert asked.status_code == 200 and asked.json()["status"] == "for_approval"
    assert queued(db, notice_id) == 0

    own = await api.post(f"/api/v1/notices/{notice_id}/approve", headers=author)
    assert own.status_code == 403 and "another person" in own.json()["reason"]
    approved = await api.post(f"/api/v1/notices/{notice_id}/approve", headers=colleague)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] in ("scheduled", "sending", "sent")
    again = await api.post(f"/api/v1/notices/{notice_id}/approve", headers=colleague)
    assert again.status_code == 409
    with db.connect() as connection:
        actions = connection.execute(
            select(AuditLog.action).where(AuditLog.target == f"notice:{notice_id}")  # type: ignore[call-overload]
        ).scalars()
        assert list(actions) == ["notice.create", "notice.send", "notice.approve"]


async def test_a_notice_over_the_threshold_needs_approval_and_a_small_one_does_not(
    api: httpx.AsyncClient, db: Engine
) -> None:
    onboarded(db, THRESHOLD + 1)
    headers = auth(db)
    wide = await compose(api, headers, audience={"dongs": ["인계동"]})
    asked = await api.post(f"/api/v1/notices/{wide}/send", json={}, headers=headers)
    assert asked.json()["status"] == "for_approval"
    small = await compose(api, headers, audience={"dongs": ["매탄1동"]})
    sent = await api.post(f"/api/v1/notices/{small}/send", json={}, headers=headers)
    assert sent.json()["status"] in ("scheduled", "sending", "sent")


async def test_only_the_author_or_an_admin_edits_or_cancels(
    api: httpx.AsyncClient, db: Engine
) -> None:
    author, colleague, admin = auth(db), auth(db), auth(db, Role.ADMIN)
    notice_id = await compose(api, author)
    change = {"text": "바꾼 안내", "topics": ["culture"]}
    refused = await api.put(f"/api/v1/notices/{notice_id}", json=change, headers=colleague)
    assert refused.status_code == 403 and "author" in refused.json()["reason"]
    not_cancelled = await api.post(f"/api/v1/notices/{notice_id}/cancel", headers=colleague)
    assert not_cancelled.status_code == 403
    assert (await api.put(f"/api/v1/notices/{notice_id}", json=change, headers=author)).is_success
    by_admin = await api.post(f"/api/v1/notices/{notice_id}/cancel", headers=admin)
    assert by_admin.json()["status"] == "cancelled"


async def test_a_notice_waiting_for_approval_is_not_edited_under_the_approver(
    api: httpx.AsyncClient, db: Engine
) -> None:
    author = auth(db)
    notice_id = await compose(api, author, urgent=True)
    await api.post(f"/api/v1/notices/{notice_id}/send", json={}, headers=author)
    change = {"text": "승인 뒤에 바꿀 내용", "topics": ["culture"], "urgent": True}
    edit = await api.put(f"/api/v1/notices/{notice_id}", json=change, headers=author)
    assert edit.status_code == 409 and "approval" in edit.json()["reason"]


async def test_a_duplicate_is_a_fresh_draft_of_the_callers_that_needs_its_own_approval(
    api: httpx.AsyncClient, db: Engine
) -> None:
    author, colleague = auth(db), auth(db)
    notice_id = await compose(api, author, urgent=True, link_url="https://example.org/water")
    await api.post(f"/api/v1/notices/{notice_id}/send", json={}, headers=author)
    await api.post(f"/api/v1/notices/{notice_id}/approve", headers=colleague)
    copied = await api.post(f"/api/v1/notices/{notice_id}/duplicate", headers=colleague)
    assert copied.status_code == 201, copied.text
    copy = copied.json()
    assert copy["id"] != notice_id and copy["status"] == "draft"
    assert (copy["text"], copy["urgent"], copy["link_url"]) == (
        "안내",
        True,
        "https://example.org/water",
    )
    assert copy["approved_by"] is None and copy["requested_by"] is None
    asked = await api.post(f"/api/v1/notices/{copy['id']}/send", json={}, headers=colleague)
    assert asked.json()["status"] == "for_approval"
    missing = await api.post("/api/v1/notices/4242/duplicate", headers=colleague)
    assert missing.status_code == 404
