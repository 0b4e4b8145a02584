"""Korean phone numbers as people type them, inside a sentence or alone: spaces, dashes,
dots, +82, full-width digits and digits said in Hangul (공일공 …).

Which numbers exist is Google's libphonenumber (`phonenumbers`), kept up to date with the
Korean plan: mobile, Seoul and the other area codes, internet phones (070), personal
numbers (0505), toll-free (080) and the nationwide numbers businesses use (1588-…). On top
of it, two rules of today's plan it is looser about: a 010 number has eight digits after
010, and a number whose last eight digits are one digit repeated (010-0000-0000) is a
placeholder, not a number. A number with a digit too few or too many is refused, never
reformatted into one that looks right.
"""

import re
import unicodedata

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher, PhoneNumberType

from conversations.numbers import SINO_DIGITS

_TAKEN = {
    PhoneNumberType.MOBILE,
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE,
    PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.UAN,
}
# Three or more digits said in Hangul in a row ("공일공", "일이삼사"): fewer are words.
_SPOKEN = re.compile(f"[{''.join(SINO_DIGITS)}]{{3,}}")
_PLUS_WITHOUT_PLUS = re.compile(r"(?<![\d+])82(?=[\s\-]?1?0?\d[\d\s\-]{7,}\d)")
_DIGITS = re.compile(r"\d")


def normalize_phone(text: str) -> str | None:
    """The first real Korean number in `text`, as 010-1234-5678 (or 031-123-4567), or None."""
    folded = _SPOKEN.sub(_said_digits, unicodedata.normalize("NFKC", text))
    folded = _PLUS_WITHOUT_PLUS.sub("+82", folded)
    for match in PhoneNumberMatcher(folded, "KR", leniency=Leniency.VALID):
        if match.number.country_code != 82:
            continue
        national = phonenumbers.national_significant_number(match.number)
        if _real(national) and phonenumbers.number_type(match.number) in _TAKEN:
            return _formatted(match.number, national)
    return None


def _said_digits(found: re.Match[str]) -> str:
    return "".join(str(SINO_DIGITS[letter]) for letter in found[0])


def _real(national: str) -> bool:
    """Not a placeholder (eight digits alike) and, for 010, eight digits after it."""
    if national.startswith("10") and len(national) != 10:
        return False
    return len(set(national[-8:])) > 1


def _formatted(number: phonenumbers.PhoneNumber, national: str) -> str:
    if national.startswith("50"):  # 0505-123-4567: the library groups it 050-5123-4567
        digits = "0" + national
        return f"{digits[:4]}-{digits[4:-4]}-{digits[-4:]}"
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
