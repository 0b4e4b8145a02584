"""Turns in a worker process: citizens side by side, each in order; a lost worker replaced."""

import asyncio
import os
import signal

import pytest
from sqlalchemy import Engine, text

from tests.auxil.processes import alive, gone
from tests.auxil.service import bot_settings, running_service
from tests.fake_telegram.server import FakeTelegram
from toktok.service import create_service

# Typed straight through onboarding and into the profile menu: every answer depends on the step
# the one before it reached, so a reordered pair would show in the replies.
LINES = ["안녕", "한국어", "크게 보기", "동의합니다", "지동", "60대", "건너뛰기", "/me"]


@pytest.mark.parametrize("workers", [0, 1], ids=["in-a-thread", "in-a-worker-process"])
async def test_citizens_typing_fast_at_once_are_each_answered_in_order(
    fake: FakeTelegram, db_url: str, workers: int
) -> None:
    async with running_service(bot_settings(db_url, fake, turn_workers=workers)):
        patient = fake.citizen(3000)
        expected = []
        for line in LINES:
            await patient.say(line)
            expected.append((await patient.reply())["text"])

        hurried = [fake.citizen(3001 + i) for i in range(6)]
        for citizen in hurried:  # each one typing everything at once, nobody waiting
            for line in LINES:
                await citizen.say(line)
        for citizen in hurried:
            replies = await citizen.replies(len(LINES), timeout=30)
            assert [reply["text"] for reply in replies] == expected
            assert await citizen.quiet(0.2)


async def test_a_turn_worker_killed_mid_turn_is_replaced_and_the_turn_asked_again(
    fake: FakeTelegram, db_url: str
) -> None:
    settings = bot_settings(db_url, fake, turn_workers=1)
    app = create_service(settings)
    async with running_service(settings, app):
        park = fake.citizen(3100)
        await park.say("안녕하세요")
        assert "언어를 골라 주세요" in (await park.reply())["text"]
        (first,) = app.state.turns.pids
        os.kill(first, signal.SIGSTOP)  # the next turn is asked of a worker that cannot answer
        await park.tap("한국어")
        await asyncio.sleep(0.5)
        os.kill(first, signal.SIGKILL)
        assert await gone(first)

        assert "버튼을 크게" in (await park.reply())["text"]
        assert await park.quiet(0.3)
        (second,) = app.state.turns.pids
        assert second != first and alive(second)


async def test_the_turn_worker_ends_with_the_service(fake: FakeTelegram, db_url: str) -> None:
    settings = bot_settings(db_url, fake, turn_workers=1)
    app = create_service(settings)
    async with running_service(settings, app):
        choi = fake.citizen(3200)
        await choi.say("안녕하세요")
        await choi.reply()
        (pid,) = app.state.turns.pids
    assert await gone(pid, seconds=2)


async def test_a_turn_on_a_connection_the_database_dropped_is_answered_all_the_same(
    fake: FakeTelegram, db_url: str, db: Engine
) -> None:
    """The worker tests no connection before a turn (a round trip each): the turn that finds
    its connection gone is taken again on a new one."""
    if db.dialect.name != "postgresql":
        pytest.skip("only a database server drops its clients' connections")
    async with running_service(bot_settings(db_url, fake, turn_workers=1)):
        kang = fake.citizen(3300)
        await kang.say("안녕하세요")
        assert "언어를 골라 주세요" in (await kang.reply())["text"]
        with db.connect() as connection:  # as a database restart would
            dropped = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
        assert dropped >= 1

        await kang.tap("한국어")
        assert "버튼을 크게" in (await kang.reply())["text"]
        assert await kang.quiet(0.3)
