"""Back, home, stale buttons, double taps and input the bot cannot read, through Telegram."""

import asyncio

from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.models import Citizen, ConversationState
from tests.auxil.service import bot_settings, running_service
from tests.fake_telegram.server import FakeTelegram, SimCitizen


async def onboard_to_dong_step(citizen: SimCitizen) -> None:
    await citizen.say("안녕")
    await citizen.reply()
    await citizen.tap("한국어")
    await citizen.reply()
    await citizen.tap("보통으로")
    await citizen.reply()
    await citizen.tap("동의합니다")
    assert "사시는 동" in (await citizen.reply())["text"]


async def becomes_inactive(db: Engine, user: str) -> bool:
    """Waits (up to 5 s) for the citizen to be marked unreachable."""
    for _ in range(100):
        with Session(db) as session:
            if not session.exec(select(Citizen.active).where(Citizen.external_id == user)).one():
                return True
        await asyncio.sleep(0.05)
    return False


def state_version(db: Engine, user_id: int) -> int:
    with Session(db) as session:
        citizen = session.exec(select(Citizen).where(Citizen.external_id == str(user_id))).one()
        return session.get(ConversationState, citizen.id).version  # type: ignore[union-attr]


async def test_back_returns_to_the_previous_question(fake: FakeTelegram, service: str) -> None:
    choi = fake.citizen(2001)
    await onboard_to_dong_step(choi)
    await choi.tap("◀ 이전")
    again = await choi.reply()
    assert "개인정보" in again["text"]


async def test_home_keeps_the_draft_and_continue_resumes_it(
    fake: FakeTelegram, service: str
) -> None:
    jung = fake.citizen(2002)
    await onboard_to_dong_step(jung)
    await jung.say("영통 1동")
    assert "나이대" in (await jung.reply())["text"]
    await jung.tap("🏠 처음으로")
    home = await jung.reply()
    assert "저장해 두었어요" in home["text"]
    labels = [button["text"] for row in home["reply_markup"]["keyboard"] for button in row]
    # after the services, which keep their numbers
    assert labels[0] == "📝 정책 제안하기" and labels[6] == "▶ 하던 일 이어서: 처음 설정"
    await jung.tap("▶ 하던 일 이어서: 처음 설정")
    assert "나이대" in (await jung.reply())["text"]


async def test_unknown_dong_offers_closest_matches_and_district_picks_work(
    fake: FakeTelegram, service: str
) -> None:
    han = fake.citizen(2003)
    await onboard_to_dong_step(han)
    await han.say("매탄")
    offer = await han.reply()
    assert "이 중에" in offer["text"]
    assert han.buttons(offer)[:4] == ["매탄1동", "매탄2동", "매탄3동", "매탄4동"]
    await han.say("서울 강남구 역삼동")
    unknown = await han.reply()
    assert "찾지 못했어요" in unknown["text"] and "장안구" in han.buttons(unknown)
    await han.tap("팔달구")
    paldal = await han.reply()
    assert "행궁동" in han.buttons(paldal)
    await han.tap("행궁동")
    assert "나이대" in (await han.reply())["text"]


async def test_sticker_photo_and_long_text_get_a_friendly_reprompt(
    fake: FakeTelegram, service: str, db: Engine
) -> None:
    yoon = fake.citizen(2004)
    await onboard_to_dong_step(yoon)
    version = state_version(db, 2004)
    await yoon.sticker()
    sticker_reply = await yoon.reply()
    assert "스티커" in sticker_reply["text"] and "사시는 동" in sticker_reply["text"]
    await yoon.photo()
    assert "사진" in (await yoon.reply())["text"]
    await yoon.say("가" * 4000)
    assert "너무 길어요" in (await yoon.reply())["text"]
    await yoon.say("😀😀😀")
    assert "사시는 동" in (await yoon.reply())["text"]
    with Session(db) as session:
        citizen = session.exec(select(Citizen).where(Citizen.external_id == "2004")).one()
        assert citizen.dong is None
    assert state_version(db, 2004) == version + 4


async def test_button_from_an_old_message_shows_the_current_step(
    fake: FakeTelegram, service: str
) -> None:
    kang = fake.citizen(2005)
    await kang.say("안녕")
    await kang.reply()
    await kang.tap("한국어")
    await kang.reply()
    await kang.tap("보통으로")
    privacy = await kang.reply()
    await kang.tap("동의하지 않습니다")
    await kang.reply()
    await kang.tap("동의합니다", message=privacy)
    stale = await kang.reply()
    assert "지난 메뉴" in stale["text"] and "무엇을 도와드릴까요" in stale["text"]


async def test_double_tap_advances_once(fake: FakeTelegram, service: str, db: Engine) -> None:
    seo = fake.citizen(2006)
    await seo.say("안녕")
    await seo.reply()
    await seo.tap("한국어")
    await seo.reply()
    await seo.tap("보통으로")
    privacy = await seo.reply()
    version = state_version(db, 2006)
    await asyncio.gather(
        seo.tap("동의합니다", message=privacy), seo.tap("동의합니다", message=privacy)
    )
    assert "사시는 동" in (await seo.reply())["text"]
    assert await seo.quiet(0.7)
    assert state_version(db, 2006) == version + 2  # one advance, one silent double tap


async def test_stop_turns_notices_off_mid_flow_and_start_turns_them_on(
    fake: FakeTelegram, service: str, db: Engine
) -> None:
    oh = fake.citizen(2007)
    await onboard_to_dong_step(oh)
    await oh.say("/stop")
    stopped = await oh.reply()
    assert "보내지 않을게요" in stopped["text"] and "사시는 동" in stopped["text"]
    await oh.say("/start")
    resumed = await oh.reply()
    assert "다시 보내 드릴게요" in resumed["text"]
    with Session(db) as session:
        assert session.exec(
            select(Citizen.notices_enabled).where(Citizen.external_id == "2007")
        ).one()


async def test_delete_erases_the_citizen_after_confirmation(
    fake: FakeTelegram, service: str, db: Engine
) -> None:
    lim = fake.citizen(2008)
    await onboard_to_dong_step(lim)
    await lim.say("인계동")
    await lim.reply()
    await lim.say("/delete")
    confirm = await lim.reply()
    assert "정말" in confirm["text"]
    await lim.tap("네, 모두 지워 주세요")
    erased = await lim.reply()
    assert "지웠어요" in erased["text"] and erased["reply_markup"] == {"remove_keyboard": True}
    with Session(db) as session:
        assert session.exec(select(Citizen).where(Citizen.external_id == "2008")).first() is None
        assert session.exec(select(ConversationState)).all() == []


async def test_blocking_the_bot_marks_the_citizen_inactive(
    fake: FakeTelegram, service: str, db: Engine
) -> None:
    ahn = fake.citizen(2009)
    await ahn.say("안녕")
    await ahn.reply()
    await ahn.leave()
    assert await becomes_inactive(db, "2009")


async def test_a_reply_to_a_blocked_chat_is_given_up_and_the_citizen_marked(
    fake: FakeTelegram, service: str, db: Engine
) -> None:
    song = fake.citizen(2010)
    await song.say("안녕")
    await song.reply()
    fake.block(2010)
    await song.say("한국어")
    assert await becomes_inactive(db, "2010")


async def test_a_429_is_waited_out_and_the_reply_still_arrives(
    fake: FakeTelegram, service: str
) -> None:
    hwang = fake.citizen(2011)
    fake.answer_429_next(retry_after=1)
    await hwang.say("안녕")
    assert "언어" in (await hwang.reply(timeout=10))["text"]
    assert fake.rate_limited == 1


async def test_a_reply_that_failed_to_send_is_sent_again_by_the_outbox_job(
    fake: FakeTelegram, db_url: str
) -> None:
    async with running_service(bot_settings(db_url, fake, outbox_retry_seconds=1)):
        moon = fake.citizen(2012)
        fake.fail_next()
        await moon.say("안녕")
        assert "언어" in (await moon.reply(timeout=10))["text"]
        assert await moon.quiet(1.5)
