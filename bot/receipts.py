"""Delivered replies are marked as sent in batches, off the path of the next citizen's turn.

Marking each reply in its own transaction doubled the database work per message. A crash
loses at most one interval of marks; those replies are sent again by the outbox job, so a
citizen may rarely see a reply twice but never misses one.
"""

import asyncio
import contextlib

from runtime.turn import Runtime

FLUSH_SECONDS = 0.2


class SentReceipts:
    def __init__(self, runtime: Runtime, interval: float = FLUSH_SECONDS) -> None:
        self.runtime = runtime
        self.interval = interval
        self._pending: list[int] = []
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    def add(self, outbox_ids: list[int]) -> None:
        self._pending.extend(outbox_ids)

    async def flush(self) -> None:
        ids, self._pending = self._pending, []
        if ids:
            await asyncio.to_thread(self.runtime.confirm, sent=ids)

    async def _run(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.interval)
            await self.flush()

    def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="sent-receipts")

    async def stop(self) -> None:
        """Ends at the next wake-up with a last flush, never in the middle of one.

        Cancelling a flush would leave its thread writing after the service has closed the
        database's connections, and that connection would never be closed.
        """
        self._stopping.set()
        if self._task is not None:
            await self._task
            self._task = None
        await self.flush()
