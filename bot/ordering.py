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
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class CitizenOrder(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._last: dict[int | None, asyncio.Future[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _user_of(update)
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
