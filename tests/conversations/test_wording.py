"""Checks that keep the citizens' sentences right as the catalogues grow: particles computed
from the word before them (and right after quoted words), no hedged particles, English for
every message. Quoted buttons and label lengths are checked on the rendered prompts
(`test_prompts.py`)."""

import re

from conversations.korean import particle
from conversations.messages import default_catalog
from tests.console.test_language import english as console_english
from tests.console.test_language import marked as console_marked

PARTICLE_AFTER_VALUE = re.compile(
    r"\{(\w+)\}'?(을|를|이|가|은|는|과|와|으로|로|이에요|예요|이라고|라고|아|야|이나|나)"
    r"(?=[\s.,!?~)\]」』\"']|$)"
)
HEDGED = re.compile(
    r"을\(를\)|를\(을\)|이\(가\)|가\(이\)|은\(는\)|는\(은\)|과\(와\)|와\(과\)|\(으\)로"
)
# A quoted word and the particle written after it: "'다음 쪽 ▶'을".
QUOTED_THEN_PARTICLE = re.compile(
    r"'([^'\n{}]{1,40})'(을|를|이|가|은|는|과|와|으로|로|이에요|예요|이라고|라고|이나|나)(?![가-힣])"
)


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


def test_a_particle_after_quoted_words_is_the_one_they_take() -> None:
    korean = default_catalog().messages["ko"]
    wrong = [
        (key, found.group(0))
        for key, text in korean.items()
        for found in QUOTED_THEN_PARTICLE.finditer(text)
        if particle(found.group(1), found.group(2)) != found.group(2)
    ]
    assert wrong == []


def test_every_korean_message_and_console_string_has_english() -> None:
    catalog = default_catalog().messages
    assert catalog["ko"].keys() == catalog["en"].keys()
    words = console_english()
    assert [text for text in console_marked() if not words.get(text)] == []
