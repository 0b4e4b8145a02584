"""Scaling out on one PostgreSQL: citizen messages per second through 1, 2 and 3 web
processes, and the notice send rate of 1 and 2 sender processes against one budget.

Every process is a real `toktok run --web` (or `--sender`) on the loopback Bot API fake, in
webhook mode; the fake spreads each update over the web processes at random, as a load
balancer would. Citizens wait for each reply before their next message (as people do), many
at once. One web process is the baseline in the same run, so the figures are ratios; on two
cores more processes cannot go much faster — what matters is that throughput does not fall
and that two senders keep the one budget (no faster, no 429).

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python bench/scaleout.py
"""

import argparse
import asyncio
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from sqlalchemy import update

from bench.common import fresh_database
from bench.updates import messages_for
from storage.db import make_engine
from storage.models import Citizen
from storage.staff import Role
from tests.auxil.factories import make_citizen, make_staff
from tests.auxil.processes import toktok_process
from tests.e2e.test_restart import wait_ready
from tests.fake_telegram.server import FakeTelegram


async def converse(fake: FakeTelegram, user: int, messages: int) -> None:
    citizen = fake.citizen(user)
    for line in messages_for(messages):
        await citizen.say(line)
        await citizen.reply(timeout=60)


async def web_rate(
    fake: FakeTelegram, url: str, logs: Path, processes: int, citizens: int, messages: int
) -> float:
    """Messages per second through `processes` web processes (rate limit off)."""
    with ExitStack() as stack:
        webs = [
            stack.enter_context(
                toktok_process(
                    fake,
                    url,
                    logs / f"web{processes}-{n}.log",
                    "--web",
                    TELEGRAM_MAX_RATE="0",
                    TURN_WORKERS="1",
                )
            )
            for n in range(processes)
        ]
        await asyncio.gather(*(wait_ready(web) for web in webs))
        fake.webhook_targets = [web.webhook for web in webs]  # type: ignore[attr-defined]
        first = 1_000_000 * processes
        await asyncio.gather(*(converse(fake, first + 900 + n, 3) for n in range(5)))  # warm-up
        start = time.perf_counter()
        await asyncio.gather(*(converse(fake, first + n, messages) for n in range(citizens)))
        return citizens * messages / (time.perf_counter() - start)


async def send_rate(
    fake: FakeTelegram, url: str, logs: Path, senders: int, recipients: int, rate: float
) -> tuple[float, int]:
    """Notice messages per second with `senders` sender processes on one budget, and 429s."""
    db = make_engine(url)
    first = 5_000_000 + 100_000 * senders
    # Each run its own gu, where no earlier run's citizens live (the web runs' live in
    # 영통구 매탄3동), so the notice reaches this run's recipients and no one else.
    gu, dong = {1: ("팔달구", "인계동"), 2: ("권선구", "세류1동")}[senders]
    for chat in range(first, first + recipients):
        citizen_id = make_citizen(db, str(chat))
        with db.begin() as connection:
            connection.execute(
                update(Citizen)
                .where(Citizen.id == citizen_id)
                .values(onboarded=True, dong=dong, interests=["welfare"])
            )
    token = make_staff(db, role=Role.STAFF)[1]
    db.dispose()
    fake.rate_limit = rate + 2
    refused_before = fake.rate_limited
    settings = {"TELEGRAM_MAX_RATE": str(rate)}
    with ExitStack() as stack:
        web = stack.enter_context(
            toktok_process(
                fake, url, logs / f"s{senders}-web.log", "--web", "--scheduler", **settings
            )
        )
        sending = [
            stack.enter_context(
                toktok_process(fake, url, logs / f"s{senders}-{n}.log", "--sender", **settings)
            )
            for n in range(senders)
        ]
        await asyncio.gather(*(wait_ready(p) for p in (web, *sending)))
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{web.port}") as api:  # type: ignore[attr-defined]
            notice = {
                "text": f"scale-out {senders}",
                "topics": ["welfare"],
                "audience": {"gus": [gu]},
            }
            notice_id = (await api.post("/api/v1/notices", json=notice, headers=headers)).json()[
                "id"
            ]
            await api.post(f"/api/v1/notices/{notice_id}/send", json={}, headers=headers)
            chats = range(first, first + recipients)
            while sum(len(fake.outbox[c]) for c in chats) < recipients:
                await asyncio.sleep(0.01)
    times = sorted(m["received_at"] for c in chats for m in fake.outbox[c])
    marker = f"scale-out {senders}"
    reached = sum(marker in m.get("text", "") for sent in fake.outbox.values() for m in sent)
    assert reached == recipients, f"the notice reached {reached} chats, not {recipients}"
    achieved = (len(times) - 1) / (times[-1] - times[0])
    return achieved, fake.rate_limited - refused_before


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=30)
    parser.add_argument("--messages", type=int, default=10, help="per citizen")
    parser.add_argument("--recipients", type=int, default=300)
    parser.add_argument("--rate", type=float, default=50.0, help="the sending budget, per second")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        raise SystemExit("set DATABASE_URL to PostgreSQL: several processes need it")
    with tempfile.TemporaryDirectory() as directory:
        url = fresh_database(directory)
        logs = Path(directory)
        fake = FakeTelegram()
        await fake.start()
        try:
            webs = {
                n: await web_rate(fake, url, logs, n, args.citizens, args.messages)
                for n in (1, 2, 3)
            }
            sends = {
                n: await send_rate(fake, url, logs, n, args.recipients, args.rate) for n in (1, 2)
            }
        finally:
            await fake.stop()
    print(f"messages: {args.citizens} citizens x {args.messages}, each waiting for its reply")
    for n, rate in webs.items():
        print(f"web processes {n}:  {rate:7.1f} messages/s  ({rate / webs[1]:.2f}x one process)")
    print(f"notices: {args.recipients} recipients, budget {args.rate:.0f}/s")
    for n, (rate, refused) in sends.items():
        print(f"sender processes {n}: {rate:6.1f} messages/s  ({rate / args.rate:.2f} of the "
              f"budget)  429s: {refused}")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
