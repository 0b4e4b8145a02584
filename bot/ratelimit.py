"""One sending budget for the whole bot, with replies to chatting citizens first.

PTB's `AIORateLimiter` spaces requests but has no notion of priority: during a city-wide
broadcast a citizen's reply would queue behind thousands of notices. This limiter keeps the
same contract (PTB's `BaseRateLimiter`; a 429 pauses every request for its `retry_after`,
then the request is tried again) and adds one rule: a broadcast request (sent with
`rate_limit_args={"broadcast": True}`) takes a slot only when no reply is waiting for one.
Requests are spaced evenly, so no second ever holds more than `rate` of them.

With several processes on one PostgreSQL the spacing is booked on the database instead
(`shared`, a `bot.budget.DatabaseBudget`): every process's requests share the one budget,
replies still go first, and a 429 seen by one process pauses them all.
"""

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from runtime.metrics import TOO_MANY

BROADCAST = {"broadcast": True}


class Withdrawn(Exception):
    """The request was withdrawn while it waited for its slot (its notice was cancelled)."""


# Slots are 2 % wider than 1/rate: a request granted on time can still reach Telegram a
# moment early or late, and a burst over the limit costs a 429 pause.
HEADROOM = 1.02


class Booked(Protocol):
    granted: bool
    wait: float


class SharedBudget(Protocol):
    """The sending budget kept outside this process (`bot.budget.DatabaseBudget`)."""

    async def book(self, *, reply: bool) -> Booked: ...

    async def pause(self, seconds: float) -> None: ...


class PriorityRateLimiter(BaseRateLimiter[dict[str, Any]]):
    def __init__(
        self, rate: float, *, max_retries: int = 3, shared: SharedBudget | None = None
    ) -> None:
        """`rate` requests per second for the bot as a whole; 0 turns spacing off.
        `shared` books each request on a budget shared with other processes."""
        self.interval = HEADROOM / rate if rate > 0 else 0.0
        self.max_retries = max_retries
        self.shared = shared if rate > 0 else None
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._replies_waiting = 0
        self._changed = asyncio.Condition()
        # One broadcast request of this process at a time asks the shared budget, so waiting
        # broadcast workers do not all poll the database.
        self._broadcast_booking = asyncio.Lock()

    async def initialize(self) -> None:
        """Nothing to set up: the state is plain numbers."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        broadcast = bool(rate_limit_args and rate_limit_args.get("broadcast"))
        # A broadcast may be called off while it waits (`still_wanted`, checked at its slot).
        still_wanted = (rate_limit_args or {}).get("still_wanted")
        for attempt in range(self.max_retries + 1):
            await self._slot(broadcast)
            if still_wanted is not None and not still_wanted():
                raise Withdrawn
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                TOO_MANY.inc()
                if attempt == self.max_retries:
                    raise
                seconds = self._pause(error.retry_after)
                if self.shared is not None:
                    await self.shared.pause(seconds)
        raise AssertionError("unreachable")

    def _pause(self, retry_after: float | Any) -> float:
        seconds = (
            retry_after.total_seconds() if hasattr(retry_after, "total_seconds") else retry_after
        )
        self._paused_until = max(self._paused_until, time.monotonic() + float(seconds))
        return float(seconds)

    async def _slot(self, broadcast: bool) -> None:
        """Waits for this request's turn: the next free slot, after any 429 pause."""
        if not self.interval:  # spacing off (benchmarks): only a 429 pause holds requests
            await asyncio.sleep(max(0.0, self._paused_until - time.monotonic()))
            return
        if not broadcast:
            self._replies_waiting += 1
        try:
            if self.shared is not None:
                await self._shared_slot(broadcast)
                return
            while True:
                async with self._changed:
                    if broadcast and self._replies_waiting:
                        await self._changed.wait()
                        continue
                    now = time.monotonic()
                    start = max(now, self._next_slot, self._paused_until)
                    if start <= now:
                        # Slots follow a fixed timeline, so waking a little late does not
                        # push every later slot back; after a pause it starts afresh.
                        late = self._next_slot >= now - self.interval
                        self._next_slot = (self._next_slot if late else now) + self.interval
                        return
                wait = start - now
                await asyncio.sleep(wait)
        finally:
            if not broadcast:
                self._replies_waiting -= 1
                async with self._changed:
                    self._changed.notify_all()

    async def _shared_slot(self, broadcast: bool) -> None:
        """Books this request's moment on the shared budget and waits for it; this process's
        replies still go before its broadcasts. A moment this process wakes up for too late
        (a busy machine) is given up and another booked: sent late, it would land together
        with the next process's on-time message and break the budget."""
        assert self.shared is not None
        while True:
            if broadcast:
                booking = await self._book_broadcast()
            else:
                booking = await self.shared.book(reply=True)
            due = time.monotonic() + booking.wait
            await asyncio.sleep(booking.wait)
            if time.monotonic() - due <= 2 * self.interval:
                return

    async def _book_broadcast(self) -> Booked:
        """One broadcast booking of this process at a time; none while a reply waits."""
        assert self.shared is not None
        while True:
            async with self._broadcast_booking:
                async with self._changed:
                    while self._replies_waiting:
                        await self._changed.wait()
                booking = await self.shared.book(reply=False)
            if booking.granted:
                return booking
            await asyncio.sleep(booking.wait)  # the budget is booked ahead: ask again then
