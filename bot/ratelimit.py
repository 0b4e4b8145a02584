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

Slots granted on time do not leave on time on a busy machine: a process short of CPU wakes
late and its requests reach Telegram in bunches. So each process also keeps a window of
what it sent: a request counts from the moment it leaves until one second after its answer
came (Telegram received it somewhere in between), and no request leaves while `per_second`
requests count, whatever the slots say.
"""

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from runtime.metrics import TOO_MANY

BROADCAST = {"broadcast": True}


class Withdrawn(Exception):
    """The request was withdrawn while it waited for its slot (its notice was cancelled)."""


# Slots are 1 % wider than 1/rate: a request granted on time can still reach Telegram a
# moment early or late (the window below keeps a late bunch within the second's budget).
HEADROOM = 1.01
# A process woken up this late still sends the slots it overslept, one after another (the
# window keeps them within a second's budget); later than that, the timeline starts afresh.
CATCH_UP = 0.1
# Broadcast moments booked on a shared budget per round trip to the database.
SHARED_BATCH = 4
# The furthest ahead a process books its next shared moment after waking up late for one.
MAX_LEAD = 1.0


class Booked(Protocol):
    """A booking's answer (`bot.budget.Moment`): granted (send at `at`, on this process's
    monotonic clock, a moment that may have begun up to `unsure` seconds earlier) or not
    (ask again at `at`)."""

    @property
    def granted(self) -> bool: ...

    @property
    def at(self) -> float: ...

    @property
    def unsure(self) -> float: ...


class SharedBudget(Protocol):
    """The sending budget kept outside this process (`bot.budget.DatabaseBudget`)."""

    async def book(self, *, reply: bool, slots: int = 1, lead: float = 0.0) -> Booked: ...

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
        # At most `rate` requests in any second as Telegram may have seen them.
        self.per_second = max(1, math.floor(rate)) if rate > 0 else 0
        self._answered: deque[float] = deque()  # when recent requests were answered
        self._in_flight = 0
        self._replies_waiting = 0
        self._changed = asyncio.Condition()
        # One broadcast request of this process at a time asks the shared budget, so waiting
        # broadcast workers do not all poll the database.
        self._broadcast_booking = asyncio.Lock()
        # Booked broadcast moments not yet used: (at, unsure), as in `Booked`.
        self._moments: deque[tuple[float, float]] = deque()
        # How far ahead this process books its shared moments: as late as it last woke up
        # for one (so the next is still to come when it wakes), easing off while it is on time.
        self._lead = 0.0

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
            await self._window()
            if still_wanted is not None and not still_wanted():
                raise Withdrawn
            try:
                self._in_flight += 1
                try:
                    return await callback(*args, **kwargs)
                finally:
                    self._in_flight -= 1
                    self._answered.append(time.monotonic())
            except RetryAfter as error:
                TOO_MANY.inc()
                if attempt == self.max_retries:
                    raise
                seconds = self._pause(error.retry_after)
                if self.shared is not None:
                    await self.shared.pause(seconds)
        raise AssertionError("unreachable")

    async def _window(self) -> None:
        """Waits while `per_second` requests may still count in Telegram's last second:
        those in flight and those answered less than a second ago."""
        if not self.per_second:
            return
        while True:
            now = time.monotonic()
            while self._answered and self._answered[0] <= now - 1.0:
                self._answered.popleft()
            if len(self._answered) + self._in_flight < self.per_second:
                return
            if self._answered:
                await asyncio.sleep(self._answered[0] + 1.0 - now)
            else:  # all of them in flight: the first answer frees one
                await asyncio.sleep(self.interval / 4)

    def _pause(self, retry_after: float | Any) -> float:
        seconds = (
            retry_after.total_seconds() if hasattr(retry_after, "total_seconds") else retry_after
        )
        self._paused_until = max(self._paused_until, time.monotonic() + float(seconds))
        return float(seconds)

    async def _slot(self, broadcast: bool) -> None:
        """Waits for this request's turn: the next free slot, after any 429 pause."""
        if not self.interval:  # spacing off (benchmarks): only a 429 pause holds requests
            paused = self._paused_until - time.monotonic()
            if paused > 0:
                await asyncio.sleep(paused)
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
                        # Slots follow a fixed timeline, so waking late does not push every
                        # later slot back; after a pause it starts afresh.
                        late = self._next_slot >= now - CATCH_UP
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
        replies still go before its broadcasts. A moment is used only while it is surely
        less than one interval old (`_fresh`); one this process wakes up for later (a busy
        machine) is given up and another taken: sent late, it would land together with the
        next process's on-time message and break the budget."""
        assert self.shared is not None
        while True:
            if broadcast:
                at, unsure = await self._broadcast_moment()
            else:
                booking = await self.shared.book(reply=True, lead=self._lead)
                at, unsure = booking.at, booking.unsure
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            if self._fresh(at, unsure):
                return

    def _fresh(self, at: float, unsure: float) -> bool:
        """Whether a message sent now is at most one interval behind the moment `at` that
        may have begun `unsure` earlier: then no second holds more than one message beyond
        the budget's (the moments are an interval apart, whichever process holds them).
        Learns the lead to book with from how late it is."""
        behind = time.monotonic() - at + unsure
        if behind <= self.interval:
            self._lead /= 2
            return True
        self._lead = min(MAX_LEAD, behind)
        return False

    async def _broadcast_moment(self) -> tuple[float, float]:
        """The next moment this process holds for a broadcast. Moments are booked
        `SHARED_BATCH` at a time (one round trip to the database per booking would cap the
        rate at one message per round trip), one booking at a time, none while a reply
        waits; those overslept are given up."""
        assert self.shared is not None
        while True:
            async with self._broadcast_booking:
                async with self._changed:
                    while self._replies_waiting:
                        await self._changed.wait()
                while self._moments and not self._fresh(*self._moments[0]):
                    self._moments.popleft()
                if self._moments:
                    return self._moments.popleft()
                booking = await self.shared.book(reply=False, slots=SHARED_BATCH, lead=self._lead)
                if booking.granted:
                    self._moments.extend(
                        (booking.at + n * self.interval, booking.unsure)
                        for n in range(SHARED_BATCH)
                    )
                    return self._moments.popleft()
            # The budget is booked ahead: ask again then.
            await asyncio.sleep(max(0.0, booking.at - time.monotonic()))
