"""Versioned conversation state, the reply outbox and seen update ids.

These are written together in one transaction per citizen turn: the state (with its version
check), the replies to send, and the update id that caused them.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from storage.models import ConversationState, OutboxMessage, SeenUpdate, utcnow


def mark_update_seen(session: Session, *, channel: str, update_id: int) -> bool:
    """True the first time an update id is seen; False for a re-delivery."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(SeenUpdate)
        .values(channel=channel, update_id=update_id, seen_at=utcnow())
        .on_conflict_do_nothing()
        .returning(SeenUpdate.update_id)
    )
    return session.execute(statement).first() is not None


def load_state(session: Session, *, citizen_id: int) -> tuple[dict[str, Any], int | None]:
    """The stored session data and its version; version None when there is none yet."""
    row = session.get(ConversationState, citizen_id)
    return (dict(row.data), row.version) if row else ({}, None)


def save_state(
    session: Session, *, citizen_id: int, data: dict[str, Any], expected_version: int | None
) -> bool:
    """Writes the state if nobody else did since it was read; False means reload and retry."""
    if expected_version is None:
        session.add(ConversationState(citizen_id=citizen_id, data=data, version=1))
        session.flush()
        return True
    result = session.execute(
        update(ConversationState)
        .where(
            ConversationState.citizen_id == citizen_id,  # type: ignore[arg-type]
            ConversationState.version == expected_version,  # type: ignore[arg-type]
        )
        .values(data=data, version=expected_version + 1, updated_at=utcnow())
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def enqueue_replies(
    session: Session,
    *,
    citizen_id: int | None,
    channel: str,
    chat_id: str,
    payloads: Sequence[dict[str, Any]],
    claimed_until: datetime | None,
    reply_to_message: str | None = None,
) -> list[OutboxMessage]:
    rows = [
        OutboxMessage(
            citizen_id=citizen_id,
            channel=channel,
            chat_id=chat_id,
            payload=payload,
            reply_to_message=reply_to_message,
            claimed_until=claimed_until,
        )
        for payload in payloads
    ]
    session.add_all(rows)
    session.flush()
    return rows


def claim_unsent(
    session: Session,
    *,
    channel: str,
    now: datetime,
    created_before: datetime,
    claim_until: datetime,
    limit: int = 100,
) -> list[OutboxMessage]:
    """Unsent replies nobody is sending now, claimed so a second process leaves them alone."""
    candidates = session.exec(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.sent_at.is_(None),  # type: ignore[union-attr]
            OutboxMessage.failed.is_(False),  # type: ignore[attr-defined]
            OutboxMessage.created_at < created_before,
            or_(
                OutboxMessage.claimed_until.is_(None),  # type: ignore[union-attr]
                OutboxMessage.claimed_until < now,  # type: ignore[operator]
            ),
        )
        .order_by(OutboxMessage.id)  # type: ignore[arg-type]
        .limit(limit)
    ).all()
    claimed = []
    for message_id in candidates:
        result = session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,  # type: ignore[arg-type]
                or_(
                    OutboxMessage.claimed_until.is_(None),  # type: ignore[union-attr]
                    OutboxMessage.claimed_until < now,  # type: ignore[operator]
                ),
            )
            .values(claimed_until=claim_until, attempts=OutboxMessage.attempts + 1)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append(message_id)
    if not claimed:
        return []
    return list(
        session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.id.in_(claimed))  # type: ignore[union-attr]
            .order_by(OutboxMessage.id)  # type: ignore[arg-type]
        ).all()
    )


def mark_sent(session: Session, *, message_ids: Sequence[int]) -> None:
    if message_ids:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(message_ids))  # type: ignore[union-attr]
            .values(sent_at=utcnow(), claimed_until=None)
        )


def mark_failed(session: Session, *, message_ids: Sequence[int]) -> None:
    if message_ids:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(message_ids))  # type: ignore[union-attr]
            .values(failed=True, claimed_until=None)
        )


def prune(session: Session, *, seen_before: datetime, sent_before: datetime) -> None:
    """Forgets old update ids and delivered replies; a delivered reply is no longer needed."""
    session.execute(delete(SeenUpdate).where(SeenUpdate.seen_at < seen_before))  # type: ignore[arg-type]
    session.execute(
        delete(OutboxMessage).where(
            or_(
                OutboxMessage.sent_at < sent_before,  # type: ignore[operator]
                OutboxMessage.failed.is_(True),  # type: ignore[attr-defined]
            ),
            OutboxMessage.created_at < sent_before,
        )
    )
