"""Surveys: rules the API and the console share beyond the API's own routes — for now,
copying a past survey into a new draft."""

from datetime import timedelta

from sqlmodel import Session

from storage import audit, polls
from storage.models import Staff, utcnow

COPIED = ("title", "intro", "questions", "audience", "results_shown")


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
