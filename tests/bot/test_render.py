"""Engine replies become the right Telegram keyboards; Telegram input becomes engine events."""

from telegram import (
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)

from bot.inbound import event_from_update, press_from_data
from bot.render import markup_for
from conversations.events import Button, Command, Press, Reply, Text, Unsupported

OPTIONS = tuple(Button(f"v{i}", f"선택 {i}") for i in range(4))
NAV = (Button("nav:home", "🏠 처음으로"), Button("nav:help", "❓ 도움말"))


def test_inline_buttons_carry_the_prompt_id_within_telegrams_limit() -> None:
    markup = markup_for(Reply("?", buttons=OPTIONS, nav=NAV, inline=True, prompt_id=12345))
    assert isinstance(markup, InlineKeyboardMarkup)
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert data[0] == "12345|v0" and all(len(str(d).encode()) <= 64 for d in data)


def test_easy_mode_gives_every_option_its_own_row() -> None:
    normal = markup_for(Reply("?", buttons=OPTIONS, nav=NAV))
    easy = markup_for(Reply("?", buttons=OPTIONS, nav=NAV, one_per_row=True))
    assert isinstance(normal, ReplyKeyboardMarkup) and isinstance(easy, ReplyKeyboardMarkup)
    assert [len(r) for r in normal.keyboard] == [2, 2, 2]
    assert [len(r) for r in easy.keyboard] == [1, 1, 1, 1, 2]


def test_a_phone_question_puts_the_contact_button_first() -> None:
    markup = markup_for(Reply("?", nav=NAV, request_contact="📱 내 전화번호 보내기"))
    assert isinstance(markup, ReplyKeyboardMarkup)
    first: KeyboardButton = markup.keyboard[0][0]
    assert first.request_contact and first.text == "📱 내 전화번호 보내기"


def test_erasure_removes_the_keyboard_and_plain_text_has_none() -> None:
    assert isinstance(markup_for(Reply("bye", remove_keyboard=True)), ReplyKeyboardRemove)
    assert markup_for(Reply("just text")) is None


def test_button_data_we_did_not_make_reads_as_a_stale_press() -> None:
    assert press_from_data("garbage") == Press(-1, "")
    assert press_from_data("7|nav:back") == Press(7, "nav:back")


def update(message: dict) -> Update:
    base = {
        "message_id": 1,
        "date": 0,
        "chat": {"id": 9, "type": "private"},
        "from": {"id": 9, "is_bot": False, "first_name": "A"},
    }
    return Update.de_json({"update_id": 1, "message": {**base, **message}}, None)


def test_commands_text_and_media_become_engine_events() -> None:
    assert event_from_update(update({"text": "/Start@toktok_bot now"})) == Command("start")
    assert event_from_update(update({"text": "매탄 3동"})) == Text("매탄 3동", sender="A")
    voice = {"file_id": "v", "file_unique_id": "u", "duration": 3}
    assert event_from_update(update({"voice": voice})) == Unsupported("voice")
    location = {"latitude": 37.26, "longitude": 127.02}
    assert event_from_update(update({"location": location})) == Unsupported("location")
