"""Processes by role: only one process may long-poll Telegram for a bot (a second one
refuses to start and says what to do instead); a sender or scheduler process serves health
and metrics but no staff pages; `toktok run --workers` refuses what cannot work."""

import os
import subprocess
import sys
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import Engine

from bot.polling import PollingWatch
from storage.locks import ProcessLock
from tests.auxil.service import TEST_DATA_KEY, bot_settings, running_service
from tests.auxil.sessions import end_lock_sessions
from tests.fake_telegram.server import FakeTelegram
from toktok.service import PollingTaken, Roles, create_service


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


async def test_a_second_polling_process_refuses_to_start(fake: FakeTelegram, db_url: str) -> None:
    settings = bot_settings(db_url, fake)
    async with running_service(settings):
        second = create_service(settings)
        with pytest.raises(PollingTaken, match="WEBHOOK_URL"):
            async with second.router.lifespan_context(second):
                pass
        # A sender beside the poller is fine: it takes no updates.
        sender = create_service(settings, Roles(web=False, sender=True, scheduler=False))
        async with sender.router.lifespan_context(sender):
            pass
    # Once the first has stopped, another may poll.
    third = create_service(settings)
    async with third.router.lifespan_context(third):
        pass


async def test_a_sender_process_serves_health_and_metrics_only(db_url: str) -> None:
    from tests.auxil.service import service_settings

    settings = service_settings(db_url, api_port=0)
    app = create_service(settings, Roles(web=False, sender=True, scheduler=True))
    async with running_service(settings, app) as url, httpx.AsyncClient(base_url=url) as client:
        assert (await client.get("/healthz")).status_code == 200
        assert (await client.get("/metrics")).status_code == 200
        assert (await client.get("/api/v1/stats")).status_code == 404
        assert (await client.get("/console/sign-in")).status_code == 404


def run(db_url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toktok", "run", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DATA_KEYS": TEST_DATA_KEY, "DATABASE_URL": db_url, **env},
        check=False,
    )


def test_several_workers_refuse_sqlite_and_long_polling(db_url: str) -> None:
    if db_url.startswith("sqlite"):
        refused = run(db_url, "--workers", "2", TELEGRAM_BOT_TOKEN="")
        assert refused.returncode == 2 and "need PostgreSQL" in refused.stderr
    else:
        polling = run(db_url, "--web", "--workers", "2", TELEGRAM_BOT_TOKEN="1:x")
        assert polling.returncode == 2 and "WEBHOOK_URL" in polling.stderr


def children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as listed:
            found += [int(child) for child in listed.read().split()]
    return found


def test_web_workers_serve_the_api_from_several_processes(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    if db_url.startswith("sqlite"):
        pytest.skip("several workers need PostgreSQL (the PostgreSQL run covers this)")
    import time

    from tests.auxil.service import free_port

    port = free_port()
    env = {
        **os.environ,
        "DATA_KEYS": TEST_DATA_KEY,
        "DATABASE_URL": db_url,
        "TELEGRAM_BOT_TOKEN": "",
        "API_PORT": str(port),
    }
    log = tmp_path / "workers.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "toktok", "run", "--web", "--workers", "2"],
            env=env,
            stdout=output,
            stderr=output,
        )
    try:
        served = 0
        deadline = time.monotonic() + 60
        while served < 20 and time.monotonic() < deadline:
            try:
                served += httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200
            except httpx.TransportError:
                time.sleep(0.1)
        assert served == 20, log.read_text()
        assert len(children(process.pid)) >= 2
        sign_in = httpx.get(f"http://127.0.0.1:{port}/console/sign-in")
        assert sign_in.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
    # Each worker process built the service and said so.
    assert log.read_text().count("starting as web") == 2


@pytest.fixture
async def polling(fake: FakeTelegram, db_url: str) -> AsyncIterator[PollingWatch]:
    """A running service that long-polls `fake`: its watch over the polling lock."""
    if not db_url.startswith("postgresql"):
        pytest.skip("only a database server ends its clients' sessions (a file lock stays)")
    settings = bot_settings(db_url, fake)
    app = create_service(settings)
    async with running_service(settings, app):
        yield app.state.polling


async def test_a_poller_whose_lock_another_process_took_stops_polling(
    polling: PollingWatch, db: Engine
) -> None:
    await polling.check()
    assert polling.polling  # its lock is held: nothing changes
    end_lock_sessions(db)
    other = ProcessLock(db, "telegram-polling")
    assert other.acquire()  # another process, starting now, takes it
    await polling.check()
    assert not polling.polling
    other.release()


async def test_a_poller_whose_lock_went_with_its_session_takes_it_again(
    polling: PollingWatch, db: Engine, fake: FakeTelegram
) -> None:
    end_lock_sessions(db)
    await polling.check()
    assert polling.polling
    assert not ProcessLock(db, "telegram-polling").acquire()  # held again
    citizen = fake.citizen(4242)
    await citizen.say("안녕하세요")
    assert await citizen.reply(timeout=30)  # and still answering
