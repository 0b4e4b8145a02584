"""KakaoTalk skill answers: answers per second and p50/p99 latency with 50 Kakao citizens at
once, each sending its next words when the last answer came (as people do), against the
Telegram path driven the same way in the same run (same service, same database, rate
limit off). Goal: p99 ≤ 1 s, far inside Kakao's five seconds.

Then the same Kakao citizens again while another process holds the database's write lock
for 7 seconds (SQLite: BEGIN IMMEDIATE; PostgreSQL: the skill's table locked against
writes), beside the unlocked run: every answer must still come within 4 s (the skill says
"잠시만요" at 3.5 s and the answer follows at the next call); how many were told to wait.

The service runs as shipped (`toktok run`, its own processes), as Kakao's servers and
Telegram reach it; `--in-process` runs it inside this script's event loop instead, beside
the simulated citizens' HTTP clients, which then take their time out of the service's (the
layout of the earlier figures).

    python bench/kakao.py [--citizens 50] [--messages 10] [--in-process]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python bench/kakao.py
"""

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from statistics import quantiles

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from bench.burst import ready, start_service
from bench.common import fresh_database
from bench.updates import messages_for
from kakao.models import SkillAnswer
from tests.auxil.service import bot_settings, free_port, running_service
from tests.fake_kakao import skill_request
from tests.fake_telegram.server import FakeTelegram

SECRET = "bench-kakao-secret-0123456789"


LOCKED_SECONDS = 7
WAITED: list[int] = [0]


async def kakao_citizen(client: httpx.AsyncClient, user: str, lines: list[str]) -> list[float]:
    took = []
    for line in lines:
        start = time.perf_counter()
        answered = await client.post(f"/kakao/skill/{SECRET}", json=skill_request(user, line))
        took.append(time.perf_counter() - start)
        SkillAnswer.model_validate(answered.json())
        WAITED[0] += "⏳" in answered.text
    return took


LOCKER = """
import sys, time
url = sys.argv[1]
if url.startswith("sqlite"):
    import sqlite3
    held = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    held.execute("BEGIN IMMEDIATE")
else:
    import psycopg
    held = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
    held.execute("LOCK TABLE kakao_answer IN EXCLUSIVE MODE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
held.rollback()
"""


async def locked_for(url: str, seconds: float) -> asyncio.subprocess.Process:
    """Another process holding the database's write lock for `seconds`, once it says so."""
    locker = await asyncio.create_subprocess_exec(
        sys.executable, "-c", LOCKER, url, str(seconds), stdout=asyncio.subprocess.PIPE
    )
    assert locker.stdout is not None
    assert (await locker.stdout.readline()).strip() == b"locked"
    return locker


async def telegram_citizen(fake: FakeTelegram, user: int, lines: list[str]) -> list[float]:
    citizen = fake.citizen(user)
    took = []
    for line in lines:
        start = time.perf_counter()
        await citizen.say(line)
        await citizen.reply(timeout=60)
        took.append(time.perf_counter() - start)
    return took


def figures(name: str, took: list[list[float]], wall: float) -> str:
    every = sorted(t for one in took for t in one)
    cuts = quantiles(every, n=100)
    return (
        f"{name:<16} {len(every) / wall:7.1f} answers/s   p50 {cuts[49] * 1000:7.1f} ms   "
        f"p99 {cuts[98] * 1000:7.1f} ms   max {every[-1] * 1000:7.1f} ms"
    )


@asynccontextmanager
async def service(
    url: str, fake: FakeTelegram, directory: str, *, in_process: bool
) -> AsyncIterator[str]:
    """The service with its bot on `fake`, the KakaoTalk skill on and no sending limit; its
    address."""
    if in_process:
        settings = bot_settings(
            url, fake, telegram_max_rate=0, kakao_skill_secret=SECRET, kakao_answer_seconds=3.5
        )
        async with running_service(settings) as base:
            yield base
        return
    port = free_port()
    process = start_service(
        url,
        fake,
        port,
        directory,
        TELEGRAM_MAX_RATE="0",
        KAKAO_SKILL_SECRET=SECRET,
        KAKAO_ANSWER_SECONDS="3.5",
        CITIZEN_BURST="1000",
    )
    try:
        await ready(f"http://127.0.0.1:{port}/readyz")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=50)
    parser.add_argument("--messages", type=int, default=10, help="per citizen")
    parser.add_argument(
        "--in-process", action="store_true", help="the service inside this script's event loop"
    )
    args = parser.parse_args()
    lines = messages_for(args.messages)
    with tempfile.TemporaryDirectory() as directory:
        url = fresh_database(directory)
        fake = FakeTelegram()
        await fake.start()
        try:
            async with (
                service(url, fake, directory, in_process=args.in_process) as base,
                httpx.AsyncClient(base_url=base, timeout=60) as client,
            ):
                await kakao_citizen(client, "warm-up", lines[:3])
                await telegram_citizen(fake, 999_999, lines[:3])
                start = time.perf_counter()
                kakao = await asyncio.gather(
                    *(kakao_citizen(client, f"k{n}", lines) for n in range(args.citizens))
                )
                kakao_wall = time.perf_counter() - start
                start = time.perf_counter()
                telegram = await asyncio.gather(
                    *(telegram_citizen(fake, 500_000 + n, lines) for n in range(args.citizens))
                )
                telegram_wall = time.perf_counter() - start
                WAITED[0] = 0
                locker = await locked_for(url, LOCKED_SECONDS)
                start = time.perf_counter()
                locked = await asyncio.gather(
                    *(kakao_citizen(client, f"l{n}", lines) for n in range(args.citizens))
                )
                locked_wall = time.perf_counter() - start
                await locker.wait()
        finally:
            await fake.stop()
    layout = "this script's loop" if args.in_process else "its own processes"
    print(
        f"database: {url.split(':')[0]}; {args.citizens} citizens x {args.messages} messages; "
        f"service in {layout}"
    )
    print(figures("kakao", kakao, kakao_wall))
    print(figures("telegram", telegram, telegram_wall))
    print(figures("kakao, 7 s lock", locked, locked_wall) + "   (goal: p99 <= 4 s)")
    print(f"told to wait during the lock: {WAITED[0]} of {args.citizens * args.messages}")


if __name__ == "__main__":
    import logging

    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main())
