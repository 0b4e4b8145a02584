"""Which KakaoTalk citizens have news waiting that they were not yet told of (through
Kakao's Event API), and noting that they were."""

from datetime import datetime

from sqlalchemy import Connection, func, select

from storage.db import aware, insert_unless_present, table_of
from storage.models import Citizen, KakaoPoke, NoticeDelivery, OutboxMessage
from storage.notices import HELD

OUTBOX = table_of(OutboxMessage)
DELIVERY = table_of(NoticeDelivery)
CITIZEN = table_of(Citizen)
POKE = table_of(KakaoPoke)


def untold(connection: Connection, *, channel: str, limit: int = 500) -> list[str]:
    """Chats with unsent staff messages or held notices newer than their last poke. A turn's
    own reply (it has a turn) is the citizen's answer on its way, never news to poke for."""
    newest: dict[str, datetime] = {}
    staff = connection.execute(
        select(OUTBOX.c.chat_id, func.max(OUTBOX.c.created_at))
        .where(
            OUTBOX.c.channel == channel,
            OUTBOX.c.sent_at.is_(None),
            OUTBOX.c.failed.is_(False),
            OUTBOX.c.turn.is_(None),
        )
        .group_by(OUTBOX.c.chat_id)
        .limit(limit)
    ).all()
    held = connection.execute(
        select(DELIVERY.c.chat_id, func.max(DELIVERY.c.not_before))
        .join(CITIZEN, CITIZEN.c.id == DELIVERY.c.citizen_id)
        .where(DELIVERY.c.status == HELD, CITIZEN.c.channel == channel)
        .group_by(DELIVERY.c.chat_id)
        .limit(limit)
    ).all()
    for chat_id, when in (*staff, *held):
        when = aware(when)
        if chat_id not in newest or when > newest[chat_id]:
            newest[chat_id] = when
    if not newest:
        return []
    pokes = dict(
        connection.execute(
            select(POKE.c.chat_id, POKE.c.poked_at).where(POKE.c.chat_id.in_(list(newest)))
        ).all()
    )
    return [
        chat
        for chat, when in sorted(newest.items(), key=lambda item: item[1])
        if chat not in pokes or when > aware(pokes[chat])
    ][:limit]


def told(connection: Connection, *, chat_ids: list[str], now: datetime) -> None:
    for chat_id in chat_ids:
        connection.execute(
            insert_unless_present(connection, POKE).values(chat_id=chat_id, poked_at=now)
        )
        connection.execute(POKE.update().where(POKE.c.chat_id == chat_id).values(poked_at=now))
