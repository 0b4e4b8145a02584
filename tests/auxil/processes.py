"""Operating-system processes of the service, started and watched from a test (or a
benchmark) without blocking its event loop."""

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.webhook import WEBHOOK_PATH
from tests.auxil.service import TEST_DATA_KEY, free_port

WEBHOOK_SECRET = "process-test-secret-0123456789"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def gone(pid: int, seconds: float = 10.0) -> bool:
    """True once `pid` has exited, False if it is still there after `seconds`."""
    for _ in range(int(seconds / 0.05)):
        if not alive(pid):
            return True
        await asyncio.sleep(0.05)
    return False


@contextmanager
def toktok_process(
    fake: Any, db_url: str, log: Path, *flags: str, **settings: str
) -> Iterator[subprocess.Popen[bytes]]:
    """`toktok run FLAGS` on a free port, its bot on the fake Bot API in webhook mode (its
    `webhook` attribute is where updates go), logging to `log`; stopped on leaving."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DATA_KEYS": TEST_DATA_KEY,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "WEBHOOK_URL": f"http://127.0.0.1:{port}",
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "API_PORT": str(port),
        "CITIZEN_BURST": "1000",
        "QUIET_HOURS_START": "0",
        "QUIET_HOURS_END": "0",
        "SCHEDULER_SWEEP_SECONDS": "1",
        "OUTBOX_RETRY_SECONDS": "1",
        "TURN_WORKERS": "0",
        **settings,
    }
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "toktok", "run", *flags], env=env, stdout=output, stderr=output
        )
    process.port = port  # type: ignore[attr-defined]
    process.log = log  # type: ignore[attr-defined]
    process.webhook = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"  # type: ignore[attr-defined]
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
