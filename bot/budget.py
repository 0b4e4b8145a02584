"""The sending budget on the database, for a bot sent from by several processes at once.

Each request books its moment with one short transaction (`storage.send_budget`), run in a
thread so the event loop never waits on the database.

The database answers "your moment starts `wait` seconds after I read my clock", and that
reading happened somewhere during the round trip. So the moment is placed on this process's
clock from the end of the round trip (never early) and carries the round trip's length as
its uncertainty: the moment may already have begun that long before. Measured in the
thread, around the statement alone, so a busy event loop that takes the answer late does
not shift the moment late and onto another process's.
"""

import asyncio
import time
from dataclasses import dataclass

from sqlalchemy import Engine

from bot.ratelimit import HEADROOM
from storage import send_budget


@dataclass(frozen=True)
class Moment:
    """`granted`: send at `at` (this process's `time.monotonic()`), which may have begun up
    to `unsure` seconds earlier. Refused (a broadcast while the budget is booked ahead): ask
    again at `at`."""

    granted: bool
    at: float
    unsure: float


class DatabaseBudget:
    def __init__(self, db: Engine, *, rate: float, lookahead_slots: int = 3) -> None:
        self.db = db
        self.interval = HEADROOM / rate
        self.lookahead = self.interval * lookahead_slots

    async def book(self, *, reply: bool, slots: int = 1, lead: float = 0.0) -> Moment:
        return await asyncio.to_thread(self._book, reply, slots, lead)

    def _book(self, reply: bool, slots: int, lead: float) -> Moment:
        with self.db.begin() as connection:
            asked = time.monotonic()
            booking = send_budget.book(
                connection,
                interval=self.interval,
                reply=reply,
                lookahead=self.lookahead,
                slots=slots,
                lead=lead,
            )
            answered = time.monotonic()
        return Moment(booking.granted, answered + booking.wait, answered - asked)

    async def pause(self, seconds: float) -> None:
        await asyncio.to_thread(self._pause, seconds)

    def _pause(self, seconds: float) -> None:
        with self.db.begin() as connection:
            send_budget.pause(connection, seconds=seconds)
