"""The console under its strict policy (no inline script or style) in a real browser: every
page of the menu opens with no violation reported, and the composer's toolbar and live
preview (the one page with a script) still work. The API docs run under their own nonce.

Skipped with the reason where no chromium is installed (`.ci/run` installs it).
"""

import httpx
from sqlalchemy import Engine

from storage.staff import Role
from tests.e2e.test_console_browser import ARGS, CHROMIUM, person, pytestmark
from tests.e2e.test_console_notices_browser import sign_in

__all__ = ["pytestmark"]


async def test_every_page_and_the_composers_script_work_under_the_strict_policy(
    api: httpx.AsyncClient, db: Engine
) -> None:
    from playwright.async_api import async_playwright

    _, login, _ = person(db, Role.ADMIN, "보안 점검")
    base = str(api.base_url)
    refused: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = await browser.new_page()
        page.on(
            "console",
            lambda message: (
                refused.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        await sign_in(page, base, login)
        menu = page.get_by_role("navigation").first.get_by_role("link")
        paths = {await link.get_attribute("href") for link in await menu.all()}
        paths = {path for path in paths if path and path.startswith("/console")}
        assert len(paths) >= 8, paths
        for path in sorted(paths):
            answer = await page.goto(f"{base}{path}")
            assert answer is not None and answer.status < 500, path
            assert "unsafe-inline" not in (answer.headers.get("content-security-policy") or "")

        await page.goto(f"{base}/console/notices/new")
        toolbar = page.get_by_role("toolbar", name="서식")
        await toolbar.wait_for()  # shown by the script: it ran
        text = page.locator("#notice-text")
        await text.fill("버스 노선 안내")
        await text.select_text()
        await toolbar.get_by_role("button", name="굵게").click()
        assert await text.input_value() == "<b>버스 노선 안내</b>"
        # The live preview was redrawn by the script's request (a figure, or what to fix).
        await page.locator("#live-preview > *").first.wait_for()

        docs = await page.goto(f"{base}/docs")
        assert docs is not None and "nonce-" in docs.headers["content-security-policy"]
        await page.locator(".swagger-ui").first.wait_for()
        await browser.close()
    assert refused == []
