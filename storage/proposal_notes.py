"""Staff's private notes on proposals: sealed at rest, never shown to citizens."""

from datetime import datetime

from sqlalchemy import Connection, insert, select

from storage.db import table_of
from storage.models import ProposalNote, Staff, utcnow
from storage.sealing import Sealer

NOTE = table_of(ProposalNote)
STAFF = table_of(Staff)


def add(
    connection: Connection, *, sealer: Sealer, proposal_id: int, staff_id: int, body: str
) -> int:
    made: int = connection.execute(
        insert(NOTE)
        .values(
            proposal_id=proposal_id,
            staff_id=staff_id,
            sealed_body=sealer.seal_text(body),
            at=utcnow(),
        )
        .returning(NOTE.c.id)
    ).scalar_one()
    return made


def of_proposal(
    connection: Connection, *, sealer: Sealer, proposal_id: int
) -> list[tuple[str, str, datetime]]:
    """(writer's name, text, when) per note, oldest first."""
    rows = connection.execute(
        select(STAFF.c.name, NOTE.c.sealed_body, NOTE.c.at)
        .select_from(NOTE.outerjoin(STAFF, STAFF.c.id == NOTE.c.staff_id))
        .where(NOTE.c.proposal_id == proposal_id)
        .order_by(NOTE.c.id)
    )
    return [(r.name or "", sealer.open_text(r.sealed_body) or "", r.at) for r in rows]


def reseal(connection: Connection, sealer: Sealer) -> int:
    """Every note sealed again with the first key (key rotation); how many."""
    rows = connection.execute(select(NOTE.c.id, NOTE.c.sealed_body)).all()
    for row in rows:
        connection.execute(
            NOTE.update()
            .where(NOTE.c.id == row.id)
            .values(sealed_body=sealer.reseal_text(row.sealed_body))
        )
    return len(rows)
