"""The yearly table — items and participants per service over a range of months — read one
way for the API (`GET /api/v1/stats`) and the console's dashboard, so their figures agree."""

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from conversations.districts import suwon
from storage.stats import (
    ServiceFigures,
    citizens_by_dong_and_age,
    participation,
    proposals_by,
    withheld,
)

# Months are the city's months (a proposal filed at 00:30 on 1 March in Suwon is March's).
CITY = ZoneInfo("Asia/Seoul")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class PeriodRefused(ValueError):
    """A month range that cannot be read; the message says why, in English."""


@dataclass(frozen=True)
class Period:
    first: str  # "2026-01"
    last: str

    @property
    def start(self) -> datetime:
        year, month = _parts(self.first)
        return datetime(year, month, 1, tzinfo=CITY)

    @property
    def end(self) -> datetime:
        year, month = _parts(self.last)
        return datetime(year + month // 12, month % 12 + 1, 1, tzinfo=CITY)


def _parts(month: str) -> tuple[int, int]:
    found = _MONTH.match(month)
    if found is None:
        raise PeriodRefused(f"months are written YYYY-MM, not {month[:20]!r}")
    return int(found[1]), int(found[2])


def period(first: str | None, last: str | None, *, now: datetime) -> Period:
    """The months from `first` to `last`, both included; this year so far when not given."""
    today = now.astimezone(CITY)
    chosen = Period(first or f"{today.year}-01", last or f"{today.year}-{today.month:02d}")
    first_year, _ = _parts(chosen.first)
    last_year, _ = _parts(chosen.last)
    if chosen.first > chosen.last:
        raise PeriodRefused("the first month comes after the last")
    if first_year < 2000 or last_year > 2100:
        raise PeriodRefused("months are between 2000-01 and 2100-12")
    return chosen


def table(connection: Connection, chosen: Period) -> dict[str, ServiceFigures]:
    return participation(connection, start=chosen.start, end=chosen.end)


@dataclass(frozen=True)
class Breakdowns:
    """Citizens now (active and onboarded) by gu, dong and age band — groups under five
    withheld (None) — and the period's proposals by area and by status."""

    citizens_by_gu: dict[str, int | None]
    citizens_by_dong: dict[str, int | None]
    citizens_by_age_band: dict[str, int | None]
    proposals_by_category: dict[str, int]
    proposals_by_status: dict[str, int]


def breakdowns(connection: Connection, chosen: Period) -> Breakdowns:
    districts = suwon()
    by_dong: dict[str, int] = {}
    by_gu: dict[str, int] = {}
    by_age: dict[str, int] = {}
    for (dong, band), count in citizens_by_dong_and_age(connection).items():
        gu = districts.gu_of(dong) or "unknown"
        by_dong[dong] = by_dong.get(dong, 0) + count
        by_gu[gu] = by_gu.get(gu, 0) + count
        by_age[band] = by_age.get(band, 0) + count
    window = {"start": chosen.start, "end": chosen.end}
    return Breakdowns(
        citizens_by_gu={gu: withheld(n) for gu, n in by_gu.items()},
        citizens_by_dong={dong or "unknown": withheld(n) for dong, n in by_dong.items()},
        citizens_by_age_band={band or "unknown": withheld(n) for band, n in by_age.items()},
        proposals_by_category=proposals_by(connection, "category", **window),
        proposals_by_status=proposals_by(connection, "status", **window),
    )
