"""The bot's one sending budget: evenly spaced, replies first, a 429 pauses everything."""

import asyncio
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from telegram.error import RetryAfter

from bot.budget import Moment
from bot.ratelimit import BROADCAST, HEADROOM, PriorityRateLimiter, Withdrawn
from runtime.quiet_hours import QuietHours


async def call(limiter: PriorityRateLimiter, log: list[tuple[str, float]], name: str, args=None):  # type: ignore[no-untyped-def]
    async def request() -> bool:
        log.append((name, time.monotonic()))
        return True

    return await limiter.process_request(request, (), {}, "sendMessage", {}, args)


async def test_requests_are_spaced_to_the_rate() -> None:
    limiter = PriorityRateLimiter(50)
    log: list[tuple[str, float]] = []
    await asyncio.gather(*(call(limiter, log, f"n{i}", BROADCAST) for i in range(20)))
    times = sorted(t for _, t in log)
    assert times[-1] - times[0] >= 19 / 50


async def test_a_reply_overtakes_a_waiting_broadcast() -> None:
    limiter = PriorityRateLimiter(20)
    log: list[tuple[str, float]] = []
    broadcast = [asyncio.create_task(call(limiter, log, f"b{i}", BROADCAST)) for i in range(10)]
    await asyncio.sleep(0.12)
    await call(limiter, log, "reply")
    sent_before_reply = [name for name, _ in log].index("reply")
    await asyncio.gather(*broadcast)
    assert sent_before_reply <= 4


async def test_a_429_pauses_then_retries() -> None:
    limiter = PriorityRateLimiter(0)
    attempts: list[float] = []

    async def request() -> bool:
        attempts.append(time.monotonic())
        if len(attempts) == 1:
            raise RetryAfter(timedelta(seconds=0.3))  # type: ignore[arg-type]
        return True

    assert await limiter.process_request(request, (), {}, "sendMessage", {}, BROADCAST)
    assert attempts[1] - attempts[0] >= 0.29


def test_quiet_hours_span_midnight_and_equal_hours_mean_none() -> None:
    from datetime import datetime

    seoul = ZoneInfo("Asia/Seoul")
    quiet = QuietHours(21, 8, seoul)
    at = lambda hour: datetime(2026, 11, 24, hour, 0, tzinfo=seoul)  # noqa: E731
    assert [quiet.active(at(h)) for h in (20, 21, 0, 7, 8)] == [False, True, True, True, False]
    assert not any(QuietHours(0, 0, seoul).active(at(h)) for h in range(24))


async def test_a_broadcast_called_off_while_waiting_never_goes_out() -> None:
    limiter = PriorityRateLimiter(20)
    log: list[tuple[str, float]] = []
    wanted = {"first": True, "second": False}
    outcomes = await asyncio.gather(
        *(
            call(limiter, log, name, {**BROADCAST, "still_wanted": lambda n=name: wanted[n]})
            for name in wanted
        ),
        return_exceptions=True,
    )
    assert [name for name, _ in log] == ["first"]
    assert outcomes[0] is True and isinstance(outcomes[1], Withdrawn)


async def test_late_slots_never_put_more_than_a_seconds_budget_in_any_second() -> None:
    """A starved process wakes late and would send its overdue slots in a bunch; whatever the
    delays, no request leaves while `per_second` others may still count in the receiver's
    last second (in flight, or answered less than a second ago)."""
    limiter = PriorityRateLimiter(20)
    spans: list[list[float]] = []  # [left, answered] of each request

    async def request() -> bool:
        span = [time.monotonic(), float("inf")]
        spans.append(span)
        time.sleep(0.03)  # the loop is starved: every wake-up comes late
        await asyncio.sleep(0.05)  # the answer takes its time
        span[1] = time.monotonic()
        return True

    async def one() -> None:
        await limiter.process_request(request, (), {}, "sendMessage", {}, BROADCAST)

    await asyncio.gather(*(one() for _ in range(60)))
    for left, _ in spans:
        counting = sum(1 for other_left, answered in spans if other_left < left < answered + 1.0)
        assert counting < limiter.per_second


class Timeline:
    """A budget shared with another process that books as many moments right after each of
    ours: moments an interval apart on this clock, answered `late` seconds after they were
    booked (a busy loop taking the answer late)."""

    def __init__(self, interval: float, late: float) -> None:
        self.interval = interval
        self.late = late
        self.next = time.monotonic()
        self.moments: list[float] = []

    async def book(self, *, reply: bool, slots: int = 1, lead: float = 0.0) -> Moment:
        start = max(self.next, time.monotonic() + lead)
        self.next = start + 2 * slots * self.interval  # the other process's follow ours
        self.moments += [start + n * self.interval for n in range(slots)]
        await asyncio.sleep(self.late)
        return Moment(True, start, 0.0)

    async def pause(self, seconds: float) -> None:
        self.next = max(self.next, time.monotonic() + seconds)


async def test_a_shared_moment_answered_late_is_sent_within_an_interval_of_it_or_not_at_all() -> (
    None
):
    """Each message leaves at a moment booked for it and less than an interval after it,
    however late the booking's answer came, never on the other process's moments: so however
    busy the process, no second holds more than one message beyond the budget."""
    timeline = Timeline(HEADROOM / 20, late=1.5 * HEADROOM / 20)
    limiter = PriorityRateLimiter(20, shared=timeline)
    log: list[tuple[str, float]] = []
    await asyncio.gather(
        *(call(limiter, log, f"b{i}", BROADCAST) for i in range(20)),
        *(call(limiter, log, f"r{i}") for i in range(5)),
    )
    unused = sorted(timeline.moments)
    for sent in sorted(t for _, t in log):
        moment = next((m for m in unused if m <= sent <= m + limiter.interval), None)
        assert moment is not None, f"sent at {sent}, on none of this process's moments"
        unused.remove(moment)
    # The first moment was answered too late: given up, not sent late (and the next ones
    # booked ahead by as much, so they were still to come when their answers arrived).
    assert min(timeline.moments) in unused
