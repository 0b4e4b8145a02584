"""Every console page in a real browser at a laptop's width, a phone's (390 px) and a laptop
at 200 % zoom: axe-core finds no WCAG 2.1 A/AA violation, the page never scrolls sideways
(a wide table scrolls in its own box), and the service's name stays on one line.

Skipped with the reason where no chromium is installed (`.ci/run` installs it).
"""

import os
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from staff import counter as counter_desk
from storage import citizens, proposals
from storage.db import transaction
from storage.models import Staff, utcnow
from storage.staff import Role, set_password
from tests.auxil.factories import make_case, make_proposal, make_staff
from tests.auxil.service import sealer_for_tests

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
PASSWORD = "업무용 비밀번호 2026"
SHOTS = os.environ.get("CONSOLE_SCREENSHOTS")  # a folder, to look at the pages
WCAG = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"], "resultTypes": ["violations"]}
# A laptop, a phone, and the laptop at 200 % zoom (half the CSS pixels across).
SCREENS = {"laptop": (1280, 800), "phone": (390, 844), "zoom200": (640, 400)}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)"
)


async def test_every_page_is_accessible_and_holds_on_a_phone_and_at_200_percent(
    api: httpx.AsyncClient, db: Engine
) -> None:
    from axe_playwright_python.async_playwright import Axe
    from playwright.async_api import async_playwright

    proposal_id = make_proposal(db, title="광교 호수공원 야간 조명 확충")
    case_id = make_case(db)
    staff_id, _ = make_staff(db, role=Role.ADMIN, name="시스템 관리자")
    with transaction(db) as session:
        staff = session.get(Staff, staff_id)
        assert staff is not None
        set_password(staff, PASSWORD, temporary=False)
        staff.dongs = ["매탄3동"]
        staff.department = "도로과"
        login = staff.login
        session.flush()
        counter_id = counter_desk.start(  # a counter session, so its pages show
            session,
            sealer_for_tests(),
            staff=staff,
            office_dong="매탄3동",
            how="phone",
            reason="전화로 접수",
            phone="010-2345-6789",
            privacy_read=True,
            now=utcnow(),
        )
    with db.begin() as connection:  # a queue and a blocked author, so their tables show
        proposals.assign(
            connection, proposal_id=proposal_id, department="도로과", due_on=date(2026, 12, 31)
        )
        author = proposals.get(connection, proposal_id).author_id  # type: ignore[union-attr]
        citizens.set_blocked(connection, citizen_id=author, reason="같은 광고 반복")
    pages = [
        "/console",
        "/console/proposals",
        f"/console/proposals/P-{proposal_id:06d}",
        "/console/queue",
        "/console/moderation",
        "/console/blocked",
        "/console/answers",
        "/console/care",
        f"/console/care/C-{case_id:06d}",
        "/console/surveys",
        "/console/surveys/new",
        "/console/notices",
        "/console/notices/new",
        "/console/counter",
        f"/console/counter/{counter_id}",
        f"/console/counter/{counter_id}/slip",
        "/console/dashboard",
        "/console/staff",
        "/console/telegram",
        "/console/tokens",
        "/console/password",
    ]
    axe = Axe()
    found: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for screen, (width, height) in SCREENS.items():
            page = await browser.new_page(viewport={"width": width, "height": height})
            await page.goto(f"{api.base_url}/console/sign-in")
            found += await _problems(axe, page, screen, "/console/sign-in")
            await page.get_by_label("아이디").fill(login)
            await page.get_by_label("비밀번호").fill(PASSWORD)
            await page.get_by_role("button", name="로그인").click()
            await page.get_by_role("heading", name="지금 할 일").wait_for()
            for path in pages:
                response = await page.goto(f"{api.base_url}{path}")
                assert response is not None and response.status == 200, path
                found += await _problems(axe, page, screen, path)
            await page.close()
        await browser.close()
    assert found == []


async def _problems(axe: Any, page: Any, screen: str, path: str) -> list[str]:
    """What is wrong with the page as shown: axe's violations, sideways scrolling, a name
    broken over lines; a screenshot of it when `CONSOLE_SCREENSHOTS` names a folder."""
    results = await axe.run(page, options=WCAG)
    problems = [
        f"{screen} {path}: {v['id']} on {len(v['nodes'])} element(s)"
        for v in results.response["violations"]
    ]
    sideways = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if sideways > 0:
        problems.append(f"{screen} {path}: the page scrolls sideways by {sideways} px")
    lines = await page.evaluate(
        """() => { const name = document.querySelector('.service-name');
        if (!name) return 1;
        const style = getComputedStyle(name);
        return Math.round(name.getBoundingClientRect().height / parseFloat(style.lineHeight)); }"""
    )
    if lines > 1:
        problems.append(f"{screen} {path}: the service's name takes {lines} lines")
    if SHOTS:
        name = path.strip("/").replace("/", "_") or "home"
        await page.screenshot(path=f"{SHOTS}/{screen}-{name}.png", full_page=True)
    return problems


async def test_a_care_worker_reads_the_case_in_words(api: httpx.AsyncClient, db: Engine) -> None:
    """Services, screening answers and the time to call as the resident chose them, not codes."""
    from playwright.async_api import async_playwright

    case = f"C-{make_case(db):06d}"
    staff_id, _ = make_staff(db, role=Role.CARE_WORKER, name="매탄3동 돌봄")
    with transaction(db) as session:
        staff = session.get(Staff, staff_id)
        assert staff is not None
        set_password(staff, PASSWORD, temporary=False)
        staff.dongs = ["매탄3동"]
        login = staff.login
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = await browser.new_page()
        await page.goto(f"{api.base_url}/console/sign-in")
        await page.get_by_label("아이디").fill(login)
        await page.get_by_label("비밀번호").fill(PASSWORD)
        await page.get_by_role("button", name="로그인").click()
        menu = page.get_by_role("navigation", name="주 메뉴")
        await menu.get_by_role("link", name="돌봄 신청").click()
        row = page.get_by_role("row", name=case)
        assert "식사 지원" in await row.inner_text()
        await row.get_by_role("link", name=case).click()
        case = await page.locator("dl").inner_text()
        for told in ("식사 지원", "가사 지원", "만 65세 이상", "혼자 살아요", "아무 때나", "나"):
            assert told in case, told
        assert "meals" not in case and "any" not in case
        await browser.close()


async def test_two_parts_of_words_find_the_proposal(api: httpx.AsyncClient, db: Engine) -> None:
    from playwright.async_api import async_playwright
    from sqlalchemy import update

    from storage.models import Proposal

    found = make_proposal(db, title="버스 정류장 그늘막")
    other = make_proposal(db, title="정류장 의자")
    with db.begin() as connection:
        connection.execute(
            update(Proposal).where(Proposal.id == found).values(body="한낮 햇빛이 뜨거워요")
        )
    staff_id, _ = make_staff(db, role=Role.STAFF, name="교통 담당")
    with transaction(db) as session:
        staff = session.get(Staff, staff_id)
        assert staff is not None
        set_password(staff, PASSWORD, temporary=False)
        login = staff.login
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = await browser.new_page()
        await page.goto(f"{api.base_url}/console/sign-in")
        await page.get_by_label("아이디").fill(login)
        await page.get_by_label("비밀번호").fill(PASSWORD)
        await page.get_by_role("button", name="로그인").click()
        await (
            page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="제안").click()
        )
        await page.get_by_label("찾기 (제목, 내용, 접수번호", exact=False).fill("정류 햇")
        await page.get_by_role("button", name="찾기").click()
        await page.get_by_role("link", name=f"P-{found:06d}").wait_for()
        assert await page.get_by_role("link", name=f"P-{other:06d}").count() == 0
        await browser.close()
