"""KakaoTalk skill answers: answers per second and p50/p99 latency with 50 Kakao citizens at
once, each sending its next words when the last answer came (as people do), against the
Telegram path driven the same way in the same run (same service, same database, rate
limit off). Goal: p99 ≤ 1 s, far inside Kakao's five seconds.

    python bench/kakao.py [--citizens 50] [--messages 10]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python bench/kakao.py
"""

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from statistics import quantiles

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from bench.common import fresh_database
from bench.updates import messages_for
from kakao.models import SkillAnswer
from tests.auxil.service import bot_settings, running_service
from tests.fake_kakao import skill_request
from tests.fake_telegram.server import FakeTelegram

SECRET = "bench-kakao-secret-0123456789"


async def kakao_citizen(client: httpx.AsyncClient, user: str, lines: list[str]) -> list[float]:
    took = []
    for line in lines:
        start = time.perf_counter()
        answered = await client.post(f"/kakao/skill/{SECRET}", json=skill_request(user, line))
        took.append(time.perf_counter() - start)
        SkillAnswer.model_validate(answered.json())
    return took


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
        f"{name:<10} {len(every) / wall:7.1f} answers/s   p50 {cuts[49] * 1000:7.1f} ms   "
        f"p99 {cuts[98] * 1000:7.1f} ms   max {every[-1] * 1000:7.1f} ms"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=50)
    parser.add_argument("--messages", type=int, default=10, help="per citizen")
    args = parser.parse_args()
    lines = messages_for(args.messages)
    with tempfile.TemporaryDirectory() as directory:
        url = fresh_database(directory)
        fake = FakeTelegram()
        await fake.start()
        settings = bot_settings(url, fake, telegram_max_rate=0, kakao_skill_secret=SECRET)
        try:
            async with (
                running_service(settings) as base,
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
        finally:
            await fake.stop()
    print(f"database: {url.split(':')[0]}; {args.citizens} citizens x {args.messages} messages")
    print(figures("kakao", kakao, kakao_wall))
    print(figures("telegram", telegram, telegram_wall))


if __name__ == "__main__":
    import logging

    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main())
