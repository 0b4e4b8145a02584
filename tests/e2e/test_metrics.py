"""`/metrics` as Prometheus scrapes it: turns, their latency, replies sent, and the queue
figures read from the database."""

import asyncio

import httpx

from tests.fake_telegram.server import FakeTelegram


def value(text: str, name: str, missing: float | None = None) -> float:
    """A sample's value; a labelled counter never incremented yet is `missing`."""
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    if missing is not None:
        return missing
    raise AssertionError(f"{name} not in /metrics")


async def test_a_turn_is_counted_timed_and_its_reply_sent(
    fake: FakeTelegram, api: httpx.AsyncClient
) -> None:
    before = (await api.get("/metrics")).text
    citizen = fake.citizen(9301)
    await citizen.say("안녕")
    await citizen.reply()
    counted = value(before, "toktok_turn_seconds_count") + 1
    for _ in range(100):  # the turn is counted as it ends, just after its reply went out
        after = (await api.get("/metrics")).text
        if value(after, "toktok_turn_seconds_count") >= counted:
            break
        await asyncio.sleep(0.05)
    assert value(after, "toktok_turn_seconds_count") == counted
    sent = 'toktok_messages_sent_total{kind="reply"}'
    assert value(after, sent) - value(before, sent, missing=0.0) >= 1
    assert value(after, "toktok_database_up") == 1
    assert value(after, "toktok_outbox_unsent") in (0, 1)  # its receipt may still be on the way
    assert value(after, "toktok_notices_queued") == 0
    assert "toktok_scheduler_lag_seconds_bucket" in after
    assert "toktok_db_connections_in_use" in after
