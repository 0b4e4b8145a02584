"""Several citizens served at once, each citizen's own updates strictly one after another.

While one citizen's turn runs in a turn worker, the bot can already send another citizen's
replies; that overlap is what lets a second core help. A citizen's messages must still be
answered in the order they were written, so updates of one user wait for the one before.

PTB starts an update's task in arrival order, and asyncio's semaphore admits waiters first
come, first served, so updates reach `do_process_update` in arrival order: the chain of one
user is built in that order. A task registers only once it holds a slot, so the update it
waits for holds one too (or is done): waiting never starves the chain's head.
"""

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.flood import FloodGuard, Verdict


class CitizenOrder(BaseUpdateProcessor):
    """Each citizen's updates in order; a citizen over their share is dropped at the door.

    A dropped update gives its slot back at once, before waiting for the citizen's earlier
    updates, so a flood cannot hold the slots other citizens need.
    """

    def __init__(
        self,
        max_concurrent_updates: int,
        *,
        guard: FloodGuard | None = None,
        on_flood: Callable[[object], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__(max_concurrent_updates)
        self._last: dict[int | None, asyncio.Future[None]] = {}
        self.guard = guard
        self.on_flood = on_flood

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _user_of(update)
        verdict = self.guard.admit(key) if self.guard and key is not None else Verdict.ADMIT
        if verdict is not Verdict.ADMIT:
            if inspect.iscoroutine(coroutine):
                coroutine.close()  # never run: nothing of this update is handled
            if verdict is Verdict.WARN and self.on_flood is not None:
                await self.on_flood(update)
            return
        before = self._last.get(key)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._last[key] = done
        try:
            if before is not None:  # shielded: our cancellation must not cancel theirs
                await asyncio.shield(before)
            await coroutine
        finally:
            done.set_result(None)
            if self._last.get(key) is done:
                del self._last[key]

    async def initialize(self) -> None:
        """Nothing to allocate: the chains live only while updates are in flight."""

    async def shutdown(self) -> None:
        """Nothing to free: PTB waits for the updates in flight before shutting down."""


def _user_of(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_user is not None:
        return update.effective_user.id
    return None
