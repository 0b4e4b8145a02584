"""Staff's private notes on a proposal: for colleagues, never for citizens; each one sealed
and in the audit log (who wrote on which proposal, not what)."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from staff.refusals import Refused
from storage import audit, proposal_notes
from storage.sealing import Sealer

NOTE_LIMIT = 2000


class NoteRefused(Refused):
    """An empty note, or one over `NOTE_LIMIT` characters (`code`: `empty` or `long`)."""


@dataclass(frozen=True)
class Note:
    author: str
    text: str
    at: datetime


def note_proposal(
    session: Session, sealer: Sealer, *, staff_id: int, proposal_id: int, text: str
) -> int:
    body = text.strip()
    if not body:
        raise NoteRefused("empty")
    if len(body) > NOTE_LIMIT:
        raise NoteRefused("long")
    made = proposal_notes.add(
        session.connection(),
        sealer=sealer,
        proposal_id=proposal_id,
        staff_id=staff_id,
        body=body,
    )
    audit.record(
        session,
        staff_id=staff_id,
        action="proposal.note",
        target=f"proposal:{proposal_id}",
        detail={"note": made},
    )
    return made


def notes_of(session: Session, sealer: Sealer, *, proposal_id: int) -> list[Note]:
    """The proposal's notes, oldest first, each with its writer's name."""
    found = proposal_notes.of_proposal(
        session.connection(), sealer=sealer, proposal_id=proposal_id
    )
    return [Note(author, text, at) for author, text, at in found]
