"""The service's log lines as an operator's collector reads them: in production one JSON
object per line, each line of a turn or a request with its id, and nothing a citizen typed."""

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.auxil.service import TEST_DATA_KEY, free_port
from tests.e2e.test_care import answer, start
from tests.fake_telegram.server import FakeTelegram

PERSONAL = ("9876", "김수원", "이영희", "매탄아파트", "무릎 수술")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


async def test_json_lines_carry_request_ids_and_no_personal_data(
    fake: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    port = free_port()
    log = tmp_path / "service.log"
    env = {
        **os.environ,
        "DATA_KEYS": TEST_DATA_KEY,
        "DATABASE_URL": db_url,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "API_PORT": str(port),
        "LOG_FORMAT": "json",
        "CITIZEN_BURST": "1000",
        "OUTBOX_RETRY_SECONDS": "1",
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "toktok", "run"], env=env, stdout=output, stderr=output
        )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(400):
                try:
                    ready = await client.get("/readyz", headers={"X-Request-ID": "probe-1"})
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.05)
            assert ready.headers["x-request-id"] == "probe-1"
            made = (await client.get("/healthz")).headers["x-request-id"]
            assert made.startswith("req-")

        citizen = fake.citizen(8801)
        await start(citizen)
        await answer(citizen, ("tap", "🙋 나"), ("tap", "동의합니다"), ("tap", "동의합니다"))
        await answer(citizen, ("tap", "🍱 식사 지원"), ("tap", "✔️ 완료 (1개 선택)"))
        await answer(citizen, ("say", "무릎 수술 후 장보기가 어려워요"))
        await answer(citizen, ("tap", "✔️ 완료 (0개 선택)"), ("say", "김수원"))
        await citizen.share_contact("+82 10-9876-5432")
        await citizen.reply()
        confirm = await answer(
            citizen, ("say", "매탄3동"), ("say", "매탄아파트 101동"), ("tap", "오전 (9~12시)")
        )
        await citizen.tap("✅ 신청하기", message=confirm)
        assert "접수번호는 C-" in (await citizen.reply())["text"]
        citizen.fake.fail_next()  # one failed send: a warning line inside a turn
        await citizen.say("처음으로")
        await citizen.reply(timeout=30)
    finally:
        process.terminate()
        process.wait(timeout=30)

    text = log.read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert lines and all(
        {"time", "level", "name", "message", "request_id"} <= set(line) for line in lines
    )
    assert all(line["time"].endswith("+09:00") for line in lines)  # the city's time
    for form in PERSONAL:
        assert form not in text, f"{form!r} is in the log"
    turn_lines = [line for line in lines if line["request_id"].startswith("telegram-")]
    assert turn_lines, "no line was written inside a turn"
