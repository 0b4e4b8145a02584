"""Two staff members in a real browser (Debian's chromium): one links her own Telegram and
gets a test copy of an urgent notice, asks to send it and is told it waits; a colleague
approves it and follows the progress bar to 100 %; the participation table and a survey's
worded chart show on the way.

Skipped with the reason where no chromium is installed (`.ci/run` installs it).
"""

import httpx
from sqlalchemy import Engine

from storage.db import transaction
from storage.models import Staff
from storage.staff import Role, set_password
from tests.api.test_polls_api import respond, survey
from tests.auxil.factories import make_staff
from tests.e2e.test_console_browser import ARGS, CHROMIUM, PASSWORD, SHOTS, pytestmark
from tests.e2e.test_notices import citizens, received
from tests.fake_telegram.server import FakeTelegram

__all__ = ["pytestmark"]


def staff_member(db: Engine, name: str) -> tuple[int, str]:
    staff_id, _ = make_staff(db, role=Role.STAFF, name=name)
    with transaction(db) as session:
        staff = session.get(Staff, staff_id)
        assert staff is not None
        set_password(staff, PASSWORD, temporary=False)
        return staff_id, staff.login


async def sign_in(page, base: str, login: str) -> None:  # type: ignore[no-untyped-def]
    await page.goto(f"{base}/console/sign-in")
    await page.get_by_label("아이디").fill(login)
    await page.get_by_label("비밀번호").fill(PASSWORD)
    await page.get_by_role("button", name="로그인").click()
    await page.get_by_role("heading", name="지금 할 일").wait_for()


async def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        await page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


async def test_an_urgent_notice_is_tested_approved_by_a_colleague_and_followed_to_the_end(
    fake: FakeTelegram, api: httpx.AsyncClient, db: Engine
) -> None:
    from playwright.async_api import async_playwright

    chats = citizens(db, 7301, 6, dong="인계동")
    _, author = staff_member(db, "재난 담당")
    _, colleague = staff_member(db, "홍보 담당")
    headers = {"Authorization": f"Bearer {make_staff(db, role=Role.STAFF)[1]}"}
    poll_id = (await api.post("/api/v1/polls", json=survey(), headers=headers)).json()["id"]
    await api.post(f"/api/v1/polls/{poll_id}/open", headers=headers)
    respond(db, poll_id, 5, value="1", dong="인계동", gu="팔달구")
    respond(db, poll_id, 2, value="2", dong="행궁동", gu="팔달구")
    stats = (await api.get("/api/v1/stats", headers=headers)).json()["participation"]
    base = str(api.base_url)
    phone = fake.citizen(7399)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = await browser.new_page()
        await sign_in(page, base, author)
        menu = page.get_by_role("navigation", name="주 메뉴")

        await menu.get_by_role("link", name="참여 현황").click()
        surveys_row = page.get_by_role("row", name="설문·투표")
        cells = await surveys_row.get_by_role("cell").all_inner_texts()
        people = stats["surveys"]["participants"]
        assert cells == [str(stats["surveys"]["items"]), str(people) if people else "비공개"]
        await shot(page, "dashboard")

        await menu.get_by_role("link", name="설문·투표").click()
        await page.get_by_role("link", name="팔달구 공원 조명").click()
        chart = page.get_by_role("img", name="어느 공원에 가시나요? 결과 그래프")
        await chart.wait_for()
        assert await chart.evaluate("image => image.naturalWidth") == 720
        assert await page.get_by_role("row", name="행궁동 비공개").count() == 1
        await shot(page, "survey-results")

        await menu.get_by_role("link", name="내 텔레그램").click()
        await page.get_by_role("button", name="연결 코드 만들기").click()
        code = await page.get_by_label("보낼 글").inner_text()
        await phone.say(code)
        assert "연결되었어요" in (await phone.reply())["text"]

        await menu.get_by_role("link", name="맞춤 알림").click()
        await page.get_by_role("link", name="새 알림 쓰기").click()
        text = page.get_by_label("내용")
        await text.fill("단수 안내 내일 오전 인계동")
        await text.evaluate("area => area.setSelectionRange(0, 5)")  # 단수 안내
        await page.get_by_role("toolbar", name="서식").get_by_role("button", name="굵게").click()
        assert await text.input_value() == "<b>단수 안내</b> 내일 오전 인계동"
        await page.get_by_label("안전").first.check()
        await page.get_by_label("인계동").check()
        await page.get_by_label("긴급").check()
        # The preview follows the form by itself: no button pressed.
        reach = page.get_by_role("status").filter(has_text="지금 받을 시민 6명")
        await reach.wait_for()
        await page.get_by_text("긴급 알림이라 조용한 시간").wait_for()
        preview = page.get_by_role("figure", name="텔레그램 메시지 미리 보기")
        assert await preview.locator("b").inner_text() == "단수 안내"
        await shot(page, "composer-preview")
        await page.get_by_role("button", name="저장하기").click()
        await page.get_by_text("알림을 저장했어요").wait_for()
        notice_id = int(page.url.split("/notices/")[1].split("?")[0])
        await page.get_by_role("button", name="내 텔레그램으로 테스트 보내기").click()
        assert "[테스트 발송]" in (await phone.reply())["text"]
        await page.get_by_role("button", name="지금 보내기").click()
        await page.get_by_text("다른 직원의 승인을 기다려요").wait_for()
        assert await page.get_by_role("button", name="승인하고 보내기").count() == 0
        assert sum(received(fake, chat, "단수 안내") for chat in chats) == 0
        await shot(page, "notice-waiting")
        await page.get_by_role("button", name="로그아웃").click()

        await sign_in(page, base, colleague)
        await page.goto(f"{base}/console/notices/{notice_id}")
        await page.get_by_role("button", name="승인하고 보내기").click()
        await page.get_by_text("승인했어요").wait_for()
        progress = page.get_by_role("progressbar", name="진행")
        for _ in range(100):  # the page refreshes itself while the notice goes out
            if await progress.get_attribute("value") == "100":
                break
            await page.wait_for_timeout(300)
            await page.reload()
        assert await progress.get_attribute("value") == "100"
        await shot(page, "notice-sent")
        await browser.close()
    assert [received(fake, chat, "단수 안내") for chat in chats] == [1] * len(chats)
