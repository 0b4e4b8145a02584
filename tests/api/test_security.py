"""Production answers carry security headers; its docs and schema are off unless asked for."""

import httpx

from tests.auxil.service import running_service, service_settings


async def test_every_answer_has_the_security_headers(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/v1/stats")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"


async def test_the_docs_are_served_from_this_server_with_a_policy(api: httpx.AsyncClient) -> None:
    page = await api.get("/docs")
    assert page.status_code == 200 and "/docs-assets/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert (await api.get("/docs-assets/swagger-ui-bundle.js")).status_code == 200


async def test_production_hides_the_docs_and_insists_on_https(db_url: str) -> None:
    production = service_settings(db_url, environment="production", api_port=0)
    async with running_service(production) as url, httpx.AsyncClient(base_url=url) as client:
        assert (await client.get("/docs")).status_code == 404
        assert (await client.get("/openapi.json")).status_code == 404
        assert (await client.get("/redoc")).status_code == 404
        health = await client.get("/healthz")
    assert health.headers["strict-transport-security"].startswith("max-age=")


async def test_production_may_turn_the_docs_on(db_url: str) -> None:
    settings = service_settings(db_url, environment="production", api_docs=True, api_port=0)
    async with running_service(settings) as url, httpx.AsyncClient(base_url=url) as client:
        assert (await client.get("/openapi.json")).status_code == 200


async def test_in_production_every_cookie_is_secure_and_every_page_strict(db_url: str) -> None:
    production = service_settings(db_url, environment="production", api_port=0)
    async with running_service(production) as url, httpx.AsyncClient(base_url=url) as client:
        form = await client.get("/console/sign-in")
        language = await client.get("/console/language?to=en")
    for answer in (form, language):
        cookie = answer.headers["set-cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie, cookie
    policy = form.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "script-src 'self';" in policy
