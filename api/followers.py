"""Telling a proposal's followers what staff did, each in their own language.

The messages go to the outbox in the staff action's transaction; the bot's outbox job sends
them, so a staff action never waits on Telegram and nothing is lost if the bot is down.
"""

from collections.abc import Callable
from functools import partial

from sqlalchemy import Connection

from conversations.events import Reply
from conversations.messages import Catalog
from conversations.model import Translate
from storage import proposals, state


def tell_followers(
    connection: Connection, catalog: Catalog, proposal_id: int, words: Callable[[Translate], str]
) -> int:
    """Queues `words` (rendered per follower's language) for every follower; how many."""
    people = proposals.followers(connection, proposal_id)
    for person in people:
        text = words(partial(catalog.text, person.language))
        state.enqueue(
            connection,
            citizen_id=person.id,
            channel=person.channel,
            chat_id=person.chat_id,
            payloads=[Reply(text=text).to_dict()],
            claimed_until=None,
            reply_to_message=None,
        )
    return len(people)
