"""Citizens by channel identity; erasing one keeps nothing that could name them."""

from sqlalchemy import Connection, delete, update
from sqlmodel import Session

from storage import care, polls
from storage.models import Citizen, ConversationState, OutboxMessage, utcnow


def set_active(session: Session, *, channel: str, external_id: str, active: bool) -> bool:
    """Marks a citizen who blocked (or unblocked) the bot; False if we never knew them."""
    result = session.execute(
        update(Citizen)
        .where(Citizen.channel == channel, Citizen.external_id == external_id)  # type: ignore[arg-type]
        .values(active=active, updated_at=utcnow())
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def deactivate_chat(session: Session, *, channel: str, chat_id: str) -> None:
    session.execute(
        update(Citizen)
        .where(Citizen.channel == channel, Citizen.chat_id == chat_id)  # type: ignore[arg-type]
        .values(active=False, updated_at=utcnow())
    )


def erase_citizen(connection: Connection, *, citizen_id: int) -> None:
    """Deletes the citizen, their conversation and their undelivered replies."""
    connection.execute(delete(ConversationState).where(ConversationState.citizen_id == citizen_id))  # type: ignore[arg-type]
    connection.execute(
        delete(OutboxMessage).where(
            OutboxMessage.citizen_id == citizen_id,  # type: ignore[arg-type]
            OutboxMessage.sent_at.is_(None),  # type: ignore[union-attr]
        )
    )
    connection.execute(
        update(OutboxMessage)
        .where(OutboxMessage.citizen_id == citizen_id)  # type: ignore[arg-type]
        .values(citizen_id=None)
    )
    polls.forget_citizen(connection, citizen_id=citizen_id)
    care.erase_citizen(connection, citizen_id=citizen_id)
    connection.execute(delete(Citizen).where(Citizen.id == citizen_id))  # type: ignore[arg-type]
