"""Counts for the staff dashboard."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, SQLColumnExpression, String, and_, case, cast, func, text, union
from sqlmodel import Session, col, select

from storage.db import table_of
from storage.models import (
    CareApplication,
    Citizen,
    Notice,
    NoticeDelivery,
    NoticeOptOut,
    Poll,
    PollResponse,
    Proposal,
    ProposalComment,
    ProposalSupport,
)

MISSED = ("failed", "blocked")


def citizen_counts(session: Session) -> dict[str, int]:
    def count(*conditions: SQLColumnExpression[bool]) -> int:
        return session.exec(select(func.count()).select_from(Citizen).where(*conditions)).one()

    return {
        "total": count(),
        "active": count(col(Citizen.active)),
        "onboarded": count(col(Citizen.onboarded)),
        "with_profile": count(col(Citizen.privacy_consent).is_(True)),
        "notices_enabled": count(col(Citizen.notices_enabled), col(Citizen.active)),
    }


SERVICES = ("proposals", "surveys", "care", "notices")


@dataclass(frozen=True)
class ServiceFigures:
    """One service in one period: its items, and the people who took part (as counted here;
    None once the small-group rule has withheld it, on the staff floor)."""

    items: int
    participants: int | None


def participation(
    connection: Connection, *, start: datetime, end: datetime
) -> dict[str, ServiceFigures]:
    """The yearly table's figures for [start, end), per service, defined once for the API
    and the console:

    - proposals: proposals filed; people who filed, commented on or supported one;
    - surveys: surveys and votes that opened (drafts never do); people who answered one;
    - care: applications made; people who applied (for themselves or a relative);
    - notices: tailored notices whose sending began; people a copy reached.
    """

    def within(column: Any) -> Any:
        return and_(column >= start, column < end)

    def people(*queries: Any) -> int | None:
        everyone = union(*queries).subquery()
        counted: int = connection.execute(select(func.count()).select_from(everyone)).scalar_one()
        return counted

    def count(table: Any, *where: Any) -> int:
        return connection.execute(
            select(func.count()).select_from(table).where(*where)
        ).scalar_one()

    proposal, comment, support = (
        table_of(t) for t in (Proposal, ProposalComment, ProposalSupport)
    )
    poll, response = table_of(Poll), table_of(PollResponse)
    care, notice = table_of(CareApplication), table_of(Notice)
    delivery = table_of(NoticeDelivery)
    return {
        "proposals": ServiceFigures(
            count(proposal, within(proposal.c.created_at)),
            people(
                select(proposal.c.author_id.label("who")).where(
                    within(proposal.c.created_at), proposal.c.author_id.is_not(None)
                ),
                select(comment.c.author_id).where(
                    within(comment.c.created_at), comment.c.author_id.is_not(None)
                ),
                select(support.c.citizen_id).where(within(support.c.created_at)),
            ),
        ),
        "surveys": ServiceFigures(
            count(poll, within(poll.c.opens_at), poll.c.status != "draft"),
            people(
                select(response.c.citizen_id.label("who")).where(
                    within(response.c.submitted_at), response.c.citizen_id.is_not(None)
                )
            ),
        ),
        "care": ServiceFigures(
            count(care, within(care.c.created_at)),
            people(
                select(care.c.citizen_id.label("who")).where(
                    within(care.c.created_at), care.c.citizen_id.is_not(None)
                )
            ),
        ),
        "notices": ServiceFigures(
            count(notice, within(notice.c.queued_at)),
            people(
                select(delivery.c.citizen_id.label("who")).where(
                    within(delivery.c.sent_at),
                    delivery.c.status == "sent",
                    delivery.c.citizen_id.is_not(None),
                )
            ),
        ),
    }


Group = tuple[str, str, str, str]


def citizen_groups(connection: Connection) -> dict[Group, int]:
    """Active, onboarded citizens per (dong, age band, language, interests as stored JSON),
    unknown ones under "": one pass over the citizens for every breakdown of them and every
    survey's audience."""
    citizen = table_of(Citizen)
    interests = cast(citizen.c.interests, String)
    rows = connection.execute(
        select(*[citizen.c.dong, citizen.c.age_band, citizen.c.language, interests, func.count()])
        .where(citizen.c.active, citizen.c.onboarded)
        .group_by(citizen.c.dong, citizen.c.age_band, citizen.c.language, interests)
    )
    return {
        (dong or "", band or "", lang or "", chosen or "[]"): count
        for dong, band, lang, chosen, count in rows
    }


def _day(connection: Connection, column: Any, midnight: datetime) -> Any:
    """A timestamp's day in the city, on either database: PostgreSQL bins the instant from a
    midnight of the city (no time zone arithmetic per row); SQLite keeps naive UTC text, so
    the day is moved into the city's time (UTC+9 all year)."""
    if connection.dialect.name == "postgresql":
        return func.date_bin(text("interval '1 day'"), column, midnight)
    return func.date(column, "+9 hours")


def new_citizens_by_day(connection: Connection, *, midnight: datetime) -> dict[str, int]:
    """Citizens per day they first wrote (the city's days, "YYYY-MM-DD"), every day; any
    period's weeks are sums of these. `midnight`: any midnight in the city."""
    citizen = table_of(Citizen)
    day = _day(connection, citizen.c.created_at, midnight)
    rows = connection.execute(select(day, func.count()).group_by(day))
    zone = midnight.tzinfo
    return {
        str(d.astimezone(zone).date() if isinstance(d, datetime) else d): count
        for d, count in rows
    }


def answer_moments(
    connection: Connection, *, start: datetime, end: datetime
) -> tuple[list[tuple[datetime, datetime]], list[tuple[datetime, datetime | None]]]:
    """Proposals filed in [start, end) that were answered: (filed, answered); and those whose
    supports reached the answer threshold in [start, end): (reached, answered or None)."""
    proposal = table_of(Proposal)
    answered = connection.execute(
        select(proposal.c.created_at, proposal.c.answered_at).where(
            proposal.c.created_at >= start,
            proposal.c.created_at < end,
            proposal.c.answered_at.is_not(None),
        )
    ).all()
    reached = connection.execute(
        select(proposal.c.threshold_reached_at, proposal.c.answered_at).where(
            proposal.c.threshold_reached_at >= start, proposal.c.threshold_reached_at < end
        )
    ).all()
    return [tuple(row) for row in answered], [tuple(row) for row in reached]


def surveys_opened(
    connection: Connection, *, start: datetime, end: datetime, limit: int
) -> list[Any]:
    """The latest surveys that opened in [start, end), with their responses."""
    poll, response = table_of(Poll), table_of(PollResponse)
    responses = (
        select(func.count())
        .where(response.c.poll_id == poll.c.id)
        .correlate(poll)
        .scalar_subquery()
    )
    return list(
        connection.execute(
            select(poll.c.id, poll.c.title, poll.c.audience, responses.label("responses"))
            .where(poll.c.opens_at >= start, poll.c.opens_at < end, poll.c.status != "draft")
            .order_by(poll.c.opens_at.desc(), poll.c.id.desc())
            .limit(limit)
        )
    )


def notices_reach(
    connection: Connection, *, start: datetime, end: datetime, limit: int
) -> list[Any]:
    """The latest notices whose sending began in [start, end): recipients (test copies aside),
    reached, and not delivered (failed or blocked)."""
    notice, delivery = table_of(Notice), table_of(NoticeDelivery)
    latest = (
        select(notice.c.id, notice.c.text, notice.c.queued_at)
        .where(notice.c.queued_at >= start, notice.c.queued_at < end)
        .order_by(notice.c.queued_at.desc(), notice.c.id.desc())
        .limit(limit)
        .subquery()
    )
    counted = func.count(delivery.c.id)
    rows = connection.execute(
        select(
            *[
                latest.c.id,
                latest.c.text,
                counted.label("recipients"),
                func.count(case((delivery.c.status == "sent", 1))).label("reached"),
                func.count(case((delivery.c.status.in_(("failed", "blocked")), 1))).label(
                    "missed"
                ),
            ]
        )
        .select_from(latest)
        .outerjoin(
            delivery,
            and_(delivery.c.notice_id == latest.c.id, delivery.c.citizen_id.is_not(None)),
        )
        .group_by(latest.c.id, latest.c.text, latest.c.queued_at)
        .order_by(latest.c.queued_at.desc(), latest.c.id.desc())
    )
    return list(rows)


def opt_outs(connection: Connection, *, start: datetime, end: datetime) -> dict[str, int]:
    """Moments in [start, end) a citizen switched notices off ("off") or muted a topic (the
    topic's key)."""
    opt_out = table_of(NoticeOptOut)
    key = func.coalesce(opt_out.c.topic, "off")
    rows = connection.execute(
        select(key, func.count())
        .where(opt_out.c.created_at >= start, opt_out.c.created_at < end)
        .group_by(key)
        .order_by(key)
    )
    return {name: count for name, count in rows}


def proposals_by(
    connection: Connection, column: str, *, start: datetime, end: datetime
) -> dict[str, int]:
    """Proposals filed in [start, end) per `category` or `status`."""
    proposal = table_of(Proposal)
    key = proposal.c[column]
    rows = connection.execute(
        select(key, func.count())
        .where(proposal.c.created_at >= start, proposal.c.created_at < end)
        .group_by(key)
        .order_by(key)
    )
    return dict(rows.all())
