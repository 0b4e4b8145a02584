"""Korean phone numbers as people type them: spaces, dashes, dots, +82, full-width digits."""

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-.()/]")
_MOBILE = re.compile(r"^01[016789]\d{7,8}$")
_LANDLINE = re.compile(r"^0(2|[3-6][1-5]|70)\d{7,8}$")


def normalize_phone(text: str) -> str | None:
    """The number as 010-1234-5678 (or 031-123-4567), or None if it is not a phone number."""
    digits = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text))
    if digits.startswith("+82"):
        digits = "0" + digits[3:].removeprefix("0")
    elif digits.startswith("82") and len(digits) >= 11:
        digits = "0" + digits[2:].removeprefix("0")
    if not digits.isdigit():
        return None
    if _MOBILE.match(digits):
        return f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"
    if _LANDLINE.match(digits):
        area = 2 if digits.startswith("02") else 3
        return f"{digits[:area]}-{digits[area:-4]}-{digits[-4:]}"
    return None
