"""The console's language: Korean first, English for those who switch (a cookie).

The Korean words are the message ids (as gettext means them to be: the page reads in
Korean with no catalogue at all) and `catalog/en.po` holds the English. A pure ASGI
middleware puts the reader's language in a context variable for the whole request, so a
page's Python and its template both say `_("...")` without handing the language around.
`tests/console/test_language.py` extracts every marked string with Babel and fails on any
without English.
"""

from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from conversations.korean import Word

CATALOG = Path(__file__).parent / "catalog" / "en.po"
LANGUAGE_COOKIE = "toktok_console_lang"
LANGUAGES = ("ko", "en")
_current: ContextVar[str] = ContextVar("console_language", default="ko")


@cache
def english() -> dict[str, str]:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string}


def current() -> str:
    return _current.get()


def _(text: str, **values: Any) -> str:
    """`text` (the Korean words) in the reader's language, with `values` put in its `{}`s;
    a text value picks the particle written after it (`{title:'을}`, as the chat does)."""
    said = english().get(text, text) if _current.get() == "en" else text
    if not values:
        return said
    return said.format(**{k: Word(v) if isinstance(v, str) else v for k, v in values.items()})


def N_(text: str) -> str:
    """Marks words kept in a table (translated where they are shown) for extraction."""
    return text


def template_gettext(text: str) -> str:
    """For Jinja's i18n extension (newstyle: it escapes and fills `%(name)s` itself)."""
    return english().get(text, text) if _current.get() == "en" else text


def template_ngettext(singular: str, plural: str, n: int) -> str:
    return template_gettext(singular if n == 1 else plural)


class ConsoleLanguage:
    """Sets the language of each console request from its cookie (Korean without one)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/console"):
            await self.app(scope, receive, send)
            return
        asked = HTTPConnection(scope).cookies.get(LANGUAGE_COOKIE, "ko")
        token = _current.set(asked if asked in LANGUAGES else "ko")
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)


def named(table: dict[str, str]) -> dict[str, str]:
    """A table of Korean names (statuses, roles) in the reader's language."""
    return {key: _(name) for key, name in table.items()}
