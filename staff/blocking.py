"""Blocking a citizen who abuses the channel from posting, and lifting it: the one way the
API and the console do it. The citizen is told kindly, with the reason, in their language;
the audit log keeps who did it and why. Reading, supporting, surveys, care and notices stay
open to them: only new proposals and comments stop.
"""

from sqlmodel import Session

from staff.refusals import Refused
from staff.telling import Telling
from storage import audit, citizens

REASON_LIMIT = 200


class BlockRefused(Refused):
    """`missing` (no such citizen), `reason` (none given, or too long), or `unchanged`
    (already blocked, or not blocked)."""


def block_citizen(
    session: Session, telling: Telling, *, staff_id: int, citizen_id: int, reason: str
) -> int:
    """Blocks the citizen from posting; how many messages told them (0 if unreachable)."""
    why = reason.strip()
    if not why or len(why) > REASON_LIMIT:
        raise BlockRefused("reason")
    return _set(session, telling, staff_id=staff_id, citizen_id=citizen_id, reason=why)


def unblock_citizen(session: Session, telling: Telling, *, staff_id: int, citizen_id: int) -> int:
    return _set(session, telling, staff_id=staff_id, citizen_id=citizen_id, reason=None)


def _set(
    session: Session, telling: Telling, *, staff_id: int, citizen_id: int, reason: str | None
) -> int:
    connection = session.connection()
    if citizens.get(connection, citizen_id) is None:
        raise BlockRefused("missing")
    if not citizens.set_blocked(connection, citizen_id=citizen_id, reason=reason):
        raise BlockRefused("unchanged")
    told = telling.tell(
        connection,
        citizens.reachable(connection, citizen_id=citizen_id),
        (lambda t: t("citizen.blocked", reason=reason))
        if reason
        else (lambda t: t("citizen.unblocked")),
        opens="browse" if reason else "propose",
        about=f"citizen:{citizen_id}",
    )
    audit.record(
        session,
        staff_id=staff_id,
        action="citizen.block" if reason else "citizen.unblock",
        target=f"citizen:{citizen_id}",
        detail={"reason": reason, "told": told} if reason else {"told": told},
    )
    return told
