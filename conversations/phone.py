"""Korean phone numbers as people type them, validated for real: spaces, dashes, dots, +82,
full-width digits and digits said in Hangul (공일공 …).

Only numbers that exist in the Korean plan pass: mobile (010 + 8 digits; 011, 016–019 + 7–8),
Seoul (02 + 7–8), the other area codes (031–064 + 7–8) and internet phones (070 + 8). A number
with a digit too few or too many is refused, never reformatted into one that looks right.
"""

import re
import unicodedata

from conversations.numbers import hangul_digits

_SEPARATORS = re.compile(r"[\s\-.()/]")
_AREA_CODES = "31|32|33|41|42|43|44|51|52|53|54|55|61|62|63|64"
_PLAN = (
    (re.compile(r"^(010)(\d{4})(\d{4})$")),
    (re.compile(r"^(01[16789])(\d{3,4})(\d{4})$")),
    (re.compile(r"^(02)(\d{3,4})(\d{4})$")),
    (re.compile(rf"^(0(?:{_AREA_CODES}))(\d{{3,4}})(\d{{4}})$")),
    (re.compile(r"^(070)(\d{4})(\d{4})$")),
)


def normalize_phone(text: str) -> str | None:
    """The number as 010-1234-5678 (or 031-123-4567), or None if it is not a Korean number."""
    digits = _SEPARATORS.sub("", hangul_digits(unicodedata.normalize("NFKC", text)))
    if digits.startswith("+82"):
        digits = "0" + digits[3:].removeprefix("0")
    elif digits.startswith("0082"):
        digits = "0" + digits[4:].removeprefix("0")
    elif digits.startswith("82") and len(digits) >= 11:  # +82 typed without its plus
        digits = "0" + digits[2:].removeprefix("0")
    if not digits.isdigit():
        return None
    for pattern in _PLAN:
        found = pattern.match(digits)
        if found:
            return "-".join(found.groups())
    return None
