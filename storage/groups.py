"""Group chats the bot was added to: remembered only so it speaks up in each just once."""

from sqlalchemy import Connection

from storage.db import insert_unless_present, table_of
from storage.models import GroupChat, utcnow

GROUP = table_of(GroupChat)


def first_time(connection: Connection, *, chat_id: str) -> bool:
    """True the first time a group is seen (and remembered), False ever after."""
    added = connection.execute(
        insert_unless_present(connection, GROUP)
        .values(chat_id=chat_id, told_at=utcnow())
        .returning(GROUP.c.chat_id)
    ).first()
    return added is not None
