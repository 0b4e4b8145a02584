"""The console's sections table is the one truth: each role's menu lists exactly the sections
it may open, every section opens for those roles and refuses the others, and no route
changes anything without the session's form token."""

import re
from importlib import import_module

import httpx
from fastapi.routing import APIRoute
from sqlalchemy import Engine

from console import sign_in as sign_in_pages
from console.context import account_context
from console.sections import SECTIONS, menu_for
from storage.staff import Role
from tests.console.test_console_http import form_token, person, sign_in


def menu_links(page: str) -> list[str]:
    nav = re.search(r'<nav aria-label="주 메뉴"[^>]*>(.*?)</nav>', page, re.S)
    assert nav, page
    return re.findall(r'href="([^"]+)"', nav.group(1))


async def test_each_role_is_offered_exactly_the_sections_it_may_open(
    api: httpx.AsyncClient, db: Engine
) -> None:
    for role in Role:
        api.cookies.clear()
        await sign_in(api, person(db, role))
        home = await api.get("/console")
        offered = menu_links(home.text)
        assert offered == [section.path for section in menu_for(role)]
        for section in SECTIONS:
            opened = await api.get(section.path)
            assert opened.status_code == (200 if section.open_to(role) else 403), (
                role,
                section.path,
            )


async def test_a_care_worker_is_not_offered_proposals_or_reports(
    api: httpx.AsyncClient, db: Engine
) -> None:
    await sign_in(api, person(db, Role.CARE_WORKER))
    offered = menu_links((await api.get("/console")).text)
    assert "/console/care" in offered
    assert "/console/proposals" not in offered and "/console/moderation" not in offered


def test_every_state_changing_page_checks_the_form_token() -> None:
    """The token is checked by the context dependency; a POST route without it (the sign-in
    form aside, which has its own double-submit token) would be a hole."""

    def depends_on_context(route: APIRoute) -> bool:
        todo = list(route.dependant.dependencies)
        while todo:
            found = todo.pop()
            if found.call is account_context:
                return True
            todo.extend(found.dependencies)
        return False

    routers = [sign_in_pages.router] + [
        import_module(module).router for section in SECTIONS for module in section.modules
    ]
    posts = [
        route
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute) and route.methods & {"POST", "PUT", "PATCH", "DELETE"}
    ]
    assert len(posts) > 20
    unchecked = [r.path for r in posts if not depends_on_context(r)]
    assert unchecked == ["/console/sign-in"]


async def test_a_stale_token_is_refused_with_the_menu_and_nothing_changes(
    api: httpx.AsyncClient, db: Engine
) -> None:
    await sign_in(api, person(db, Role.STAFF))
    page = (await api.get("/console/tokens")).text
    assert form_token(page)
    refused = await api.post("/console/tokens", data={"name": "도구", "csrf": "wrong"})
    assert refused.status_code == 403 and "양식이 만료되었어요" in refused.text
    assert menu_links(refused.text)[0] == "/console"
    assert "도구" not in (await api.get("/console/tokens")).text
