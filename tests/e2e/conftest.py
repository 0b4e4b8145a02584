"""End-to-end fixtures: the fake Bot API and the real service polling it."""

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.auxil.service import bot_settings, running_service
from tests.fake_telegram.server import FakeTelegram


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def service(fake: FakeTelegram, db_url: str) -> AsyncIterator[str]:
    settings = bot_settings(db_url, fake)
    async with running_service(settings) as url:
        yield url


@pytest.fixture
async def api(fake: FakeTelegram, db_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The bot and the staff API in one service. The outbox's resend job keeps its slow
    default: what staff tell citizens must arrive by the news sender alone."""
    settings = bot_settings(db_url, fake)
    async with running_service(settings) as url, httpx.AsyncClient(base_url=url) as client:
        yield client
