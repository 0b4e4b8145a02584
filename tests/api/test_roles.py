"""Every staff route, called by every role, does what the one role table says: walked from
the live OpenAPI schema, so a new route without a rule cannot slip through."""

import httpx
from sqlalchemy import Engine

from staff.roles import RULES
from storage.staff import Role
from tests.auxil.factories import make_staff

REFUSED = "your role may not do this"


async def staff_routes(api: httpx.AsyncClient) -> list[tuple[str, str]]:
    schema = (await api.get("/openapi.json")).json()
    return sorted(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        if path.startswith("/api/v1/")
        for method in operations
    )


async def test_every_staff_route_has_exactly_one_rule(api: httpx.AsyncClient) -> None:
    assert await staff_routes(api) == sorted(RULES)


async def test_every_role_is_let_in_or_refused_as_the_table_says(
    api: httpx.AsyncClient, db: Engine
) -> None:
    tokens = {role: make_staff(db, role=role, name=role.value)[1] for role in Role}
    mismatches = []
    for method, path in await staff_routes(api):
        url = path.format_map({name: 1 for name in _names(path)})
        for role, token in tokens.items():
            response = await api.request(
                method, url, headers={"Authorization": f"Bearer {token}"}, json={}
            )
            refused = response.status_code == 403 and response.json()["reason"] == REFUSED
            if refused == (role in RULES[(method, path)]):
                mismatches.append(f"{role.value} {method} {path}: {response.status_code}")
    assert mismatches == []


async def test_a_care_worker_neither_lists_nor_exports_proposals(
    api: httpx.AsyncClient, db: Engine
) -> None:
    token = make_staff(db, role=Role.CARE_WORKER)[1]
    headers = {"Authorization": f"Bearer {token}"}
    for url in ("/api/v1/proposals", "/api/v1/proposals/export.csv"):
        assert (await api.get(url, headers=headers)).status_code == 403


def _names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]
