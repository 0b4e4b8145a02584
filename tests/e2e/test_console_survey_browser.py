"""A survey built in a real browser (Debian's chromium) with "ask only if" branching, opened
from its page and answered by two citizens through the fake Bot API — one is asked the
branched question, the other is not; the results page shows the worded chart and withholds
their dong, a group of two.

Skipped with the reason where no chromium is installed (`.ci/run` installs it).
"""

import asyncio

import httpx
from sqlalchemy import Engine

from tests.api.test_polls_api import respond
from tests.e2e.test_console_browser import ARGS, CHROMIUM, pytestmark
from tests.e2e.test_console_notices_browser import shot, sign_in, staff_member
from tests.e2e.test_notices import citizens
from tests.fake_telegram.server import FakeTelegram, SimCitizen

__all__ = ["pytestmark"]


async def answer(citizen: SimCitizen, *taps: str) -> str:
    """Opens the survey list, picks the survey, taps each answer, submits; the last words."""
    await citizen.say("설문")
    await citizen.reply()
    await citizen.tap("📋 행궁동 쉼터")
    await citizen.reply()
    for label in taps:
        await citizen.tap(label)
        await citizen.reply()
    await citizen.tap("✅ 제출하기")
    return (await citizen.reply())["text"]


async def test_a_survey_built_with_branching_is_answered_in_the_chat_and_reported_safely(
    fake: FakeTelegram, api: httpx.AsyncClient, db: Engine
) -> None:
    from playwright.async_api import async_playwright

    first, second = citizens(db, 7501, 2, dong="행궁동")
    _, builder = staff_member(db, "설문 담당")
    base = str(api.base_url)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = await browser.new_page()
        await sign_in(page, base, builder)
        await (
            page.get_by_role("navigation", name="주 메뉴")
            .get_by_role("link", name="설문·투표")
            .click()
        )
        await page.get_by_role("link", name="새 설문 만들기").click()
        await page.get_by_label("제목", exact=True).fill("행궁동 쉼터")
        await page.get_by_label("질문 1 종류").select_option(label="예/아니요")
        await page.get_by_label("질문 1 내용", exact=True).fill("쉼터가 더 필요하세요?")
        await page.get_by_role("button", name="질문 추가").click()
        await page.get_by_label("질문 2 종류").select_option(label="하나 고르기")
        await page.get_by_label("질문 2 내용", exact=True).fill("어디에 있으면 좋을까요?")
        await page.get_by_label("질문 2 보기 (하나").fill("공원\n시장\n주민센터")
        await page.get_by_label("질문 2: 이럴 때만 묻기").select_option(label="1. 네")
        await page.get_by_role("button", name="미리 보기", exact=True).click()
        steps = page.get_by_role("figure", name="채팅 3번째 메시지")
        await steps.wait_for()
        assert "어디에 있으면 좋을까요?" in await steps.inner_text()
        await shot(page, "survey-builder-preview")
        await page.get_by_role("button", name="저장하기").click()
        await page.get_by_text("설문을 저장했어요").wait_for()
        await page.get_by_role("button", name="지금 열기").click()
        await page.get_by_text("설문을 열었어요").wait_for()
        poll_id = int(page.url.split("/surveys/")[1].split("?")[0])

        yes, no = fake.citizen(first), fake.citizen(second)
        said = await asyncio.gather(answer(yes, "네", "시장"), answer(no, "아니요"))
        assert all("답변이 저장되었어요" in words for words in said)
        respond(db, poll_id, 5, value="yes", dong="인계동", gu="팔달구")

        await page.reload()
        chart = page.get_by_role("img", name="쉼터가 더 필요하세요? 결과 그래프")
        await chart.wait_for()
        assert await chart.evaluate("image => image.naturalWidth") == 720
        assert await page.get_by_role("row", name="행궁동 비공개").count() >= 1
        # 행궁동's two are withheld, and 인계동 with them (7 − 5 would give 행궁동 back);
        # the gu holding both shows its figures.
        assert await page.get_by_role("row", name="인계동 비공개").count() >= 1
        assert await page.get_by_role("row", name="팔달구 7 6 1").count() == 1
        await shot(page, "survey-built-results")
        await browser.close()
