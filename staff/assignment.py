"""Assigning a proposal to the department that owes its answer, with a due day: the one way
the API and the console do it, in the audit log.

A department is one that staff accounts belong to (an admin sets them), so a queue is
always somebody's; the due day is a day in the city's calendar, today or later.
"""

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from staff.refusals import Refused
from storage import audit, proposals
from storage.models import Staff


class AssignRefused(Refused):
    """Why an assignment cannot be made: `department` (nobody works there) or `due_past`."""


def departments(session: Session) -> list[str]:
    """The departments active staff belong to, by name."""
    named = session.exec(
        select(Staff.department)
        .where(col(Staff.active).is_(True), col(Staff.department) != "")
        .distinct()
        .order_by(Staff.department)
    )
    return list(named)


def assign_proposal(
    session: Session,
    *,
    staff_id: int,
    proposal: Any,
    department: str | None,
    due_on: date | None,
    today: date,
) -> None:
    """Puts the proposal in `department`'s queue, due on `due_on`; no department takes it out
    of every queue."""
    place = (department or "").strip() or None
    if place is None:
        due_on = None
    elif place not in departments(session):
        raise AssignRefused("department")
    elif due_on is not None and due_on < today:
        raise AssignRefused("due_past")
    proposals.assign(
        session.connection(), proposal_id=proposal.id, department=place, due_on=due_on
    )
    audit.record(
        session,
        staff_id=staff_id,
        action="proposal.assign" if place else "proposal.unassign",
        target=f"proposal:{proposal.id}",
        detail={
            "from": proposal.department,
            "department": place,
            "due_on": due_on.isoformat() if due_on else None,
        },
    )
