"""The bot's one sending budget: evenly spaced, replies first, a 429 pauses everything."""

import asyncio
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from telegram.error import RetryAfter

from bot.ratelimit import BROADCAST, PriorityRateLimiter, Withdrawn
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
