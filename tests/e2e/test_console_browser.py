"""A staff member in a real browser (Debian's chromium, driven by Playwright) finds a proposal
by its receipt number and answers it; the citizen who made it hears the answer in the chat.

Skipped with the reason where no chromium is installed (`.ci/run` installs it).
"""

import os
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select

from storage.db import transaction
from storage.models import Proposal, ProposalComment, Staff
from storage.staff import Role, set_password
from tests.auxil.factories import make_citizen, make_proposal, make_staff
from tests.fake_telegram.server import FakeTelegram

CHROMIUM = Path("/usr/bin/chromium")
# As the machine's own browser checks do: no sandbox for root, and nothing that phones home.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
PASSWORD = "업무용 비밀번호 2026"
SHOTS = os.environ.get("CONSOLE_SCREENSHOTS")  # a folder, to look at the pages

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)"
)


async def test_a_proposal_found_by_receipt_is_answered_and_the_citizen_hears_it(
    fake: FakeTelegram, api: httpx.AsyncClient, db: Engine
) -> None:
    from playwright.async_api import async_playwright

    author = fake.citizen(6101)
    make_citizen(db, "6101")
    proposal_id = make_proposal(db, title="광교 호수공원 야간 조명 확충", author=None)
    with db.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE proposal SET author_id = (SELECT id FROM citizen WHERE external_id = '6101')"
        )
    staff_id, _ = make_staff(db, role=Role.STAFF, name="공원 담당")
    with transaction(db) as session:
        staff = session.get(Staff, staff_id)
        assert staff is not None
        set_password(staff, PASSWORD, temporary=False)
        login = staff.login
    receipt = f"P-{proposal_id:06d}"

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = await browser.new_page()
        await page.goto(f"{api.base_url}/console/sign-in")
        await page.get_by_label("아이디").fill(login)
        await page.get_by_label("비밀번호").fill(PASSWORD)
        await page.get_by_role("button", name="로그인").click()
        await page.get_by_role("heading", name="지금 할 일").wait_for()
        menu = page.get_by_role("navigation", name="주 메뉴")
        await menu.get_by_role("link", name="제안").click()
        await page.get_by_label("찾기 (제목, 내용, 접수번호", exact=False).fill(receipt)
        await page.get_by_role("button", name="찾기").click()
        await page.get_by_role("link", name=receipt).click()
        await page.get_by_label("진행 상황").select_option(label="수용")
        await page.get_by_label("시의 답변", exact=False).fill("올해 안에 조명을 늘리겠습니다.")
        if SHOTS:
            await page.screenshot(path=f"{SHOTS}/console-answer.png", full_page=True)
        await page.get_by_role("button", name="답변 저장").click()
        saved = page.get_by_role("status")
        await saved.wait_for()
        assert "답변을 저장했어요" in await saved.inner_text()
        await browser.close()

    heard = await author.reply(timeout=15)
    assert "'수용'으로 바뀌었어요" in heard["text"] and "조명을 늘리겠습니다" in heard["text"]


async def test_moderation_hides_a_reported_comment_in_the_browser(
    fake: FakeTelegram, api: httpx.AsyncClient, db: Engine
) -> None:
    from playwright.async_api import async_playwright

    from tests.console.test_console_http import reported_comment

    reported_comment(db)
    staff_id, _ = make_staff(db, role=Role.STAFF, name="신고 담당")
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
        await page.get_by_role("link", name="신고 목록").click()
        await page.get_by_role("button", name="광고 글입니다 숨기기").click()
        await page.get_by_role("status").wait_for()
        state = await page.get_by_role("row").nth(1).inner_text()
        await browser.close()
    assert "숨김" in state
    with db.connect() as connection:
        hidden = connection.execute(select(ProposalComment.hidden)).scalar()
    assert hidden is True


def person(
    db: Engine, role: Role, name: str, dongs: list[str] | None = None
) -> tuple[int, str, str]:
    """(id, login, API token) of a staff member whose password is PASSWORD."""
    staff_id, token = make_staff(db, role=role, name=name)
    with transaction(db) as session:
        staff = session.get(Staff, staff_id)
        assert staff is not None
        set_password(staff, PASSWORD, temporary=False)
        staff.dongs = dongs or []
        return staff_id, staff.login, token


async def signed_in(page, base: str, login: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    await page.goto(f"{base}/console/sign-in")
    await page.get_by_label("아이디").fill(login)
    await page.get_by_label("비밀번호").fill(password)
    await page.get_by_role("button", name="로그인").click()


async def test_six_wrong_passwords_lock_the_account_in_the_browser(
    fake: FakeTelegram, api: httpx.AsyncClient, db: Engine
) -> None:
    from playwright.async_api import async_playwright

    _, login, _ = person(db, Role.STAFF, "잠길 사람")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = await browser.new_page()
        for _ in range(6):
            await signed_in(page, str(api.base_url), login, "틀린 비밀번호")
        alert = await page.get_by_role("alert").inner_text()
        await signed_in(page, str(api.base_url), login)  # the right password, too late
        still = await page.get_by_role("alert").inner_text()
        await browser.close()
    assert "로그인이 잠겼어요" in alert and "로그인이 잠겼어요" in still


async def test_a_care_worker_opens_nothing_outside_her_dongs(
    fake: FakeTelegram, api: httpx.AsyncClient, db: Engine
) -> None:
    from playwright.async_api import async_playwright

    from tests.auxil.factories import make_case

    mine = make_case(db, dong="매탄3동", phone="010-1212-3434")
    elsewhere = make_case(db, dong="인계동", phone="010-5656-7878")
    _, login, _ = person(db, Role.CARE_WORKER, "매탄 돌봄", ["매탄3동"])
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = await browser.new_page()
        await signed_in(page, str(api.base_url), login)
        await page.get_by_role("link", name="돌봄 신청").first.click()
        await page.get_by_role("link", name=f"C-{mine:06d}").click()
        phone = await page.get_by_role("link", name="010-1212-3434").get_attribute("href")
        answer = await page.goto(f"{api.base_url}/console/care/C-{elsewhere:06d}")
        text = await page.content()
        await browser.close()
    assert phone == "tel:010-1212-3434"
    assert answer is not None and answer.status == 404 and "010-5656-7878" not in text


async def test_a_deactivated_persons_session_and_token_stop_at_once(
    fake: FakeTelegram, api: httpx.AsyncClient, db: Engine
) -> None:
    from playwright.async_api import async_playwright

    _, admin_login, _ = person(db, Role.ADMIN, "관리자")
    _, leaver_login, leaver_token = person(db, Role.STAFF, "떠나는 사람")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        leaver = await (await browser.new_context()).new_page()
        await signed_in(leaver, str(api.base_url), leaver_login)
        await leaver.get_by_role("heading", name="지금 할 일").wait_for()
        admin = await (await browser.new_context()).new_page()
        await signed_in(admin, str(api.base_url), admin_login)
        await admin.get_by_role("link", name="직원과 기록").click()
        await admin.get_by_role("button", name="떠나는 사람 사용 중지").click()
        await admin.get_by_role("status").wait_for()
        await leaver.reload()
        heading = await leaver.get_by_role("heading", level=1).inner_text()
        await browser.close()
    assert heading == "로그인"
    refused = await api.get("/api/v1/stats", headers={"Authorization": f"Bearer {leaver_token}"})
    assert refused.status_code == 401 and refused.json()["reason"] == "the account is deactivated"


async def test_a_saved_answer_is_loaded_and_the_console_reads_in_english(
    api: httpx.AsyncClient, db: Engine
) -> None:
    from playwright.async_api import async_playwright

    proposal_id = make_proposal(db, title="버스 정류장 그늘막")
    staff_id, _ = make_staff(db, role=Role.STAFF, name="교통 담당")
    with transaction(db) as session:
        staff = session.get(Staff, staff_id)
        assert staff is not None
        set_password(staff, PASSWORD, temporary=False)
        staff.department = "교통정책과"
        login = staff.login

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = await browser.new_page()
        await page.goto(f"{api.base_url}/console/sign-in")
        await page.get_by_label("아이디").fill(login)
        await page.get_by_label("비밀번호").fill(PASSWORD)
        await page.get_by_role("button", name="로그인").click()
        menu = page.get_by_role("navigation", name="주 메뉴")
        await menu.get_by_role("link", name="답변 양식").click()
        form = page.get_by_role("button", name="답변 양식 더하기")
        await page.get_by_label("제목", exact=False).fill("여름 전 설치")
        await page.get_by_label("답변", exact=True).fill("6월 전에 설치하겠습니다.")
        await form.click()
        await page.get_by_role("heading", name="여름 전 설치", exact=False).wait_for()

        await page.goto(f"{api.base_url}/console/proposals/P-{proposal_id:06d}")
        await page.get_by_label("답변 양식 불러오기").select_option(
            label="여름 전 설치 (교통정책과 · 수용)"
        )
        await page.get_by_role("button", name="불러오기").click()
        assert await page.get_by_label("시의 답변", exact=False).input_value() == (
            "6월 전에 설치하겠습니다."
        )

        await page.get_by_role("link", name="English").click()
        await page.get_by_role("heading", name="Answer", exact=True).wait_for()
        assert await page.locator("html").get_attribute("lang") == "en"
        menu = page.get_by_role("navigation", name="Main menu")
        await menu.get_by_role("link", name="Proposals").click()
        await page.get_by_role("button", name="Search").wait_for()
        if SHOTS:
            await page.screenshot(path=f"{SHOTS}/console-english.png", full_page=True)
        await browser.close()


async def test_a_form_sent_without_its_token_is_refused_in_the_browser(
    api: httpx.AsyncClient, db: Engine
) -> None:
    from playwright.async_api import async_playwright

    proposal_id = make_proposal(db, title="놀이터 그늘막")
    staff_id, _ = make_staff(db, role=Role.STAFF, name="공원 담당")
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
        await page.get_by_role("heading", name="지금 할 일").wait_for()
        await page.goto(f"{api.base_url}/console/proposals/P-{proposal_id:06d}")
        # What a forged form from another site amounts to: the same fields, no token.
        await page.evaluate(
            "document.querySelectorAll('input[name=csrf]').forEach(e => e.remove())"
        )
        await page.get_by_label("시의 답변", exact=False).fill("위조된 답변")
        await page.get_by_role("button", name="답변 저장").click()
        await page.get_by_role("heading", name="할 수 없는 일이에요").wait_for()
        assert "양식이 만료되었어요" in await page.get_by_role("alert").inner_text()
        await browser.close()
    with db.connect() as connection:
        assert connection.execute(select(Proposal.answer)).scalar() is None
