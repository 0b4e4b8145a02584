"""Simulated citizens complete onboarding through real PTB, HTTP and the database."""

from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.models import Citizen
from tests.fake_telegram.server import FakeTelegram


def citizen_row(db: Engine, user_id: int) -> Citizen | None:
    with Session(db) as session:
        return session.exec(select(Citizen).where(Citizen.external_id == str(user_id))).first()


async def test_citizen_completes_onboarding_with_buttons_and_typos(
    fake: FakeTelegram, service: str, db: Engine
) -> None:
    kim = fake.citizen(1001)
    await kim.say("안녕하세요")
    assert "언어를 골라 주세요" in (await kim.reply())["text"]
    assert kim.buttons()[:2] == ["한국어", "English (영어)"]

    await kim.tap("한국어")
    assert "버튼을 크게" in (await kim.reply())["text"]
    await kim.say("크게 보기로 할래요")
    privacy = await kim.reply()
    assert "개인정보" in privacy["text"] and "inline_keyboard" in privacy["reply_markup"]

    await kim.tap("동의합니다")
    assert "사시는 동" in (await kim.reply())["text"]
    await kim.say("매탄 삼동")
    assert "나이대" in (await kim.reply())["text"]
    await kim.say("4번")
    assert "관심 있는 분야" in (await kim.reply())["text"]
    await kim.tap("교통")
    toggled = await kim.reply()
    assert toggled["kind"] == "edit" and "✅ 교통" in kim.buttons(toggled)
    await kim.tap("환경")
    await kim.reply()
    await kim.tap("✔️ 완료 (2개 선택)")
    done = await kim.reply()
    assert "설정을 마쳤어요" in done["text"]
    assert "⚙️ 내 정보·알림 설정" in kim.buttons(done)

    row = citizen_row(db, 1001)
    assert row is not None
    assert (row.language, row.easy_mode, row.privacy_consent) == ("ko", True, True)
    assert (row.dong, row.age_band, row.interests) == (
        "매탄3동",
        "40s",
        ["transport", "environment"],
    )
    assert row.onboarded


async def test_easy_mode_puts_one_button_per_row(fake: FakeTelegram, service: str) -> None:
    lee = fake.citizen(1002)
    await lee.say("hi")
    await lee.reply()
    await lee.tap("English (영어)")
    await lee.reply()
    await lee.tap("Big buttons")
    await lee.reply()
    await lee.tap("I agree")
    ask_dong = await lee.reply()
    rows = ask_dong["reply_markup"]["keyboard"]
    assert "Which dong" in ask_dong["text"]
    assert [len(r) for r in rows[:4]] == [1, 1, 1, 1]
    assert rows[0][0]["text"] == "Jangan-gu"


async def test_refusing_privacy_skips_personal_questions_but_keeps_menus(
    fake: FakeTelegram, service: str, db: Engine
) -> None:
    park = fake.citizen(1003)
    await park.say("안녕")
    await park.reply()
    await park.say("1")
    await park.reply()
    await park.say("보통")
    await park.reply()
    await park.tap("동의하지 않습니다")
    done = await park.reply()
    assert "맞춤 안내가 필요하시면" in done["text"]
    assert "⚙️ 내 정보·알림 설정" in park.buttons(done)
    row = citizen_row(db, 1003)
    assert row is not None and row.privacy_consent is False and row.dong is None


async def test_commands_are_registered_in_korean_and_english(
    fake: FakeTelegram, service: str
) -> None:
    assert [c["command"] for c in fake.commands[""]][:3] == ["start", "menu", "me"]
    assert fake.commands[""][0]["description"] == "시작하기"
    assert fake.commands["en"][0]["description"] == "Start"
