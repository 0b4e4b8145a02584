"""The outbox of messages to citizens: queueing, claiming, marking sent, pruning."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy
from sqlalchemy import Connection, and_, delete, insert, or_, true, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from storage.db import AnyRow, table_of
from storage.models import OutboxMessage, utcnow

OUTBOX = table_of(OutboxMessage)
# Built once: every citizen turn runs it.
_INSERT_OUTBOX = insert(OUTBOX).returning(OUTBOX.c.id, sort_by_parameter_order=True)


def claim_unsent(
    session: Session,
    *,
    channel: str,
    now: datetime,
    created_before: datetime,
    claim_until: datetime,
    limit: int = 100,
    chat_id: str | None = None,
    news: bool = False,
) -> list[OutboxMessage]:
    """Unsent replies nobody is sending now (of one chat, if `chat_id`), claimed so a second
    process leaves them alone. `news`: only what staff queued (no turn) and nobody has
    claimed yet, however new — the news a sender delivers at once.

    Stale prompts are dropped first: an unsent reply of a turn older than one the citizen
    has had since (a crash left it behind) would arrive out of order, after newer ones.
    """
    if not news:  # news has no turn to be superseded; the sender asks for it every second
        drop_superseded(session, channel=channel, chat_id=chat_id)
    candidates = session.exec(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.channel == channel,
            col(OutboxMessage.sent_at).is_(None),
            col(OutboxMessage.failed).is_(False),
            OutboxMessage.created_at < created_before,
            OutboxMessage.chat_id == chat_id if chat_id is not None else true(),
            and_(col(OutboxMessage.turn).is_(None), col(OutboxMessage.claimed_until).is_(None))
            if news
            else true(),
            or_(
                col(OutboxMessage.claimed_until).is_(None),
                col(OutboxMessage.claimed_until) < now,
            ),
        )
        .order_by(col(OutboxMessage.id))
        .limit(limit)
    ).all()
    claimed = []
    for message_id in candidates:
        result = session.execute(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == message_id,
                or_(
                    col(OutboxMessage.claimed_until).is_(None),
                    col(OutboxMessage.claimed_until) < now,
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
            .where(col(OutboxMessage.id).in_(claimed))
            .order_by(col(OutboxMessage.id))
        ).all()
    )


def drop_superseded(session: Session, *, channel: str, chat_id: str | None = None) -> int:
    """Marks unsent replies of superseded turns as failed (of one chat, if `chat_id`); how
    many."""
    later = aliased(OUTBOX)
    newer_turn = (
        select(later.c.id)
        .where(later.c.citizen_id == OUTBOX.c.citizen_id, later.c.turn > OUTBOX.c.turn)
        .exists()
    )
    result = session.execute(
        update(OUTBOX)
        .where(
            OUTBOX.c.channel == channel,
            OUTBOX.c.chat_id == chat_id if chat_id is not None else true(),
            OUTBOX.c.sent_at.is_(None),
            OUTBOX.c.failed.is_(False),
            OUTBOX.c.turn.is_not(None),
            newer_turn,
        )
        .values(failed=True, claimed_until=None)
    )
    return result.rowcount  # type: ignore[attr-defined, no-any-return]


def mark_sent(session: Session, *, message_ids: Sequence[int]) -> None:
    """Marks replies delivered. The goodbye to a citizen who erased themselves (a turn's
    reply without its citizen) is not kept the day others are: it goes once delivered."""
    if message_ids:
        session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(message_ids))
            .values(sent_at=utcnow(), claimed_until=None)
        )
        session.execute(
            delete(OutboxMessage).where(
                col(OutboxMessage.id).in_(message_ids),
                col(OutboxMessage.citizen_id).is_(None),
                col(OutboxMessage.turn).is_not(None),
            )
        )


def release(session: Session, *, message_ids: Sequence[int]) -> None:
    """Gives unsent replies back, so the outbox job retries them without waiting for the claim."""
    if message_ids:
        session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(message_ids))
            .values(claimed_until=None)
        )


def mark_failed(session: Session, *, message_ids: Sequence[int]) -> None:
    if message_ids:
        session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(message_ids))
            .values(failed=True, claimed_until=None)
        )


def prune(session: Session, *, sent_before: datetime, news_before: datetime) -> None:
    """Deletes delivered and given-up replies older than `sent_before`, and staff news (which
    the record's page lists as sent or failed) older than `news_before`."""
    for before, kept in (
        (sent_before, col(OutboxMessage.about).is_(None)),
        (news_before, col(OutboxMessage.about).is_not(None)),
    ):
        session.execute(
            delete(OutboxMessage).where(
                or_(
                    col(OutboxMessage.sent_at) < before,
                    col(OutboxMessage.failed).is_(True),
                ),
                col(OutboxMessage.created_at) < before,
                kept,
            )
        )


def enqueue(
    connection: Connection,
    *,
    citizen_id: int | None,
    channel: str,
    chat_id: str,
    payloads: list[dict[str, Any]],
    claimed_until: datetime | None,
    reply_to_message: str | None,
    turn: int | None = None,
    about: str | None = None,
) -> list[int]:
    """Stores the replies, already claimed by the process that will send them; their ids.

    `turn` is the state version the citizen's turn saved (none for staff messages), `about`
    the record a staff message is about.
    """
    if not payloads:
        return []
    now = utcnow()
    rows = [
        {
            "citizen_id": citizen_id,
            "channel": channel,
            "chat_id": chat_id,
            "payload": payload,
            "reply_to_message": reply_to_message,
            "turn": turn,
            "created_at": now,
            "claimed_until": claimed_until,
            "sent_at": None,
            "failed": False,
            "attempts": 1,
            "about": about,
        }
        for payload in payloads
    ]
    result = connection.execute(_INSERT_OUTBOX, rows)
    return list(result.scalars())


def deliveries(connection: Connection, *, about: str, limit: int = 200) -> list[AnyRow]:
    """Staff messages about one record, newest first: to whom, when queued, sent or failed.

    Sent ones are kept as long as sent replies are (`prune`), so the history is that long.
    """
    return list(
        connection.execute(
            sqlalchemy.select(
                OUTBOX.c.id,
                OUTBOX.c.citizen_id,
                OUTBOX.c.channel,
                OUTBOX.c.created_at,
                OUTBOX.c.sent_at,
                OUTBOX.c.failed,
            )
            .where(OUTBOX.c.about == about)
            .order_by(OUTBOX.c.id.desc())
            .limit(limit)
        ).all()
    )
