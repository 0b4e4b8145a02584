"""Citizens by channel identity; erasing one keeps nothing that could name them."""

from sqlalchemy import delete, update
from sqlmodel import Session, select

from storage.models import Citizen, ConversationState, OutboxMessage, utcnow


def get_or_create_citizen(
    session: Session, *, channel: str, external_id: str, chat_id: str, language: str | None = None
) -> Citizen:
    citizen = session.exec(
        select(Citizen).where(Citizen.channel == channel, Citizen.external_id == external_id)
    ).first()
    if citizen is None:
        citizen = Citizen(
            channel=channel, external_id=external_id, chat_id=chat_id, language=language
        )
        session.add(citizen)
        session.flush()
    elif citizen.chat_id != chat_id or not citizen.active:
        citizen.chat_id, citizen.active = chat_id, True
    return citizen


def save_citizen(session: Session, citizen: Citizen) -> None:
    if session.is_modified(citizen):
        citizen.updated_at = utcnow()


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


def erase_citizen(session: Session, *, citizen_id: int) -> None:
    """Deletes the citizen, their conversation and their undelivered replies."""
    session.execute(delete(ConversationState).where(ConversationState.citizen_id == citizen_id))  # type: ignore[arg-type]
    session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.citizen_id == citizen_id,  # type: ignore[arg-type]
            OutboxMessage.sent_at.is_(None),  # type: ignore[union-attr]
        )
    )
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.citizen_id == citizen_id)  # type: ignore[arg-type]
        .values(citizen_id=None)
    )
    session.execute(delete(Citizen).where(Citizen.id == citizen_id))  # type: ignore[arg-type]
