"""The outbox of messages to citizens: queueing, claiming, marking sent, pruning."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy
from sqlalchemy import Connection, and_, bindparam, delete, insert, or_, true, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from storage.db import AnyRow, table_of
from storage.models import OutboxMessage, utcnow

OUTBOX = table_of(OutboxMessage)
# Built once: every citizen turn runs it.
_INSERT_OUTBOX = insert(OUTBOX).returning(OUTBOX.c.id, sort_by_parameter_order=True)
_MARK_SENT = (
    update(OUTBOX)
    .where(OUTBOX.c.id.in_(bindparam("b_ids", expanding=True)))
    .values(sent_at=bindparam("b_now"), claimed_until=None)
    .returning(OUTBOX.c.id, OUTBOX.c.citizen_id, OUTBOX.c.turn)
)


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
    unsent = (
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
    )
    candidates = session.exec(unsent).all()
    # News has no turn to be superseded; and with nothing unsent, nothing is stale.
    if candidates and not news and drop_superseded(session, channel=channel, chat_id=chat_id):
        candidates = session.exec(unsent).all()
    if not candidates:
        return []
    # One statement claims them all; a row another process claimed meanwhile is left out.
    claimed = (
        session.execute(
            update(OUTBOX)
            .where(
                OUTBOX.c.id.in_(candidates),
                or_(OUTBOX.c.claimed_until.is_(None), OUTBOX.c.claimed_until < now),
            )
            .values(claimed_until=claim_until, attempts=OUTBOX.c.attempts + 1)
            .returning(OUTBOX.c.id)
        )
        .scalars()
        .all()
    )
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


def mark_sent(db: Session | Connection, *, message_ids: Sequence[int]) -> None:
    """Marks replies delivered. The goodbye to a citizen who erased themselves (a turn's
    reply without its citizen) is not kept the day others are: it goes once delivered.
    One statement unless a goodbye is among them."""
    if message_ids:
        marked = db.execute(_MARK_SENT, {"b_ids": list(message_ids), "b_now": utcnow()})
        goodbyes = [row.id for row in marked if row.citizen_id is None and row.turn is not None]
        if goodbyes:
            db.execute(delete(OUTBOX).where(OUTBOX.c.id.in_(goodbyes)))


def release(db: Session | Connection, *, message_ids: Sequence[int]) -> None:
    """Gives unsent replies back, so the outbox job retries them without waiting for the claim."""
    if message_ids:
        db.execute(update(OUTBOX).where(OUTBOX.c.id.in_(message_ids)).values(claimed_until=None))


def unsend(db: Session | Connection, *, message_ids: Sequence[int]) -> None:
    """Gives replies back as never delivered, though marked so (or claimed) a moment ago: a
    KakaoTalk answer that the citizen was told to wait for instead."""
    if message_ids:
        db.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(message_ids))
            .values(sent_at=None, claimed_until=None)
        )


def mark_failed(db: Session | Connection, *, message_ids: Sequence[int]) -> None:
    if message_ids:
        db.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(message_ids))
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
    sent_at: datetime | None = None,
) -> list[int]:
    """Stores the replies, already claimed by the process that will send them (or `sent_at`
    already, by a channel that answers in the same request); their ids.

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
            "sent_at": sent_at,
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
