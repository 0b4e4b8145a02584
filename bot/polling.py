"""Long polling stays with the one process that holds its lock.

The lock (`storage.locks.ProcessLock`) lives as long as its database session. Should the
database end that session (a restart, an administrator), another process starting then
would take the lock and poll too, and Telegram answers 409 to both. So the polling process
checks now and then: its lock still held, nothing to do; lost but free, it takes it again;
taken by another process, it stops polling and says so (the other one polls now; this one
goes on serving everything else).
"""

import asyncio
import logging

from telegram.ext import Updater

from storage.locks import ProcessLock

log = logging.getLogger(__name__)
# How often the polling process checks its lock.
CHECK_SECONDS = 15


class PollingWatch:
    def __init__(self, lock: ProcessLock, updater: Updater) -> None:
        self.lock = lock
        self.updater = updater

    @property
    def polling(self) -> bool:
        return self.updater.running

    async def check(self) -> None:
        """Keeps polling only while this process holds the lock (see the module's docstring)."""
        if not self.polling or await asyncio.to_thread(self.lock.still_held):
            return
        await asyncio.to_thread(self.lock.release)
        if await asyncio.to_thread(self.lock.acquire):
            log.warning("the long-polling lock went with its database session; taken again")
            return
        log.error(
            "another process took the long-polling lock after the database ended this one's "
            "session: this process stops polling Telegram and serves everything else"
        )
        await self.updater.stop()
