"""Key rotation: everything sealed is sealed again with the first configured key."""

from sqlalchemy import Connection, select, update

from storage import care, counter, polls, proposal_notes
from storage.db import table_of
from storage.models import ConversationState, OutboxMessage, PollAnswer
from storage.sealing import Sealer, SealingError

STATE = table_of(ConversationState)
OUTBOX = table_of(OutboxMessage)
ANSWER = table_of(PollAnswer)


def reseal_everything(connection: Connection, sealer: Sealer) -> dict[str, int]:
    """States, queued replies, care cases, survey texts, staff notes on proposals and the
    counter's slip codes, re-sealed; rows per kind."""
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
    polls.seal_plain_texts(connection, sealer)
    texts = connection.execute(
        select(ANSWER.c.id, ANSWER.c.sealed_text).where(ANSWER.c.sealed_text.is_not(None))
    ).all()
    for row in texts:
        connection.execute(
            update(ANSWER)
            .where(ANSWER.c.id == row.id)
            .values(sealed_text=sealer.reseal_text(row.sealed_text))
        )
    return {
        "states": len(states),
        "survey texts": len(texts),
        "replies": len(replies),
        "care": care.reseal(connection, sealer),
        "proposal notes": proposal_notes.reseal(connection, sealer),
        "counter slips": counter.reseal(connection, sealer),
    }


def keys_open(connection: Connection, sealer: Sealer) -> bool:
    """Whether the configured keys open what is stored (the latest conversation state).

    Checked at start-up and by /readyz: a wrong but well-formed DATA_KEYS would otherwise be
    noticed only when each citizen's next turn fails.
    """
    latest = connection.execute(
        select(STATE.c.data).order_by(STATE.c.updated_at.desc()).limit(1)
    ).first()
    if latest is None:
        return True
    try:
        sealer.open_json(latest.data)
    except SealingError:
        return False
    return True
