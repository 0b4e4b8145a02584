"""Citizens by channel identity; erasing one keeps nothing that could name them."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, delete, select, update
from sqlmodel import Session, col

from storage import care, kakao_answers, polls, proposals
from storage.db import AnyRow
from storage.models import Citizen, ConversationState, OutboxMessage, utcnow


def set_active(session: Session, *, channel: str, external_id: str, active: bool) -> bool:
    """Marks a citizen who blocked (or unblocked) the bot; False if we never knew them."""
    result = session.execute(
        update(Citizen)
        .where(col(Citizen.channel) == channel, col(Citizen.external_id) == external_id)
        .values(active=active, updated_at=utcnow())
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def deactivate_chat(session: Session, *, channel: str, chat_id: str) -> None:
    session.execute(
        update(Citizen)
        .where(col(Citizen.channel) == channel, col(Citizen.chat_id) == chat_id)
        .values(active=False, updated_at=utcnow())
    )


def erase_citizen(
    connection: Connection,
    *,
    citizen_id: int,
    remove_posts: bool = False,
    withdraw_care: bool = True,
    now: datetime | None = None,
) -> None:
    """Deletes the citizen, their conversation and every reply kept for them, sent or not.

    Sent replies are kept a day for support staff, and one may hold a sealed care summary:
    they go now, in the same transaction, not at the next prune; so do the answers kept for
    a KakaoTalk citizen's retries and paging. Survey answers stay as anonymous counts. As the
    citizen chose: their proposals and comments removed (`remove_posts`; else they stay,
    without a name) and open care cases withdrawn (`withdraw_care`; else kept for the
    caseworker, no longer linked to anyone).
    """
    who = connection.execute(
        select(col(Citizen.channel), col(Citizen.external_id)).where(col(Citizen.id) == citizen_id)
    ).first()
    if who is not None and who.channel == kakao_answers.CHANNEL:
        kakao_answers.forget_user(connection, user_key=who.external_id)
    connection.execute(
        delete(ConversationState).where(col(ConversationState.citizen_id) == citizen_id)
    )
    connection.execute(delete(OutboxMessage).where(col(OutboxMessage.citizen_id) == citizen_id))
    polls.forget_citizen(connection, citizen_id=citizen_id)
    care.erase_citizen(connection, citizen_id=citizen_id, withdraw_open=withdraw_care)
    if remove_posts:
        proposals.remove_posts_of(connection, author_id=citizen_id, now=now or utcnow())
    connection.execute(delete(Citizen).where(col(Citizen.id) == citizen_id))


def set_blocked(connection: Connection, *, citizen_id: int, reason: str | None) -> bool:
    """Blocks the citizen from posting with `reason`, or lifts it (None); False if there is
    no such citizen or nothing changes."""
    now = utcnow()
    changed = connection.execute(
        update(Citizen)
        .where(
            col(Citizen.id) == citizen_id,
            col(Citizen.blocked_at).is_(None) if reason else col(Citizen.blocked_at).is_not(None),
        )
        .values(
            blocked_at=now if reason else None,
            blocked_reason=reason,
            updated_at=now,
        )
    )
    return bool(changed.rowcount == 1)


def blocked(connection: Connection, *, citizen_id: int) -> bool:
    found = connection.execute(
        select(col(Citizen.blocked_at)).where(col(Citizen.id) == citizen_id)
    ).first()
    return found is not None and found.blocked_at is not None


def reachable(connection: Connection, *, citizen_id: int) -> list[AnyRow]:
    """The citizen as `Telling` needs them (none if they left or stopped messages)."""
    return list(
        connection.execute(
            select(
                col(Citizen.id),
                col(Citizen.channel),
                col(Citizen.chat_id),
                col(Citizen.language),
            ).where(col(Citizen.id) == citizen_id, col(Citizen.active).is_(True))
        ).all()
    )


# What staff may see of a citizen: a number, the channel, the dong, whether blocked and why.
_SEEN = (
    col(Citizen.id),
    col(Citizen.channel),
    col(Citizen.dong),
    col(Citizen.blocked_at),
    col(Citizen.blocked_reason),
)


def get(connection: Connection, citizen_id: int) -> AnyRow | None:
    """What staff may see of one citizen."""
    return connection.execute(select(*_SEEN).where(col(Citizen.id) == citizen_id)).first()


def get_many(connection: Connection, citizen_ids: Iterable[int]) -> dict[int, AnyRow]:
    """What staff may see of several citizens (a proposal's author and commenters), by id."""
    wanted = set(citizen_ids)
    if not wanted:
        return {}
    rows = connection.execute(select(*_SEEN).where(col(Citizen.id).in_(wanted)))
    return {row.id: row for row in rows}


def blocked_list(connection: Connection, *, limit: int = 200) -> list[AnyRow]:
    """Citizens blocked from posting, latest first."""
    return list(
        connection.execute(
            select(*_SEEN)
            .where(col(Citizen.blocked_at).is_not(None))
            .order_by(col(Citizen.blocked_at).desc())
            .limit(limit)
        ).all()
    )
