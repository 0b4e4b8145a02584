"""Figures an operator watches, read from the database: the same for `/metrics` (every
process) and `toktok status` (a terminal)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, select

from storage.db import aware, table_of
from storage.models import Notice, NoticeDelivery, OutboxMessage, Poll

OUTBOX = table_of(OutboxMessage)
DELIVERY = table_of(NoticeDelivery)
NOTICE = table_of(Notice)
POLL = table_of(Poll)


@dataclass(frozen=True)
class Figures:
    outbox_unsent: int
    outbox_oldest_seconds: float
    notices_queued: int
    notices_sent_last_minute: int
    notices_failed: int
    notices_sending: int
    surveys_open: int


def figures(connection: Connection, *, now: datetime) -> Figures:
    unsent = connection.execute(
        select(func.count(), func.min(OUTBOX.c.created_at)).where(
            OUTBOX.c.sent_at.is_(None), OUTBOX.c.failed.is_(False)
        )
    ).one()
    oldest = (now - aware(unsent[1])).total_seconds() if unsent[1] is not None else 0.0
    by_status: dict[str, int] = dict(
        connection.execute(
            select(DELIVERY.c.status, func.count())
            .where(DELIVERY.c.status.in_(("queued", "failed")))
            .group_by(DELIVERY.c.status)
        ).all()
    )
    sent = connection.execute(
        select(func.count()).where(DELIVERY.c.sent_at >= now - timedelta(minutes=1))
    ).scalar_one()
    sending = connection.execute(
        select(func.count()).where(NOTICE.c.status == "sending")
    ).scalar_one()
    surveys = connection.execute(select(func.count()).where(POLL.c.status == "open")).scalar_one()
    return Figures(
        outbox_unsent=unsent[0],
        outbox_oldest_seconds=max(0.0, oldest),
        notices_queued=by_status.get("queued", 0),
        notices_sent_last_minute=sent,
        notices_failed=by_status.get("failed", 0),
        notices_sending=sending,
        surveys_open=surveys,
    )
