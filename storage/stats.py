"""Counts for the staff dashboard."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, union
from sqlmodel import Session, col, select

from storage.models import (
    CareApplication,
    Citizen,
    Notice,
    NoticeDelivery,
    Poll,
    PollResponse,
    Proposal,
    ProposalComment,
    ProposalSupport,
)


def citizen_counts(session: Session) -> dict[str, int]:
    def count(*conditions: object) -> int:
        return session.exec(select(func.count()).select_from(Citizen).where(*conditions)).one()

    return {
        "total": count(),
        "active": count(Citizen.active),
        "onboarded": count(Citizen.onboarded),
        "with_profile": count(col(Citizen.privacy_consent).is_(True)),
        "notices_enabled": count(Citizen.notices_enabled, Citizen.active),
    }


SERVICES = ("proposals", "surveys", "care", "notices")
SMALLEST_GROUP = 5


@dataclass(frozen=True)
class ServiceFigures:
    """One service in one period: its items, and the people who took part (None when
    fewer than five: the small-group rule)."""

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
        return withheld(
            connection.execute(select(func.count()).select_from(everyone)).scalar_one()
        )

    def count(table: Any, *where: Any) -> int:
        return connection.execute(
            select(func.count()).select_from(table).where(*where)
        ).scalar_one()

    proposal, comment, support = (
        t.__table__ for t in (Proposal, ProposalComment, ProposalSupport)
    )  # type: ignore[attr-defined]
    poll, response = Poll.__table__, PollResponse.__table__  # type: ignore[attr-defined]
    care, notice, delivery = (t.__table__ for t in (CareApplication, Notice, NoticeDelivery))  # type: ignore[attr-defined]
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


def withheld(count: int) -> int | None:
    """A group's size as shown: None (withheld) for one to four people."""
    return count if count == 0 or count >= SMALLEST_GROUP else None


def citizens_by_dong_and_age(connection: Connection) -> dict[tuple[str, str], int]:
    """Active, onboarded citizens per (dong, age band), unknown ones under "": one pass over
    the citizens for every breakdown of them."""
    citizen = Citizen.__table__  # type: ignore[attr-defined]
    rows = connection.execute(
        select(citizen.c.dong, citizen.c.age_band, func.count())
        .where(citizen.c.active, citizen.c.onboarded)
        .group_by(citizen.c.dong, citizen.c.age_band)
        .order_by(citizen.c.dong, citizen.c.age_band)
    )
    return {(dong or "", band or ""): count for dong, band, count in rows}


def proposals_by(
    connection: Connection, column: str, *, start: datetime, end: datetime
) -> dict[str, int]:
    """Proposals filed in [start, end) per `category` or `status`."""
    proposal = Proposal.__table__  # type: ignore[attr-defined]
    key = proposal.c[column]
    rows = connection.execute(
        select(key, func.count())
        .where(proposal.c.created_at >= start, proposal.c.created_at < end)
        .group_by(key)
        .order_by(key)
    )
    return dict(rows.all())
