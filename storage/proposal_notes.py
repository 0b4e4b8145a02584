"""Staff's private notes on proposals: sealed at rest, never shown to citizens."""

from datetime import datetime

from sqlalchemy import Connection, insert, select

from storage.db import table_of
from storage.models import ProposalNote, utcnow
from storage.sealing import Sealer

NOTE = table_of(ProposalNote)


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
) -> list[tuple[int | None, str, datetime]]:
    """(staff id, text, when) per note, oldest first."""
    rows = connection.execute(
        select(NOTE).where(NOTE.c.proposal_id == proposal_id).order_by(NOTE.c.id)
    )
    return [(r.staff_id, sealer.open_text(r.sealed_body) or "", r.at) for r in rows]


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
