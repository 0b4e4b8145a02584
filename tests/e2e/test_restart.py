"""The service is stopped mid-flow (gracefully, or killed outright) and a new one carries on."""

import asyncio
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.auxil.processes import gone
from tests.auxil.service import TEST_DATA_KEY, free_port
from tests.fake_telegram.server import FakeTelegram


@contextmanager
def service_process(
    fake: FakeTelegram, db_url: str, log: Path, **settings: str
) -> Iterator[subprocess.Popen[bytes]]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "API_PORT": str(port),
        "WEBHOOK_URL": "",
        "DATA_KEYS": TEST_DATA_KEY,
        "CITIZEN_BURST": "1000",
        **settings,
    }
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "toktok", "run"], env=env, stdout=output, stderr=output
        )
    process.port = port  # type: ignore[attr-defined]
    process.log = log  # type: ignore[attr-defined]
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


async def wait_ready(process: subprocess.Popen[bytes]) -> None:
    """Until the process answers ready, or a minute: several processes starting at once on
    two busy cores can take far longer than one alone."""
    url = f"http://127.0.0.1:{process.port}/readyz"  # type: ignore[attr-defined]
    async with httpx.AsyncClient() as client:
        for _ in range(1200):
            if process.poll() is not None:
                raise AssertionError(process.log.read_text())  # type: ignore[attr-defined]
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    raise AssertionError("service did not become ready")


def turn_worker_pid(log: Path) -> int:
    found = re.search(r"turn worker (\d+) started", log.read_text())
    assert found, log.read_text()
    return int(found.group(1))


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM], ids=["killed", "stopped"])
async def test_citizen_continues_at_the_same_step_after_a_restart(
    fake: FakeTelegram, db_url: str, stop: signal.Signals, tmp_path: Path
) -> None:
    bae = fake.citizen(4001)
    with service_process(fake, db_url, tmp_path / "first.log") as first:
        await wait_ready(first)
        await bae.say("안녕")
        await bae.reply()
        await bae.tap("한국어")
        await bae.reply()
        await bae.tap("크게 보기")
        await bae.reply()
        await bae.tap("동의합니다")
        assert "사시는 동" in (await bae.reply())["text"]
        await bae.say("지동")
        assert "나이대" in (await bae.reply())["text"]
        worker = turn_worker_pid(first.log)  # type: ignore[attr-defined]
        first.send_signal(stop)
        first.wait(timeout=15)
    assert await gone(worker), "the turn worker outlived its service"

    with service_process(fake, db_url, tmp_path / "second.log") as second:
        await wait_ready(second)
        await bae.say("60대")
        interests = await bae.reply()
        assert "관심 있는 분야" in interests["text"]
        await bae.tap("◀ 이전")
        assert "나이대" in (await bae.reply())["text"]
        await bae.tap("🏠 처음으로")
        await bae.reply()
        await bae.say("/me")
        summary = (await bae.reply())["text"]
        assert "사는 동: 지동" in summary and "나이대: 60대" in summary
