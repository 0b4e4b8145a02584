"""Runs the real service (API, scheduler, bot) inside the test's event loop, on loopback."""

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI

from storage.sealing import Sealer
from toktok.service import create_service
from toktok.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# One data key for the whole test run, so every process of a test opens what another sealed.
TEST_DATA_KEY = Sealer.new_key()


def service_settings(database_url: str, **overrides: Any) -> Settings:
    """Settings for a test's service; the dashboard counts afresh on every view, since tests
    read it right after changing what it counts; a KakaoTalk call has the longest answer time
    allowed, so a busy machine does not turn an answer into "잠시만요" (the tests of that set
    their own)."""
    defaults = {
        "data_keys": TEST_DATA_KEY,
        "dashboard_refresh_seconds": 0,
        "kakao_answer_seconds": 4.5,
    }
    return Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=database_url, **{**defaults, **overrides}
    )


def sealer_for_tests() -> Sealer:
    return Sealer([TEST_DATA_KEY])


def bot_settings(database_url: str, fake: Any, **overrides: Any) -> Settings:
    """Settings for a service whose bot talks to the fake Bot API `fake`.

    Simulated citizens type as fast as the bot answers, far beyond any person's pace, so the
    flood guard gets a wide burst unless a test sets its own.
    """
    return service_settings(
        database_url,
        telegram_bot_token=fake.token,
        telegram_api_base_url=fake.base_url,
        **{"api_port": 0, "citizen_burst": 1000, **overrides},
    )


@asynccontextmanager
async def running_service(settings: Settings, app: FastAPI | None = None) -> AsyncIterator[str]:
    """Starts the whole service (or `app`, made from `settings`) on a free port; yields its URL."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Without it small responses wait for a delayed ACK (~40 ms) on a pre-bound socket.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", settings.api_port))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app or create_service(settings), log_level="warning", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        # Up to a minute: a start reads the look-alike index, slow on a busy machine.
        for _ in range(6000):
            if server.started or task.done():
                break
            await asyncio.sleep(0.01)
        if task.done():
            task.result()
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=20)
