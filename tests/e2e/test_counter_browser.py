"""An official at the counter in a real browser: files a care application for a walk-in
resident's mother (both consents and the mother's agreement, pressed after reading them
aloud), prints the slip on A4 and at receipt width, and the case shows in the dong's care
worker's list marked as filed at the counter; a proposal at the counter is offered a
look-alike, which the resident supports instead.

Skipped with the reason where no chromium is installed (`.ci/run` installs it).
"""

import re
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from storage.db import transaction
from storage.models import Staff
from storage.staff import Role, set_password
from tests.auxil.factories import make_proposal, make_staff
from tests.e2e.test_console_browser import ARGS, CHROMIUM, PASSWORD, SHOTS, signed_in

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)"
)
MARK = "창구 접수 · 김담당 · 매탄3동 행정복지센터"


def person(db: Engine, role: Role, name: str) -> str:
    staff_id, _ = make_staff(db, role=role, name=name, dongs=["매탄3동"])
    with transaction(db) as session:
        staff = session.get(Staff, staff_id)
        assert staff is not None
        set_password(staff, PASSWORD, temporary=False)
        return staff.login


async def start_session(page: Any, base: str) -> None:
    """The counter's form, as the official fills it in with the resident in front of her."""
    await page.goto(f"{base}/console")
    await (
        page.get_by_role("navigation", name="주 메뉴")
        .get_by_role("link", name="창구 접수")
        .click()
    )
    await page.get_by_label("접수하는 곳").select_option("매탄3동")
    await page.get_by_label("직접 방문").check()
    await page.get_by_label("주민의 휴대전화 번호").fill("010-2345-6789")
    await page.get_by_label("대신 접수하는 이유").fill("스마트폰이 없으심")
    await page.get_by_role("button", name="상담 시작").click()
    refused = page.get_by_role("alert")
    assert "동의를 받았는지" in await refused.inner_text()  # the notice first
    await page.get_by_label("주민의 휴대전화 번호").fill("010-2345-6789")
    await page.get_by_label("위 안내를 주민께 읽어 드렸고").check()
    await page.get_by_role("button", name="상담 시작").click()
    await page.get_by_text("언어를 골라 주세요").wait_for()


async def press(page: Any, *labels: str) -> None:
    for label in labels:
        await page.get_by_role("button", name=label, exact=True).click()


async def say(page: Any, words: str) -> None:
    await page.get_by_label("주민이 한 말").fill(words)
    await page.get_by_role("button", name="보내기", exact=True).click()


async def test_a_care_application_at_the_counter_its_slip_and_the_care_workers_list(
    api: httpx.AsyncClient, db: Engine
) -> None:
    from playwright.async_api import async_playwright

    official = person(db, Role.STAFF, "김담당")
    worker = person(db, Role.CARE_WORKER, "이돌봄")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = await browser.new_page()
        await signed_in(page, api.base_url, official)
        await start_session(page, api.base_url)
        await press(
            page, "한국어", "보통으로", "동의하지 않습니다", "🤝 돌봄 신청", "👪 가족", "부모님"
        )
        assert "동의" in await page.get_by_role("region", name="주민과 나누는 대화").inner_text()
        await press(page, "네, 동의하셨어요", "동의합니다", "동의합니다")
        await press(page, "🍱 식사 지원", "✔️ 완료 (1개 선택)")
        await say(page, "무릎 수술 후 혼자 지내세요")
        await press(page, "✔️ 완료 (0개 선택)")
        for words in ("김수원", "이영희"):
            await say(page, words)
        await page.get_by_label("주민의 전화번호").fill("010-1234-5678")
        await page.get_by_role("button", name="번호 보내기").click()
        await press(page, "영통구")
        await say(page, "매탄3동")
        await say(page, "매탄아파트 101동 1004호")
        await press(page, "오전 (9~12시)")
        assert "[연락처] 010-1234-5678" in await page.get_by_text("[연락처]").inner_text()
        await press(page, "✅ 신청하기")
        done = await page.get_by_text("접수번호는 C-").inner_text()
        receipt = re.search(r"C-\d{6}", done).group(0)  # type: ignore[union-attr]
        if SHOTS:
            await page.screenshot(path=f"{SHOTS}/counter-session.png", full_page=True)
        await page.get_by_role("link", name="접수증 보기·인쇄").click()
        slip = await page.get_by_role("main").inner_text()
        assert receipt in slip and "매탄3동 행정복지센터" in slip and "연결 " in slip
        await page.emulate_media(media="print")
        assert not await page.get_by_role("navigation", name="주 메뉴").is_visible()
        if SHOTS:
            await page.pdf(path=f"{SHOTS}/counter-slip-a4.pdf")
        await page.emulate_media(media="screen")
        await page.get_by_role("link", name="영수증 폭(80mm)으로 보기").click()
        assert await page.locator("link[href$='slip-receipt.css']").count() == 1
        if SHOTS:
            await page.screenshot(path=f"{SHOTS}/counter-slip-receipt.png", full_page=True)
        await page.close()

        page = await browser.new_page()
        await signed_in(page, api.base_url, worker)
        await page.goto(f"{api.base_url}/console/care")
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=receipt))
        assert MARK in await row.inner_text()
        await row.get_by_role("link", name=receipt).click()
        assert MARK in await page.get_by_role("main").inner_text()
        await browser.close()


async def test_a_proposal_at_the_counter_supports_a_look_alike_instead(
    api: httpx.AsyncClient, db: Engine
) -> None:
    from playwright.async_api import async_playwright

    make_proposal(db, title="매탄동 버스정류장 그늘막 설치해 주세요")
    official = person(db, Role.STAFF, "김담당")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = await browser.new_page()
        await signed_in(page, api.base_url, official)
        await start_session(page, api.base_url)
        await press(page, "한국어", "보통으로", "동의하지 않습니다", "📝 정책 제안하기")
        await say(page, "정류장에 햇빛 가리개 좀 놔주세요")
        await page.get_by_text("비슷한 제안이 이미 있어요").wait_for()
        await press(page, "👍 1번에 공감")
        await page.get_by_text("공감했어요").wait_for()
        filed = page.get_by_role("heading", name="이번 상담에서 접수한 것")
        listed = await filed.locator("xpath=following-sibling::ul[1]").inner_text()
        assert "공감" in listed and "매탄동 버스정류장 그늘막" in listed
        await page.get_by_role("button", name="상담 마치기").click()
        assert "공감" in await page.get_by_role("main").inner_text()  # the slip, to print
        await browser.close()
