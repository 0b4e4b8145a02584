"""Kakao skill calls and their answers, kept a short while (sealed: replies may hold
personal data), and whether each answer was shown in time."""

import zlib
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, null, select, text, update

from storage.db import table_of
from storage.models import Citizen, KakaoAnswer

ANSWER = table_of(KakaoAnswer)
CITIZEN = table_of(Citizen)
CHANNEL = "kakao"


def one_at_a_time(connection: Connection, *, user_key: str) -> None:
    """Serialises this citizen's calls until the transaction ends, so a resend arriving at
    the same moment finds the first call noted (SQLite's writers are serial already)."""
    if connection.dialect.name == "postgresql":
        key = zlib.crc32(f"kakao:{user_key}".encode())
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


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
    made: int = connection.execute(
        insert(ANSWER)  # SQL's NULL, not JSON's null: "not answered yet" is a plain IS NULL
        .values(user_key=user_key, request_key=request_key, replies=null(), created_at=now)
        .returning(ANSWER.c.id)
    ).scalar_one()
    return made


def answered(connection: Connection, *, call_id: int, sealed: dict[str, Any], shown: bool) -> None:
    """Keeps the call's replies; `shown`: they went back within Kakao's wait."""
    connection.execute(
        update(ANSWER).where(ANSWER.c.id == call_id).values(replies=sealed, shown=shown)
    )


def last_shown(connection: Connection, *, user_key: str) -> int:
    """The id of the citizen's latest call whose answer they saw (0: none): where their
    conversation stood for the next call."""
    found = connection.execute(
        select(ANSWER.c.id)
        .where(ANSWER.c.user_key == user_key, ANSWER.c.shown.is_(True))
        .order_by(ANSWER.c.id.desc())
        .limit(1)
    ).scalar()
    return int(found or 0)


def replies_of(connection: Connection, *, call_id: int, user_key: str) -> dict[str, Any] | None:
    """The sealed replies of one of this user's calls; None for anybody else's."""
    return connection.execute(
        select(ANSWER.c.replies).where(ANSWER.c.id == call_id, ANSWER.c.user_key == user_key)
    ).scalar()


def latest(connection: Connection, *, user_key: str) -> tuple[int, dict[str, Any]] | None:
    """The citizen's latest answered call: its id and sealed replies."""
    row = connection.execute(
        select(ANSWER.c.id, ANSWER.c.replies)
        .where(ANSWER.c.user_key == user_key, ANSWER.c.replies.is_not(None))
        .order_by(ANSWER.c.id.desc())
        .limit(1)
    ).first()
    return (row.id, row.replies) if row is not None else None


def pending(connection: Connection, *, user_key: str, since: datetime) -> bool:
    """Whether a call of the citizen's since `since` is still without its answer."""
    return (
        connection.execute(
            select(ANSWER.c.id)
            .where(
                ANSWER.c.user_key == user_key,
                ANSWER.c.replies.is_(None),
                ANSWER.c.created_at >= since,
            )
            .limit(1)
        ).first()
        is not None
    )


def forget_user(connection: Connection, *, user_key: str) -> None:
    """Every call and answer of this Kakao user (erased: answers may hold a care summary)."""
    connection.execute(delete(ANSWER).where(ANSWER.c.user_key == user_key))


def forget_if_erased(connection: Connection, *, user_key: str) -> bool:
    """Forgets the user's calls when no citizen is left for them (the turn erased them)."""
    present = connection.execute(
        select(CITIZEN.c.id).where(CITIZEN.c.channel == CHANNEL, CITIZEN.c.external_id == user_key)
    ).first()
    if present is None:
        forget_user(connection, user_key=user_key)
    return present is None


def language_of(connection: Connection, *, user_key: str) -> str | None:
    """The language the citizen chose, for the channel's own words (더 보기, 다음 ▶)."""
    return connection.execute(
        select(CITIZEN.c.language).where(
            CITIZEN.c.channel == CHANNEL, CITIZEN.c.external_id == user_key
        )
    ).scalar()


def forget_before(connection: Connection, *, moment: datetime) -> int:
    return connection.execute(delete(ANSWER).where(ANSWER.c.created_at < moment)).rowcount
