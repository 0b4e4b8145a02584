"""The yearly table — items and participants per service over a range of months — read one
way for the API (`GET /api/v1/stats`) and the console's dashboard, so their figures agree."""

import json
import re
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine

from conversations.districts import suwon
from conversations.polls import audience_from
from conversations.small_groups import protect, shown
from storage import counter
from storage.db import aware
from storage.stats import (
    ServiceFigures,
    answer_moments,
    citizen_groups,
    new_citizens_by_day,
    notices_reach,
    opt_outs,
    participation,
    proposals_by,
    surveys_opened,
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
    """Items and participants per service; participants under five withheld."""
    counted = participation(connection, start=chosen.start, end=chosen.end)
    return {
        name: ServiceFigures(figures.items, shown(figures.participants or 0))
        for name, figures in counted.items()
    }


@dataclass(frozen=True)
class Breakdowns:
    """Citizens now (active and onboarded) by gu, dong and age band — groups under five
    withheld (None) — and the period's proposals by area and by status."""

    citizens_by_gu: dict[str, int | None]
    citizens_by_dong: dict[str, int | None]
    citizens_by_age_band: dict[str, int | None]
    proposals_by_category: dict[str, int]
    proposals_by_status: dict[str, int]
    # Proposals, survey answers and care applications by where they were filed: "telegram",
    # "kakao", "counter" (an official's, though joined to a chat later), "erased".
    items_by_channel: dict[str, dict[str, int]]


Groups = dict[tuple[str, str, str, str], int]


@dataclass(frozen=True)
class Citizens:
    """The one read of the citizens every period shares: their groups now (dong, age band,
    language, interests) and how many first wrote on each day."""

    groups: Groups
    days: dict[str, int]


def count_citizens(connection: Connection) -> Citizens:
    return Citizens(
        citizen_groups(connection),
        new_citizens_by_day(connection, midnight=datetime(2026, 1, 1, tzinfo=CITY)),
    )


def breakdowns(connection: Connection, chosen: Period, groups: Groups) -> Breakdowns:
    """`groups`: `storage.stats.citizen_groups`, read once for the breakdowns and the trends."""
    districts = suwon()
    by_dong: dict[str, int] = {}
    by_gu: dict[str, int] = {}
    by_age: dict[str, int] = {}
    for (dong, band, _, _), count in groups.items():
        gu = districts.gu_of(dong) or "unknown"
        by_dong[dong] = by_dong.get(dong, 0) + count
        by_gu[gu] = by_gu.get(gu, 0) + count
        by_age[band] = by_age.get(band, 0) + count
    window = {"start": chosen.start, "end": chosen.end}
    return Breakdowns(
        citizens_by_gu=protect(by_gu),
        citizens_by_dong=protect({dong or "unknown": n for dong, n in by_dong.items()}),
        citizens_by_age_band=protect({band or "unknown": n for band, n in by_age.items()}),
        proposals_by_category=proposals_by(connection, "category", **window),
        proposals_by_status=proposals_by(connection, "status", **window),
        items_by_channel=counter.by_channel(connection, **window),
    )


LATEST = 12  # surveys and notices listed with their rates and reach


@dataclass(frozen=True)
class AnswerTimes:
    """Proposals filed in the period that were answered, and the median days it took; of
    those whose supports reached the threshold in the period and are due (answered, or past
    their deadline), how many were answered within `deadline_days`."""

    answered: int
    median_days: float | None
    due: int
    within_deadline: int
    deadline_days: int

    @property
    def within_deadline_share(self) -> float | None:
        return round(100 * self.within_deadline / self.due, 1) if self.due else None


@dataclass(frozen=True)
class SurveyRate:
    """A survey that opened in the period: responses of the citizens its audience matches
    now; None where fewer than five (withheld), and then no rate either."""

    poll_id: int
    title: str
    responses: int | None
    audience: int | None
    rate: float | None


@dataclass(frozen=True)
class NoticeReach:
    notice_id: int
    text: str
    recipients: int | None
    reached: int | None
    undelivered: int | None


@dataclass(frozen=True)
class Trends:
    """Growth per week, answer times, survey response rates, notice reach and opt-outs for a
    period — every count of people under five withheld (None)."""

    citizens_by_week: dict[str, int | None]
    answer_times: AnswerTimes
    survey_response_rates: list[SurveyRate]
    notice_reach: list[NoticeReach]
    opt_outs: dict[str, int | None]


def trends(
    connection: Connection, chosen: Period, citizens: Citizens, *, answer_days: int, now: datetime
) -> Trends:
    window = {"start": chosen.start, "end": chosen.end}
    surveys = surveys_opened(connection, **window, limit=LATEST)
    return Trends(
        citizens_by_week=_weeks(citizens.days, chosen),
        answer_times=_answer_times(*answer_moments(connection, **window), answer_days, now),
        survey_response_rates=_rates(surveys, citizens.groups),
        notice_reach=[_reach(row) for row in notices_reach(connection, **window, limit=LATEST)],
        # Independent counts (all notices off; each topic muted), not parts of one total.
        opt_outs={key: shown(n) for key, n in opt_outs(connection, **window).items()},
    )


def _weeks(days: dict[str, int], chosen: Period) -> dict[str, int | None]:
    """Every week of the period, quiet ones as 0, by its Monday (the city's weeks), counting
    the period's days only."""
    first, end = chosen.start.date(), chosen.end.date()
    weeks: dict[str, int] = {}
    monday = first - timedelta(days=first.weekday())
    while monday < end:
        weeks[monday.isoformat()] = 0
        monday += timedelta(weeks=1)
    for day, count in days.items():
        moment = date.fromisoformat(day)
        if first <= moment < end:
            week = (moment - timedelta(days=moment.weekday())).isoformat()
            weeks[week] += count
    return protect(weeks)


def _reach(row: Any) -> NoticeReach:
    """Reached and missed are parts of the recipients (with those still waiting): protected
    together, so the total minus one part never gives back a small other."""
    parts = protect(
        {
            "reached": row.reached,
            "missed": row.missed,
            "waiting": row.recipients - row.reached - row.missed,
        }
    )
    return NoticeReach(row.id, row.text, shown(row.recipients), parts["reached"], parts["missed"])


def _days(since: datetime, until: datetime) -> float:
    return (aware(until) - aware(since)).total_seconds() / 86400


def _answer_times(
    answered: list[tuple[datetime, datetime]],
    reached: list[tuple[datetime, datetime | None]],
    answer_days: int,
    now: datetime,
) -> AnswerTimes:
    deadline = timedelta(days=answer_days)
    due = [(at, answer) for at, answer in reached if answer or aware(at) + deadline <= now]
    in_time = sum(1 for at, answer in due if answer and aware(answer) <= aware(at) + deadline)
    days = [_days(filed, answer) for filed, answer in answered]
    return AnswerTimes(
        answered=len(answered),
        median_days=round(median(days), 1) if days else None,
        due=len(due),
        within_deadline=in_time,
        deadline_days=answer_days,
    )


def _rates(surveys: list[Any], groups: Groups) -> list[SurveyRate]:
    """Each survey's audience counted by the chat's own rule (`Audience.includes`) over the
    citizens' groups."""
    districts = suwon()
    people = [
        (
            districts.gu_of(dong),
            dong or None,
            band or None,
            json.loads(chosen),
            language or None,
            n,
        )
        for (dong, band, language, chosen), n in groups.items()
    ]
    rates = []
    for row in surveys:
        audience = audience_from(row.audience)
        size = sum(
            n
            for gu, dong, band, interests, language, n in people
            if audience.includes(
                gu=gu, dong=dong, age_band=band, interests=interests, language=language
            )
        )
        responses, members = shown(row.responses), shown(size)
        rate = round(100 * row.responses / size, 1) if responses is not None and members else None
        rates.append(SurveyRate(row.id, row.title, responses, members, rate))
    return rates


@dataclass(frozen=True)
class Figures:
    """Everything the dashboard and `GET /api/v1/stats` show for a period, and when counted."""

    table: dict[str, ServiceFigures]
    breakdowns: Breakdowns
    trends: Trends
    counted_at: datetime


class FiguresCache:
    """The figures per period, each kept `seconds` (0: counted afresh every time).

    Counting reads every citizen and the period's activity — about a second and a half at
    1.2 million citizens on two cores, most of it the citizens' groups and the people in
    the yearly table — so staff see figures at most `seconds` old, with the moment they were
    counted; the API and the console read through the same cache, so they agree. `refresh`
    counts the page's default period ahead of the first reader.
    """

    def __init__(self, *, seconds: int, answer_days: int) -> None:
        self.seconds = seconds
        self.answer_days = answer_days
        self._kept: dict[Period, Figures] = {}
        self._citizens_counted: tuple[datetime, Citizens] | None = None  # every period's
        self._lock = threading.Lock()

    def figures(self, connection: Connection, chosen: Period, *, now: datetime) -> Figures:
        with self._lock:
            kept = self._kept.get(chosen)
        if kept is not None and (now - kept.counted_at).total_seconds() < self.seconds:
            return kept
        return self._count(connection, chosen, now)

    def _citizens(self, connection: Connection, now: datetime) -> tuple[datetime, Citizens]:
        """The read of the citizens, when made: the same for every period and most of the
        count, so kept as long as figures are."""
        with self._lock:
            kept = self._citizens_counted
        if kept is not None and (now - kept[0]).total_seconds() < self.seconds:
            return kept
        counted = (now, count_citizens(connection))
        with self._lock:
            self._citizens_counted = counted
        return counted

    def refresh(self, db: Engine, *, now: datetime) -> None:
        """Counts this year so far (the page as it opens) now, for the next reader."""
        if self.seconds:
            with db.connect() as connection:
                self._count(connection, period(None, None, now=now), now)

    def _count(self, connection: Connection, chosen: Period, now: datetime) -> Figures:
        counted_at, citizens = self._citizens(connection, now)
        found = Figures(
            table(connection, chosen),
            breakdowns(connection, chosen, citizens.groups),
            trends(connection, chosen, citizens, answer_days=self.answer_days, now=now),
            counted_at,  # the oldest part: the citizens' groups may be kept from before
        )
        if self.seconds:
            cutoff = now - timedelta(seconds=self.seconds)
            with self._lock:
                self._kept = {p: f for p, f in self._kept.items() if f.counted_at >= cutoff}
                self._kept[chosen] = found
        return found
