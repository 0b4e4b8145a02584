"""A citizen's fair share: a burst of messages, then a steady pace; a flood is answered once.

One citizen typing hundreds of messages a minute would otherwise fill the bot's slots and its
sending budget, and everybody else would wait. Each citizen has a token bucket (a burst of
`burst` messages, refilled at `per_minute`); an update beyond it is dropped before it takes a
turn, and the first one of a flood gets a single "please slow down" answer. The flood lasts
until the bucket is full again: messages the refill lets through meanwhile are answered as
usual, but do not earn the flood a second warning. Buckets live in
this process only: they guard this process's slots and sends, and forgetting them on a
restart costs nothing.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

MAX_TRACKED = 10_000


class Verdict(Enum):
    ADMIT = "admit"
    WARN = "warn"  # the first update over the limit: answer "slow down" once
    DROP = "drop"


@dataclass
class _Bucket:
    tokens: float
    at: float
    warned: bool = False


class FloodGuard:
    def __init__(
        self, *, burst: int, per_minute: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst = burst
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[object, _Bucket] = {}

    def admit(self, citizen: object) -> Verdict:
        now = self.clock()
        bucket = self._buckets.get(citizen)
        if bucket is None:
            self._forget_the_calm(now)
            bucket = self._buckets[citizen] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        if bucket.tokens >= self.burst:
            bucket.warned = False  # calm again: a new flood would be a new one
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return Verdict.ADMIT
        if bucket.warned:
            return Verdict.DROP
        bucket.warned = True
        return Verdict.WARN

    def _forget_the_calm(self, now: float) -> None:
        """Keeps memory bounded: citizens whose bucket has refilled need no entry."""
        if len(self._buckets) < MAX_TRACKED:
            return
        full = self.burst / self.rate if self.rate else float("inf")
        for key in [k for k, b in self._buckets.items() if now - b.at >= full]:
            del self._buckets[key]
