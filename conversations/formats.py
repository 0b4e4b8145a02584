"""Numbers, counts and dates as each language writes them (Babel's CLDR data).

A catalogue text writes `{count}` (1,234), `{count:support|supports}` (English plurals:
"1 support", "2 supports"; Korean texts need none) and `{date}` (11월 26일(목), Nov 26 (Thu)).
The catalogue hands every number and date in wrapped, so the text decides, not the flow.
"""

from datetime import date

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

DATE_PATTERNS = {"ko": "M월 d일(E)", "en": "MMM d (EEE)"}


class Count(int):
    """A number that formats with thousands separators and, given "one|other", a noun."""

    locale: str

    def __new__(cls, value: int, locale: str) -> "Count":
        number = super().__new__(cls, value)
        number.locale = locale
        return number

    def __format__(self, spec: str) -> str:
        if spec and "|" not in spec:
            return format(int(self), spec)
        shown = format_decimal(int(self), locale=self.locale)
        if not spec:
            return shown
        one, other = spec.split("|", 1)
        form = Locale.parse(self.locale).plural_form(int(self))
        return f"{shown} {one if form == 'one' else other}"


class Day(date):
    """A date that formats as the language writes a day, with its weekday."""

    locale: str

    def __new__(cls, value: date, locale: str) -> "Day":
        day = super().__new__(cls, value.year, value.month, value.day)
        day.locale = locale
        return day

    def __format__(self, spec: str) -> str:
        pattern = spec or DATE_PATTERNS.get(self.locale, DATE_PATTERNS["en"])
        return format_date(self, pattern, locale=self.locale)
