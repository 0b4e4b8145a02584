"""Telling citizens what staff did, each in their own language.

The messages go to the outbox, sealed, in the staff action's transaction; the bot's outbox
job sends them, so a staff action never waits on Telegram and nothing is lost if the bot is
down.
"""

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from sqlalchemy import Connection

from conversations.events import Button, Reply, notice_action
from conversations.messages import Catalog
from conversations.model import Translate
from storage import proposals, state
from storage.counter import CHANNEL as COUNTER_CHANNEL
from storage.sealing import Sealer

Words = Callable[[Translate], str]


class Telling:
    """What a staff route needs to write to citizens: the texts and the data key."""

    def __init__(self, catalog: Catalog, sealer: Sealer) -> None:
        self.catalog = catalog
        self.sealer = sealer

    def tell(
        self,
        connection: Connection,
        people: Iterable[Any],
        words: Words,
        *,
        opens: str,
        about: str,
    ) -> int:
        """Queues `words` for each person (id, channel, chat_id, language); how many.

        Every message carries a button to act on it: it opens the service `opens` (a flow)
        where the citizen sees the details. `about` names the record ("proposal:12"), whose
        page then shows each message as queued, sent or failed.
        """
        count = 0
        for person in people:
            if person.channel == COUNTER_CHANNEL:
                continue  # no chat: the slip gave the office's phone and the code to join one
            t = partial(self.catalog.text, person.language)
            text = words(t)
            button = Button(notice_action("open", opens), t(f"tell.open.{opens}"))
            state.enqueue(
                connection,
                citizen_id=person.id,
                channel=person.channel,
                chat_id=person.chat_id,
                payloads=[
                    self.sealer.seal_json(
                        Reply(text=text, buttons=(button,), inline=True, prompt_id=0).to_dict()
                    )
                ],
                claimed_until=None,
                reply_to_message=None,
                about=about,
            )
            count += 1
        return count

    def tell_followers(self, connection: Connection, proposal_id: int, words: Words) -> int:
        followers = proposals.followers(connection, proposal_id)
        return self.tell(
            connection, followers, words, opens="browse", about=f"proposal:{proposal_id}"
        )
