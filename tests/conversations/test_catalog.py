"""Both catalogues carry every message, with the same placeholders."""

import re

from conversations.messages import LANGUAGES, default_catalog

PLACEHOLDER = re.compile(r"{(\w+)(?::[^}]*)?}")


def test_every_message_exists_in_korean_and_english_with_the_same_placeholders() -> None:
    catalog = default_catalog()
    korean = catalog.messages["ko"]
    for language in LANGUAGES:
        table = catalog.messages[language]
        assert table.keys() == korean.keys(), language
        for key, text in table.items():
            assert text.strip(), (language, key)
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(korean[key])), key


def test_an_unknown_language_falls_back_to_korean() -> None:
    assert default_catalog().text("fr", "choice.yes") == "네"
