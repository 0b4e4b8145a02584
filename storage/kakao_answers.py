"""Kakao skill calls and their answers, kept a short while (sealed: replies may hold
personal data), and whether each answer was shown in time."""

import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    update,
)

from storage.db import table_of
from storage.models import Citizen, KakaoAnswer, NoticeDelivery, OutboxMessage

ANSWER = table_of(KakaoAnswer)
CITIZEN = table_of(Citizen)
OUTBOX = table_of(OutboxMessage)
DELIVERY = table_of(NoticeDelivery)
CHANNEL = "kakao"


@dataclass(frozen=True)
class Standing:
    """Where a citizen stands when a call arrives: the latest answer she saw (its id, 0 for
    none), her language, whether anything waits for her (replies or held notices), and the
    same call made a moment ago from the same place (its id), if it was."""

    seen: int
    language: str | None
    waiting: bool
    repeat: int | None


# Built once, with bound values: building and caching a statement on every call cost more
# than running it (a quarter of a call's time).
_SEEN = (
    select(ANSWER.c.id)
    .where(
        ANSWER.c.user_key == bindparam("b_user"),
        ANSWER.c.shown.is_(True),
        or_(ANSWER.c.answered_at.is_(None), ANSWER.c.answered_at <= bindparam("b_arrived")),
    )
    .order_by(ANSWER.c.id.desc())
    .limit(1)
    .cte("seen")
)
_LANGUAGE = (
    select(CITIZEN.c.language)
    .where(CITIZEN.c.channel == CHANNEL, CITIZEN.c.external_id == bindparam("b_user"))
    .scalar_subquery()
)
_UNSENT = (
    select(OUTBOX.c.id)
    .where(
        OUTBOX.c.channel == CHANNEL,
        OUTBOX.c.chat_id == bindparam("b_user"),
        OUTBOX.c.sent_at.is_(None),
        OUTBOX.c.failed.is_(False),
    )
    .exists()
)
_HELD = (
    select(DELIVERY.c.id)
    .where(DELIVERY.c.chat_id == bindparam("b_user"), DELIVERY.c.status == "held")
    .exists()
)
_CALL = ANSWER.alias("same_call")
_REPEAT = (
    select(_CALL.c.id)
    .where(
        _CALL.c.request_key == bindparam("b_key"),
        _CALL.c.seen == func.coalesce(select(_SEEN.c.id).scalar_subquery(), 0),
        _CALL.c.created_at >= bindparam("b_since"),
        _CALL.c.replies.is_not(None),
    )
    .order_by(_CALL.c.id.desc())
    .limit(1)
    .scalar_subquery()
)
_STANDING = select(
    select(_SEEN.c.id).scalar_subquery().label("seen"),
    _LANGUAGE.label("language"),
    or_(_UNSENT, _HELD).label("waiting"),
    _REPEAT.label("repeat"),
)
_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
_KEEP = insert(ANSWER).returning(ANSWER.c.id)
_ANSWERED = (
    update(ANSWER)
    .where(ANSWER.c.id == bindparam("b_call"))
    .values(
        replies=bindparam("b_replies", type_=ANSWER.c.replies.type),
        shown=bindparam("b_shown"),
        answered_at=bindparam("b_now"),
    )
)


def standing(
    connection: Connection, *, user_key: str, request_key: str, arrived: datetime, since: datetime
) -> Standing:
    """One statement for what every call needs before its turn. The answer she saw is the
    latest shown before the call `arrived`: a resend that waited behind its first call's
    turn starts where that one did, and is a repeat if the same call (`request_key`) was
    made from there `since` then."""
    row = connection.execute(
        _STANDING,
        {"b_user": user_key, "b_arrived": arrived, "b_key": request_key, "b_since": since},
    ).one()
    return Standing(int(row.seen or 0), row.language, bool(row.waiting), row.repeat)


def one_at_a_time(connection: Connection, *, user_key: str) -> None:
    """Serialises this citizen's calls that take one until the transaction ends, so a
    resend arriving at the same moment finds the first call kept (SQLite's writers are
    serial already)."""
    if connection.dialect.name == "postgresql":
        key = zlib.crc32(f"kakao:{user_key}".encode())
        connection.execute(_LOCK, {"key": key})


def keep(
    connection: Connection,
    *,
    user_key: str,
    request_key: str,
    seen: int,
    sealed: dict[str, Any],
    shown: bool,
    now: datetime,
) -> int:
    """Keeps a call with its answer, in the transaction that took the call (nobody sees
    the call before its answer); its id. `shown`: it went back within Kakao's wait."""
    row = {
        "user_key": user_key,
        "request_key": request_key,
        "seen": seen,
        "replies": sealed,
        "shown": shown,
        "created_at": now,
        "answered_at": now,
    }
    made: int = connection.execute(_KEEP, row).scalar_one()
    return made


def answered(
    connection: Connection, *, call_id: int, sealed: dict[str, Any], shown: bool, now: datetime
) -> None:
    """Answers a kept call again (the service handed its answer back, or sent it through
    the callback address after all); `shown`: the citizen saw it."""
    connection.execute(
        _ANSWERED, {"b_call": call_id, "b_replies": sealed, "b_shown": shown, "b_now": now}
    )


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


def forget_user(connection: Connection, *, user_key: str) -> None:
    """Every call and answer of this Kakao user (erased: answers may hold a care summary)."""
    connection.execute(delete(ANSWER).where(ANSWER.c.user_key == user_key))


def forget_before(connection: Connection, *, moment: datetime) -> int:
    return connection.execute(delete(ANSWER).where(ANSWER.c.created_at < moment)).rowcount
