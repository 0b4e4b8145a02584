"""The code on a slip from the counter, as people type it into a chat.

The slip says "연결 4827-1935"; people type that, or "4827 1935", "코드 48271935", "연결:
4827-1935". Eight digits are easy on any phone's keypad. With a word of linking before them
the digits are the code wherever the chat is; bare digits only where the chat is not asking
anything (a step may ask for a number, and a local phone number can have eight digits).
"""

import re

_WORDS = r"(?:연결|코드|창구|접수|번호|link|code)"
_CODE = re.compile(
    rf"^\s*(?P<word>(?:{_WORDS}\s*)+)?[:\-]?\s*(?P<a>\d{{4}})[\s\-.]?(?P<b>\d{{4}})\s*[.!]?\s*$",
    re.IGNORECASE,
)


def slip_code(text: str, *, bare: bool) -> str | None:
    """The eight digits of a slip's code in `text`, or None; `bare` allows them alone."""
    found = _CODE.match(text)
    if found is None or not (bare or found.group("word")):
        return None
    return found.group("a") + found.group("b")
