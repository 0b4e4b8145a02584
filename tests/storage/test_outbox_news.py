"""The news sender takes only what staff queued and nobody holds: never a citizen's turn
reply (its own process sends it), never a message another sender has claimed."""

from datetime import timedelta

from sqlalchemy import Engine

from storage import state
from storage.db import transaction
from storage.models import utcnow


def queue(db: Engine, chat: str, *, turn: int | None, claimed: bool) -> int:
    now = utcnow()
    with transaction(db) as session:
        (message_id,) = state.enqueue(
            session.connection(),
            citizen_id=None,
            channel="telegram",
            chat_id=chat,
            payloads=[{"text": chat}],
            claimed_until=now + timedelta(seconds=30) if claimed else None,
            reply_to_message=None,
            turn=turn,
        )
    return message_id


def test_news_is_only_what_staff_queued_and_nobody_holds(db: Engine) -> None:
    news = queue(db, "news", turn=None, claimed=False)
    queue(db, "turn-reply", turn=7, claimed=False)
    queue(db, "being-sent", turn=None, claimed=True)
    now = utcnow()
    with transaction(db) as session:
        taken = state.claim_unsent(
            session,
            channel="telegram",
            now=now,
            created_before=now + timedelta(seconds=1),
            claim_until=now + timedelta(seconds=30),
            news=True,
        )
        again = state.claim_unsent(
            session,
            channel="telegram",
            now=now,
            created_before=now + timedelta(seconds=1),
            claim_until=now + timedelta(seconds=30),
            news=True,
        )
    assert [row.id for row in taken] == [news]
    assert again == []  # claimed: a second sender leaves it alone
