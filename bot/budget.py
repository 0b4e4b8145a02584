"""The sending budget on the database, for a bot sent from by several processes at once.

Each request books its moment with one short transaction (`storage.send_budget`), run in a
thread so the event loop never waits on the database.
"""

import asyncio

from sqlalchemy import Engine

from bot.ratelimit import HEADROOM
from storage import send_budget
from storage.send_budget import Booking


class DatabaseBudget:
    def __init__(self, db: Engine, *, rate: float, lookahead_slots: int = 3) -> None:
        self.db = db
        self.interval = HEADROOM / rate
        self.lookahead = self.interval * lookahead_slots

    async def book(self, *, reply: bool, slots: int = 1) -> Booking:
        return await asyncio.to_thread(self._book, reply, slots)

    def _book(self, reply: bool, slots: int) -> Booking:
        with self.db.begin() as connection:
            return send_budget.book(
                connection,
                interval=self.interval,
                reply=reply,
                lookahead=self.lookahead,
                slots=slots,
            )

    async def pause(self, seconds: float) -> None:
        await asyncio.to_thread(self._pause, seconds)

    def _pause(self, seconds: float) -> None:
        with self.db.begin() as connection:
            send_budget.pause(connection, seconds=seconds)
