"""Citizen-facing text from gettext catalogues (`catalog/<lang>.po`), Korean first.

Message ids are stable keys (`menu.prompt`), so a wording change never breaks a flow.
"""

from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from conversations.formats import Count, Day
from conversations.korean import Word

CATALOG_DIR = Path(__file__).parent / "catalog"
LANGUAGES = ("ko", "en")


class Catalog:
    def __init__(self, messages: dict[str, dict[str, str]], default_language: str = "ko") -> None:
        self.messages = messages
        self.default_language = default_language

    @classmethod
    def load(cls, directory: Path = CATALOG_DIR, default_language: str = "ko") -> "Catalog":
        messages: dict[str, dict[str, str]] = {}
        for language in LANGUAGES:
            with (directory / f"{language}.po").open("rb") as handle:
                catalog = read_po(handle, locale=language)
            messages[language] = {str(m.id): str(m.string) for m in catalog if m.id and m.string}
        return cls(messages, default_language)

    def text(self, language: str | None, key: str, /, **params: object) -> str:
        table = self.messages.get(language or self.default_language) or self.messages["ko"]
        template = table.get(key) or self.messages["ko"][key]
        if not params:
            return template
        locale = language if language in self.messages else "ko"
        return template.format(**{k: _wrapped(v, locale) for k, v in params.items()})

    def everywhere(self, key: str) -> list[str]:
        """The text of `key` in every language, for matching what a citizen types."""
        return [table[key] for table in self.messages.values() if key in table]


def _wrapped(value: object, locale: str) -> object:
    """Text picks its particles, numbers their separators and plurals, dates their form."""
    if isinstance(value, str):
        return Word(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return Count(value, locale)
    if isinstance(value, date) and not isinstance(value, datetime):
        return Day(value, locale)
    return value


@cache
def default_catalog() -> Catalog:
    return Catalog.load()
