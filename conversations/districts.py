"""Suwon's administrative dongs (행정동) and their districts (구), as citizens type them.

The list ships in `data/suwon_districts.csv` (44 dongs in 4 gu; see the data notes for sources).
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from conversations.matching import best_matches, is_clear_winner, normalize, without_endings

DATA_FILE = Path(__file__).parent / "data" / "suwon_districts.csv"
# The city's time zone, where no setting names one (`TIMEZONE` does in the service).
CITY_ZONE = ZoneInfo("Asia/Seoul")
_SPELLED_NUMBER = re.compile(r"(일|이|삼|사)동$")
_NUMERALS = {"일": "1", "이": "2", "삼": "3", "사": "4"}


@dataclass(frozen=True)
class Dong:
    name: str
    name_en: str
    gu: str
    gu_en: str


@dataclass(frozen=True)
class DongMatch:
    """A typed dong: one sure answer, a district to drill into, or candidates to offer."""

    dong: str | None = None
    gu: str | None = None
    candidates: tuple[str, ...] = ()


class Districts:
    def __init__(self, dongs: list[Dong]) -> None:
        self.dongs = {d.name: d for d in dongs}
        self.gus = list(dict.fromkeys(d.gu for d in dongs))
        self._gu_en = {d.gu: d.gu_en for d in dongs}
        self._keys = [(d.name, key) for d in dongs for key in _keys_for(d)]

    @classmethod
    def load(cls, path: Path = DATA_FILE) -> "Districts":
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        return cls([Dong(r["dong_ko"], r["dong_en"], r["gu_ko"], r["gu_en"]) for r in rows])

    def unknown(self, names: list[str]) -> list[str]:
        """The names that are not dongs of the city, for a clear error."""
        return [name for name in names if name not in self.dongs]

    def gu_of(self, dong: str | None) -> str | None:
        found = self.dongs.get(dong) if dong else None
        return found.gu if found else None

    def dongs_by_gu(self) -> dict[str, list[str]]:
        return {gu: self.dongs_in(gu) for gu in self.gus}

    def dongs_in(self, gu: str) -> list[str]:
        return [d.name for d in self.dongs.values() if d.gu == gu]

    def label(self, name: str, language: str) -> str:
        """A dong or gu name in the citizen's language."""
        if name in self.dongs:
            return self.dongs[name].name_en if language == "en" else name
        return self._gu_en.get(name, name) if language == "en" else name

    def match(self, text: str) -> DongMatch:
        """A dong or gu as typed, also with an ending after it (인계동이요, 매탄3동으로)."""
        found = self._match(text)
        if found.dong or found.gu:
            return found
        for form in without_endings(normalize(text)):
            shorter = self._match(form)
            if shorter.dong or shorter.gu:
                return shorter
        return found

    def _match(self, text: str) -> DongMatch:
        typed = normalize(_SPELLED_NUMBER.sub(lambda m: _NUMERALS[m.group(1)] + "동", text))
        for gu in self.gus:
            if typed in (normalize(gu), normalize(self._gu_en[gu]), normalize(gu[:-1])):
                return DongMatch(gu=gu)
        ranked = best_matches(typed, self._keys, limit=4, cutoff=60.0)
        if is_clear_winner(ranked, accept=85.0):
            return DongMatch(dong=ranked[0][0])
        return DongMatch(candidates=tuple(name for name, _ in ranked))


def _keys_for(dong: Dong) -> set[str]:
    """Korean name, its stem without 동, and the romanized name with and without 'dong'."""
    korean = normalize(dong.name)
    english = normalize(dong.name_en)
    return {korean, korean.removesuffix("동"), english, english.removesuffix("dong")}


@cache
def suwon() -> Districts:
    return Districts.load()
