"""Telling citizens what staff did, each in their own language.

The messages go to the outbox, sealed, in the staff action's transaction; the bot's outbox
job sends them, so a staff action never waits on Telegram and nothing is lost if the bot is
down.
"""

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from sqlalchemy import Connection

from conversations.events import Reply
from conversations.messages import Catalog
from conversations.model import Translate
from storage import proposals, state
from storage.sealing import Sealer

Words = Callable[[Translate], str]


class Telling:
    """What a staff route needs to write to citizens: the texts and the data key."""

    def __init__(self, catalog: Catalog, sealer: Sealer) -> None:
        self.catalog = catalog
        self.sealer = sealer

    def tell(self, connection: Connection, people: Iterable[Any], words: Words) -> int:
        """Queues `words` for each person (id, channel, chat_id, language); how many."""
        count = 0
        for person in people:
            text = words(partial(self.catalog.text, person.language))
            state.enqueue(
                connection,
                citizen_id=person.id,
                channel=person.channel,
                chat_id=person.chat_id,
                payloads=[self.sealer.seal_json(Reply(text=text).to_dict())],
                claimed_until=None,
                reply_to_message=None,
            )
            count += 1
        return count

    def tell_followers(self, connection: Connection, proposal_id: int, words: Words) -> int:
        return self.tell(connection, proposals.followers(connection, proposal_id), words)
