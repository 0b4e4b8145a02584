"""Surveys: the rules the API and the console share — making and changing a draft, the moves
of its life (schedule, open now, close early) and copying a past survey into a new draft.

Refusals are `SurveyRefused` with a code (for the console's words) and an English reason (the
API's); every change is audited here, once for both.
"""

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from conversations.flows.surveys import draft_problems
from conversations.messages import Catalog
from storage import audit, polls
from storage.db import aware
from storage.models import Staff, utcnow

COPIED = ("title", "intro", "outro", "english", "questions", "audience", "results_shown")
Moves = Sequence[tuple[str, datetime]]
Rescheduled = Callable[[int, Moves], None]


class SurveyRefused(Exception):
    """`code`: missing, unwalkable, started, closing_passed, state."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def walkable(catalog: Catalog, title: str, questions: Sequence[Mapping[str, Any]]) -> None:
    """A survey the chat could not walk (e.g. two options that read the same) is refused."""
    problems = draft_problems(title, questions, catalog)
    if problems:
        reason = "the survey cannot be offered in the chat: " + "; ".join(problems)
        raise SurveyRefused("unwalkable", reason)


def found(session: Session, poll_id: int) -> Any:
    row = polls.get(session.connection(), poll_id) if 0 < poll_id < 2**31 else None
    if row is None:
        raise SurveyRefused("missing", f"no poll {poll_id}")
    return row


def create(session: Session, staff: Staff, columns: Mapping[str, Any], catalog: Catalog) -> int:
    """A draft; nobody sees it until it is scheduled or opened."""
    walkable(catalog, columns["title"], columns["questions"])
    poll_id = polls.create(session.connection(), created_by=staff.id, **columns)
    audit.record(session, staff_id=staff.id, action="poll.create", target=f"poll:{poll_id}")
    return poll_id


def edit(
    session: Session,
    staff: Staff,
    poll_id: int,
    columns: Mapping[str, Any],
    catalog: Catalog,
    rescheduled: Rescheduled,
) -> None:
    """Replaces the survey; refused once it has opened, so every answer meets one survey."""
    walkable(catalog, columns["title"], columns["questions"])
    found(session, poll_id)
    if not polls.edit(session.connection(), poll_id=poll_id, **columns):
        raise SurveyRefused("started", "a poll can be edited only before it opens")
    audit.record(session, staff_id=staff.id, action="poll.edit", target=f"poll:{poll_id}")
    if found(session, poll_id).status == "scheduled":
        rescheduled(poll_id, [("open", columns["opens_at"]), ("close", columns["closes_at"])])


def schedule(
    session: Session, staff: Staff, poll_id: int, catalog: Catalog, rescheduled: Rescheduled
) -> None:
    """Publishes a draft: it opens at `opens_at` (at once if that has passed), closes on time."""
    row = found(session, poll_id)
    walkable(catalog, row.title, row.questions)
    closes_at = _closing_ahead(row)
    due = aware(row.opens_at) <= utcnow()
    _move(session, poll_id, before=("draft",), after="open" if due else "scheduled")
    audit.record(session, staff_id=staff.id, action="poll.schedule", target=f"poll:{poll_id}")
    moves = [("close", closes_at)]
    rescheduled(poll_id, moves if due else [("open", aware(row.opens_at)), *moves])


def open_now(
    session: Session, staff: Staff, poll_id: int, catalog: Catalog, rescheduled: Rescheduled
) -> None:
    """Opens a draft or scheduled poll now; it still closes at `closes_at`."""
    row = found(session, poll_id)
    walkable(catalog, row.title, row.questions)
    closes_at = _closing_ahead(row)
    _move(session, poll_id, before=("draft", "scheduled"), after="open", opens_at=utcnow())
    audit.record(session, staff_id=staff.id, action="poll.open", target=f"poll:{poll_id}")
    rescheduled(poll_id, [("close", closes_at)])


def close_early(session: Session, staff: Staff, poll_id: int) -> None:
    """Closes an open (or still scheduled) poll now; answers after this are refused."""
    found(session, poll_id)
    now = utcnow()
    _move(session, poll_id, before=("scheduled", "open"), after="closed", closes_at=now)
    audit.record(session, staff_id=staff.id, action="poll.close", target=f"poll:{poll_id}")


def _closing_ahead(row: Any) -> datetime:
    """The closing time, if it is still to come: a poll cannot open into the past."""
    closes_at = aware(row.closes_at)
    if closes_at <= utcnow():
        raise SurveyRefused("closing_passed", "closes_at has already passed")
    return closes_at


def _move(session: Session, poll_id: int, **move: Any) -> None:
    if not polls.move(session.connection(), poll_id=poll_id, **move):
        raise SurveyRefused("state", f"the poll is {found(session, poll_id).status}")


def duplicate(session: Session, staff: Staff, poll_id: int) -> int | None:
    """A new draft with a survey's questions and audience, opening a day from now for as long
    as the original ran (the staff member sets the dates before scheduling); None when there
    is no such survey."""
    connection = session.connection()
    row = polls.get(connection, poll_id)
    if row is None:
        return None
    opens_at = utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    copy = polls.create(
        connection,
        created_by=staff.id,
        opens_at=opens_at,
        closes_at=opens_at + (row.closes_at - row.opens_at),
        **{name: row._mapping[name] for name in COPIED},
    )
    audit.record(
        session,
        staff_id=staff.id,
        action="poll.duplicate",
        target=f"poll:{copy}",
        detail={"from": f"poll:{poll_id}"},
    )
    return copy
