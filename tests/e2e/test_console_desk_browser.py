"""An official in a real browser puts a proposal in her department's queue with a due day,
leaves a private note, and blocks an author who abuses the channel; the author hears why in
the chat and cannot post a new problem.

Skipped with the reason where no chromium is installed (`.ci/run` installs it).
"""

from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import Engine, update

from storage.db import transaction
from storage.models import Citizen, Staff
from storage.staff import Role, set_password
from tests.auxil.factories import make_citizen, make_proposal, make_staff
from tests.e2e.test_console_browser import ARGS, CHROMIUM, PASSWORD, SHOTS, signed_in
from tests.fake_telegram.server import FakeTelegram

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)"
)


async def test_a_department_queue_a_note_and_a_blocked_author_in_the_browser(
    fake: FakeTelegram, api: httpx.AsyncClient, db: Engine
) -> None:
    from playwright.async_api import async_playwright

    author = fake.citizen(6201)
    citizen = make_citizen(db, "6201")
    with db.begin() as connection:  # one who has chatted before
        connection.execute(
            update(Citizen)
            .where(Citizen.id == citizen)  # type: ignore[arg-type]
            .values(language="ko", privacy_consent=True, onboarded=True, dong="인계동")
        )
    proposal_id = make_proposal(db, title="인계동 가로등 고장", author=citizen)
    staff_id, _ = make_staff(db, role=Role.STAFF, name="도로 담당", department="도로과")
    with transaction(db) as session:
        staff = session.get(Staff, staff_id)
        assert staff is not None
        set_password(staff, PASSWORD, temporary=False)
        login = staff.login
    receipt = f"P-{proposal_id:06d}"
    due = date.today() + timedelta(days=10)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = await browser.new_page()
        await signed_in(page, api.base_url, login)
        await page.goto(f"{api.base_url}/console/proposals/{receipt}")
        await page.get_by_label("담당 부서", exact=True).select_option(label="도로과")
        await page.get_by_label("답변 기한").fill(due.isoformat())
        await page.get_by_role("button", name="부서 지정").click()
        assert "대기열에 올라갔어요" in await page.get_by_role("status").inner_text()
        await page.get_by_label("메모", exact=True).fill("12월 5일 현장 확인")
        await page.get_by_role("button", name="메모 남기기").click()
        assert "직원만 볼 수 있어요" in await page.get_by_role("status").inner_text()
        reason = page.get_by_label("글쓰기 제한 이유", exact=False)
        await reason.fill("같은 글을 반복해서 올렸어요")
        await page.get_by_role("button", name="글쓰기 제한").click()
        await page.get_by_role("button", name="글쓰기 제한").click()  # the confirmation
        assert "글쓰기를 제한했어요" in await page.get_by_role("status").inner_text()
        if SHOTS:
            await page.screenshot(path=f"{SHOTS}/console-proposal-desk.png", full_page=True)
        menu = page.get_by_role("navigation", name="주 메뉴")
        await menu.get_by_role("link", name="부서 대기열").click()
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=receipt))
        assert due.isoformat() in await row.inner_text()
        if SHOTS:
            await page.screenshot(path=f"{SHOTS}/console-queue.png", full_page=True)
        await browser.close()

    told = await author.reply(timeout=15)
    assert "같은 글을 반복해서 올렸어요" in told["text"] and "설문 참여" in told["text"]
    await author.say("우리 동네 보도블록이 깨졌어요")
    refused = await author.reply(timeout=15)
    assert "지금은 제안과 의견을 쓰실 수 없어요" in refused["text"]
