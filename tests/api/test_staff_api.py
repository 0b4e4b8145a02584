"""Staff API over real HTTP: health, auth and roles, JSON errors, audit log, stats."""

from datetime import timedelta

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from conversations.events import Text
from runtime.turn import Runtime
from storage import polls
from storage.models import ApiToken, Staff, utcnow
from storage.staff import Role
from tests.auxil.factories import make_citizen, make_proposal, make_staff
from tests.auxil.service import running_service, sealer_for_tests, service_settings
from toktok.assembly import build_runtime


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_health_and_readiness(api: httpx.AsyncClient) -> None:
    assert (await api.get("/healthz")).json() == {"status": "ok"}
    assert (await api.get("/readyz")).json() == {"status": "ready"}


async def test_readiness_fails_when_the_database_is_unreachable() -> None:
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1"
    async with (
        running_service(service_settings(unreachable, api_port=0)) as url,
        httpx.AsyncClient(base_url=url) as client,
    ):
        response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"error": "unavailable", "reason": "database unreachable"}


async def test_api_routes_need_a_valid_token(api: httpx.AsyncClient, db: Engine) -> None:
    missing = await api.get("/api/v1/stats")
    wrong = await api.get("/api/v1/stats", headers=bearer("tt_not-a-real-token"))
    assert (missing.status_code, wrong.status_code) == (401, 401)
    assert missing.json()["error"] == "unauthorized" and missing.json()["reason"]
    _, token = make_staff(db, role=Role.STAFF)
    assert (await api.get("/api/v1/stats", headers=bearer(token))).status_code == 200


async def test_only_admins_add_staff_and_the_write_is_audited(
    api: httpx.AsyncClient, db: Engine
) -> None:
    admin_id, admin = make_staff(db, role=Role.ADMIN)
    _, clerk = make_staff(db, role=Role.STAFF, name="주무관")
    body = {"name": "돌봄 담당", "role": "care_worker", "dongs": ["매탄3동"]}

    refused = await api.post("/api/v1/staff", json=body, headers=bearer(clerk))
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"

    created = await api.post("/api/v1/staff", json=body, headers=bearer(admin))
    assert created.status_code == 201
    new = created.json()
    assert new["role"] == "care_worker" and new["token"].startswith("tt_")
    me = await api.get("/api/v1/staff/me", headers=bearer(new["token"]))
    assert me.json()["name"] == "돌봄 담당" and "token" not in me.json()
    with Session(db) as session:
        stored = session.exec(select(ApiToken).where(ApiToken.staff_id == new["id"])).one()
        assert stored.token_hash != new["token"] and new["token"] not in stored.token_hash
        account = session.exec(select(Staff).where(Staff.id == new["id"])).one()
        assert new["password"] not in (account.password_hash or "")
        assert account.must_change_password

    log = (await api.get("/api/v1/audit-log", headers=bearer(admin))).json()
    assert log[0]["action"] == "staff.create" and log[0]["staff_id"] == admin_id
    assert log[0]["target"] == f"staff:{new['id']}"
    assert (await api.get("/api/v1/audit-log", headers=bearer(clerk))).status_code == 403


async def test_bad_input_gets_a_json_reason_and_changes_nothing(
    api: httpx.AsyncClient, db: Engine
) -> None:
    _, admin = make_staff(db)
    cases = [
        {"name": "", "role": "staff"},
        {"name": "x", "role": "mayor"},
        {"name": "x" * 101, "role": "staff"},
        {"name": "x", "role": "staff", "dongs": ["강남동"]},
    ]
    for body in cases:
        response = await api.post("/api/v1/staff", json=body, headers=bearer(admin))
        assert response.status_code in (400, 422), body
        assert response.json()["reason"]
    not_json = await api.post(
        "/api/v1/staff",
        content=b"{oops",
        headers={**bearer(admin), "Content-Type": "application/json"},
    )
    assert not_json.status_code == 422 and not_json.json()["error"] == "invalid_request"
    bad_query = await api.get("/api/v1/audit-log?limit=0", headers=bearer(admin))
    assert bad_query.status_code == 422
    unknown = await api.get("/api/v1/nothing-here")
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"
    with Session(db) as session:
        assert len(session.exec(select(Staff)).all()) == 1


async def test_stats_count_citizens_and_service_items(
    api: httpx.AsyncClient, db: Engine, db_url: str
) -> None:
    _, token = make_staff(db, role=Role.STAFF)
    runtime: Runtime = build_runtime(service_settings(db_url), db)[0]
    for user in ("a", "b"):
        runtime.handle(channel="cli", external_id=user, chat_id=user, event=Text("안녕"))
    runtime.set_reachable(channel="cli", external_id="b", reachable=False)
    author = make_citizen(db, "author")
    make_proposal(db, author=author)
    with db.begin() as connection:
        for status in ("draft", "open"):
            poll_id = polls.create(
                connection,
                created_by=None,
                title=status,
                questions=[{"kind": "yes_no", "text": "찬성?"}],
                opens_at=utcnow(),
                closes_at=utcnow() + timedelta(days=1),
            )
            polls.move(connection, poll_id=poll_id, before=("draft",), after=status)
        polls.respond(
            connection,
            poll_id=poll_id,
            citizen_id=author,
            answers={"q1": "yes"},
            gu=None,
            dong=None,
            age_band=None,
            sealer=sealer_for_tests(),
        )
    stats = (await api.get("/api/v1/stats", headers=bearer(token))).json()
    assert stats["items"] == {
        "proposals": 1,
        "proposal_comments": 0,
        "surveys": 1,
        "survey_responses": 1,
        "care_applications": 0,
    }
    assert stats["citizens"] == {
        "total": 3,
        "active": 2,
        "onboarded": 0,
        "with_profile": 0,
        "notices_enabled": 2,
    }
