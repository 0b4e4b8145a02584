"""Checks that keep the citizens' sentences right as the catalogues grow: particles computed
from the word before them, no hedged particles, hints that quote a button quote its real
words, labels that fit each channel uncut."""

import re

import pytest

from conversations.messages import LANGUAGES, default_catalog
from tests.console.test_language import english as console_english
from tests.console.test_language import marked as console_marked

PARTICLE_AFTER_VALUE = re.compile(
    r"\{(\w+)\}'?(을|를|이|가|은|는|과|와|으로|로|이에요|예요|이라고|라고|아|야|이나|나)"
    r"(?=[\s.,!?~)\]」』\"']|$)"
)
HEDGED = re.compile(
    r"을\(를\)|를\(을\)|이\(가\)|가\(이\)|은\(는\)|는\(은\)|과\(와\)|와\(과\)|\(으\)로"
)
# 'label' followed by what one does with a button: press it, pick it.
QUOTED_BUTTON = {
    "ko": re.compile(
        r"'([^'\n{}]{1,30})'(?:을|를|이|가|은|는|로|으로|에서|이라고|라고)?\s*(?:버튼을\s*)?"
        r"(?:눌러|누르|고르)"
    ),
    "en": re.compile(r"(?:[Tt]ap|[Pp]ress|[Cc]hoose|[Pp]ick) '([^'\n{}]{1,30})'"),
}
# Buttons of the messenger itself, not ours: Telegram's own "Send Message" on a profile.
MESSENGER_BUTTONS = {"메시지 보내기", "Send Message"}
# The longest label each channel shows uncut: Telegram's reply keyboard has no hard limit
# but cuts long labels on a phone; KakaoTalk's quick replies take 14 characters.
LABEL_LIMITS = {"telegram": 32, "kakao": 14}


def labels(language: str) -> set[str]:
    """Every catalogue text as a button could show it, and a label's words before its
    placeholder ("✔️ 완료" of "✔️ 완료 ({count}개 선택)")."""
    found = set()
    for text in default_catalog().messages[language].values():
        if "\n" in text or len(text) > 40:
            continue
        found.add(text)
        if "{" in text:
            found.add(text.split("{", 1)[0].rstrip(" :("))
    return found


def test_a_particle_after_a_value_is_computed_from_the_value() -> None:
    korean = default_catalog().messages["ko"]
    written_out = [
        (key, found.group(0))
        for key, text in korean.items()
        for found in PARTICLE_AFTER_VALUE.finditer(text)
    ]
    assert written_out == [], "write {value:을}, not {value}을"


def test_no_sentence_hedges_its_particle() -> None:
    citizens = [text for text in default_catalog().messages["ko"].values()]
    assert [t for t in citizens if HEDGED.search(t)] == []
    assert [t for t in console_marked() if HEDGED.search(t)] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_quoted_button_is_quoted_in_its_real_words(language: str) -> None:
    known = labels(language) | MESSENGER_BUTTONS
    wrong = [
        (key, found.group(1))
        for key, text in default_catalog().messages[language].items()
        for found in QUOTED_BUTTON[language].finditer(text)
        if found.group(1) not in known
    ]
    assert wrong == []


def test_every_korean_message_and_console_string_has_english() -> None:
    catalog = default_catalog().messages
    assert catalog["ko"].keys() == catalog["en"].keys()
    words = console_english()
    assert [text for text in console_marked() if not words.get(text)] == []
