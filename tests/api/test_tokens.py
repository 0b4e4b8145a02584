"""Per-person API tokens: they expire, can be revoked, stop with their account, and wrong
tokens from one address are throttled (429 with Retry-After)."""

from datetime import timedelta

import httpx
from sqlalchemy import Engine, update

from storage.models import ApiToken, utcnow
from storage.staff import Role
from tests.auxil.factories import make_staff


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_person_makes_lists_and_revokes_their_own_tokens(
    api: httpx.AsyncClient, db: Engine
) -> None:
    _, first = make_staff(db, role=Role.STAFF, name="박주무관")
    made = await api.post(
        "/api/v1/tokens", json={"name": "통계 연동", "days": 30}, headers=bearer(first)
    )
    assert made.status_code == 201
    second = made.json()
    assert second["token"].startswith("tt_") and second["staff_name"] == "박주무관"
    listed = (await api.get("/api/v1/tokens", headers=bearer(first))).json()
    assert [t["name"] for t in listed] == ["통계 연동", "API token"] and "token" not in listed[0]
    assert listed[1]["last_used_at"] is not None  # the first token was just used
    revoked = await api.post(f"/api/v1/tokens/{second['id']}/revoke", headers=bearer(first))
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    refused = await api.get("/api/v1/stats", headers=bearer(second["token"]))
    assert refused.status_code == 401 and refused.json()["reason"] == "the token was revoked"


async def test_an_expired_token_is_refused_with_the_reason(
    api: httpx.AsyncClient, db: Engine
) -> None:
    staff_id, token = make_staff(db, role=Role.STAFF)
    with db.begin() as connection:
        connection.execute(
            update(ApiToken)
            .where(ApiToken.staff_id == staff_id)
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
    refused = await api.get("/api/v1/stats", headers=bearer(token))
    assert refused.status_code == 401 and refused.json()["reason"] == "the token has expired"


async def test_nobody_revokes_anothers_token_but_an_admin(
    api: httpx.AsyncClient, db: Engine
) -> None:
    admin_id, admin = make_staff(db, role=Role.ADMIN, name="관리자")
    _, mine = make_staff(db, role=Role.STAFF, name="갑")
    _, theirs = make_staff(db, role=Role.STAFF, name="을")
    their_id = (await api.get("/api/v1/tokens", headers=bearer(theirs))).json()[0]["id"]
    stranger = await api.post(f"/api/v1/tokens/{their_id}/revoke", headers=bearer(mine))
    assert stranger.status_code == 404
    peeking = await api.get(f"/api/v1/tokens?staff_id={admin_id}", headers=bearer(mine))
    assert peeking.status_code == 403
    done = await api.post(f"/api/v1/tokens/{their_id}/revoke", headers=bearer(admin))
    assert done.status_code == 200


async def test_a_deactivated_persons_tokens_stop_at_once(
    api: httpx.AsyncClient, db: Engine
) -> None:
    _, admin = make_staff(db, role=Role.ADMIN, name="관리자")
    leaver_id, leaver = make_staff(db, role=Role.STAFF, name="퇴직자")
    assert (await api.get("/api/v1/stats", headers=bearer(leaver))).status_code == 200
    changed = await api.patch(
        f"/api/v1/staff/{leaver_id}", json={"active": False}, headers=bearer(admin)
    )
    assert changed.status_code == 200 and changed.json()["active"] is False
    refused = await api.get("/api/v1/stats", headers=bearer(leaver))
    assert refused.status_code == 401 and refused.json()["reason"] == "the account is deactivated"
    again = await api.patch(
        f"/api/v1/staff/{leaver_id}", json={"active": True}, headers=bearer(admin)
    )
    assert again.status_code == 200
    assert (await api.get("/api/v1/stats", headers=bearer(leaver))).status_code == 200


async def test_five_wrong_tokens_lock_the_address_for_a_while(
    api: httpx.AsyncClient, db: Engine
) -> None:
    _, good = make_staff(db, role=Role.STAFF)
    answers = [
        (await api.get("/api/v1/stats", headers=bearer(f"tt_wrong{n}"))).status_code
        for n in range(5)
    ]
    assert answers == [401, 401, 401, 401, 429]
    locked = await api.get("/api/v1/stats", headers=bearer(good))
    assert locked.status_code == 429 and 0 < int(locked.headers["retry-after"]) <= 900


async def test_an_admin_resets_a_password_and_changes_a_login(
    api: httpx.AsyncClient, db: Engine
) -> None:
    admin_id, admin = make_staff(db, role=Role.ADMIN, name="관리자")
    someone_id, _ = make_staff(db, role=Role.STAFF, name="김담당")
    reset = await api.post(f"/api/v1/staff/{someone_id}/password", headers=bearer(admin))
    assert reset.status_code == 200 and len(reset.json()["password"]) >= 12
    renamed = await api.patch(
        f"/api/v1/staff/{someone_id}", json={"login": "kim.damdang"}, headers=bearer(admin)
    )
    assert renamed.json()["login"] == "kim.damdang" and renamed.json()["must_change_password"]
    taken = await api.patch(
        f"/api/v1/staff/{admin_id}", json={"login": "kim.damdang"}, headers=bearer(admin)
    )
    assert taken.status_code == 409


async def test_the_logs_name_the_person_and_filter_by_person_action_and_time(
    api: httpx.AsyncClient, db: Engine
) -> None:
    admin_id, admin = make_staff(db, role=Role.ADMIN, name="관리자")
    _, clerk = make_staff(db, role=Role.STAFF, name="민원 담당")
    await api.post("/api/v1/tokens", json={"name": "연동"}, headers=bearer(clerk))
    await api.post("/api/v1/tokens", json={"name": "연동 2"}, headers=bearer(admin))
    entries = (
        await api.get(
            "/api/v1/audit-log", params={"action": "token.create"}, headers=bearer(admin)
        )
    ).json()
    assert [e["staff_name"] for e in entries] == ["관리자", "민원 담당"]
    mine = await api.get("/api/v1/audit-log", params={"staff_id": admin_id}, headers=bearer(admin))
    assert {e["staff_name"] for e in mine.json()} == {"관리자"}
    later = (utcnow() + timedelta(minutes=1)).isoformat()
    none = await api.get("/api/v1/audit-log", params={"since": later}, headers=bearer(admin))
    assert none.json() == []


async def test_a_first_password_is_replaced_and_wrong_ones_are_throttled(
    api: httpx.AsyncClient, db: Engine
) -> None:
    _, admin = make_staff(db, role=Role.ADMIN, name="관리자")
    someone_id, token = make_staff(db, role=Role.STAFF, name="새 직원")
    first = (await api.post(f"/api/v1/staff/{someone_id}/password", headers=bearer(admin))).json()
    url = "/api/v1/staff/me/password"
    changed = await api.post(
        url,
        json={"current": first["password"], "new": "수원시 새빛톡톡 2026"},
        headers=bearer(token),
    )
    assert changed.status_code == 200 and changed.json()["must_change_password"] is False
    wrong = {"current": "not-my-password", "new": "another long password"}
    answers = [
        (await api.post(url, json=wrong, headers=bearer(token))).status_code for _ in range(6)
    ]
    assert answers == [400, 400, 400, 400, 400, 429]
