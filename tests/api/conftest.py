"""The staff API served by uvicorn on loopback (no bot token), and an HTTP client for it."""

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.auxil.service import running_service, service_settings


@pytest.fixture
async def api(db_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = service_settings(db_url, api_port=0)
    async with (
        running_service(settings) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as client,
    ):
        yield client
