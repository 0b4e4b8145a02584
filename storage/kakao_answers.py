"""Kakao skill calls and their answers, kept a short while (sealed: replies may hold
personal data)."""

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from storage.db import table_of
from storage.models import KakaoAnswer

ANSWER = table_of(KakaoAnswer)


def recent(
    connection: Connection, *, request_key: str, since: datetime
) -> tuple[int, dict[str, Any] | None] | None:
    """The same call made since `since`: (its id, its sealed replies or None while its turn
    runs), or None."""
    row = connection.execute(
        select(ANSWER.c.id, ANSWER.c.replies)
        .where(ANSWER.c.request_key == request_key, ANSWER.c.created_at >= since)
        .order_by(ANSWER.c.id.desc())
        .limit(1)
    ).first()
    return (row.id, row.replies) if row is not None else None


def started(connection: Connection, *, user_key: str, request_key: str, now: datetime) -> int:
    """Notes a call whose turn starts now; its id."""
    return connection.execute(
        insert(ANSWER)
        .values(user_key=user_key, request_key=request_key, replies=None, created_at=now)
        .returning(ANSWER.c.id)
    ).scalar_one()


def answered(connection: Connection, *, call_id: int, sealed: dict[str, Any]) -> None:
    connection.execute(update(ANSWER).where(ANSWER.c.id == call_id).values(replies=sealed))


def replies_of(connection: Connection, *, call_id: int) -> dict[str, Any] | None:
    return connection.execute(select(ANSWER.c.replies).where(ANSWER.c.id == call_id)).scalar()


def latest(connection: Connection, *, user_key: str) -> dict[str, Any] | None:
    """The replies of the citizen's latest answered call."""
    return connection.execute(
        select(ANSWER.c.replies)
        .where(ANSWER.c.user_key == user_key, ANSWER.c.replies.is_not(None))
        .order_by(ANSWER.c.id.desc())
        .limit(1)
    ).scalar()


def forget_before(connection: Connection, *, moment: datetime) -> int:
    return connection.execute(delete(ANSWER).where(ANSWER.c.created_at < moment)).rowcount
