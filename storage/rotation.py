"""Key rotation: everything sealed is sealed again with the first configured key."""

from sqlalchemy import Connection, select, update

from storage import care
from storage.db import table_of
from storage.models import ConversationState, OutboxMessage
from storage.sealing import Sealer

STATE = table_of(ConversationState)
OUTBOX = table_of(OutboxMessage)


def reseal_everything(connection: Connection, sealer: Sealer) -> dict[str, int]:
    """Conversation states, queued replies and care cases, re-sealed; rows per kind."""
    states = connection.execute(select(STATE.c.citizen_id, STATE.c.data)).all()
    for row in states:
        connection.execute(
            update(STATE)
            .where(STATE.c.citizen_id == row.citizen_id)
            .values(data=sealer.reseal_json(row.data))
        )
    replies = connection.execute(select(OUTBOX.c.id, OUTBOX.c.payload)).all()
    for row in replies:
        connection.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id == row.id)
            .values(payload=sealer.reseal_json(row.payload))
        )
    return {
        "states": len(states),
        "replies": len(replies),
        "care": care.reseal(connection, sealer),
    }
