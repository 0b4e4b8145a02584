"""One sending budget for the whole bot, with replies to chatting citizens first.

PTB's `AIORateLimiter` spaces requests but has no notion of priority: during a city-wide
broadcast a citizen's reply would queue behind thousands of notices. This limiter keeps the
same contract (PTB's `BaseRateLimiter`; a 429 pauses every request for its `retry_after`,
then the request is tried again) and adds one rule: a broadcast request (sent with
`rate_limit_args={"broadcast": True}`) takes a slot only when no reply is waiting for one.
Requests are spaced evenly, so no second ever holds more than `rate` of them.
"""

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

BROADCAST = {"broadcast": True}


class Withdrawn(Exception):
    """The request was withdrawn while it waited for its slot (its notice was cancelled)."""


# Slots are 2 % wider than 1/rate: a request granted on time can still reach Telegram a
# moment early or late, and a burst over the limit costs a 429 pause.
HEADROOM = 1.02


class PriorityRateLimiter(BaseRateLimiter[dict[str, Any]]):
    def __init__(self, rate: float, *, max_retries: int = 3) -> None:
        """`rate` requests per second for the bot as a whole; 0 turns spacing off."""
        self.interval = HEADROOM / rate if rate > 0 else 0.0
        self.max_retries = max_retries
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._replies_waiting = 0
        self._changed = asyncio.Condition()

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
                if attempt == self.max_retries:
                    raise
                self._pause(error.retry_after)
        raise AssertionError("unreachable")

    def _pause(self, retry_after: float | Any) -> None:
        seconds = (
            retry_after.total_seconds() if hasattr(retry_after, "total_seconds") else retry_after
        )
        self._paused_until = max(self._paused_until, time.monotonic() + float(seconds))

    async def _slot(self, broadcast: bool) -> None:
        """Waits for this request's turn: the next free slot, after any 429 pause."""
        if not self.interval:  # spacing off (benchmarks): only a 429 pause holds requests
            await asyncio.sleep(max(0.0, self._paused_until - time.monotonic()))
            return
        if not broadcast:
            self._replies_waiting += 1
        try:
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
