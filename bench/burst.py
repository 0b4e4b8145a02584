"""A burst: 200 citizens answer a 3-question survey at the same moment; stack against echo.

The service (`toktok run`, as shipped: one turn worker process) and a bare PTB echo bot each
run in their own process and poll the loopback Bot API emulator, which runs here with the
simulated citizens and wakes only the citizen a message is for. Every citizen, all at once,
opens the survey list, picks the survey, answers its three questions, and submits: six
messages, each answered before the next. The echo bot is driven the same way (six messages
each, one answer each). Rounds go on (at least `--rounds`, at most `--max-rounds`) until
two in a row agree within 5 % (the first rounds still warm up: they rise). Printed per round,
then for the steady pair and as the median of all: answers per second, stack ÷ echo (goal
≥ 0.6 on SQLite and on PostgreSQL), each side's p95 wait for an answer, and the CPU each of
the service's processes spent while the stack answered (where the work is done).

    python bench/burst.py [--citizens 200] [--rounds 3] [--max-rounds 10]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python bench/burst.py
"""

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from statistics import median, quantiles

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from sqlalchemy import Engine, insert
from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bench.common import fresh_database
from storage.db import make_engine, transaction
from storage.models import Citizen, utcnow
from storage.staff import Role, create_staff
from tests.auxil.service import TEST_DATA_KEY, free_port
from tests.fake_telegram.server import FakeTelegram, SimCitizen

ROOT = Path(__file__).resolve().parents[1]
TITLE = "동네 산책길 조명"
SURVEY = {
    "title": TITLE,
    "intro": "산책길 조명을 여쭤요.",
    "questions": [
        {"kind": "yes_no", "text": "조명을 늘리는 데 찬성하시나요?"},
        {"kind": "single", "text": "언제 산책하시나요?", "options": ["아침", "저녁", "밤"]},
        {"kind": "scale", "text": "지금 조명은 얼마나 밝은가요?"},
    ],
    "audience": {},
    "results_shown": "after_close",
}
STEPS = 6


def add_citizens(db: Engine, first: int, count: int) -> None:
    """Onboarded citizens (chat ids from `first`), ready to open the survey list."""
    now = utcnow()
    rows = [
        {"channel": "telegram", "external_id": str(n), "chat_id": str(n), "language": "ko",
         "dong": "매탄1동", "age_band": "40s", "interests": [], "muted_topics": [],
         "easy_mode": False, "notices_enabled": True, "onboarded": True, "active": True,
         "created_at": now, "updated_at": now}
        for n in range(first, first + count)
    ]  # fmt: skip
    with db.begin() as connection:
        connection.execute(insert(Citizen.__table__), rows)  # type: ignore[attr-defined]


async def answer_survey(person: SimCitizen) -> list[float]:
    """The six steps of one citizen through the real flow; seconds waited for each answer."""
    waits = []

    async def step(action) -> dict:  # type: ignore[no-untyped-def]
        started = time.monotonic()
        await action
        reply = await person.reply(timeout=120)
        waits.append(time.monotonic() - started)
        return reply

    listed = await step(person.say("🗳 설문·투표"))
    assert f"📋 {TITLE}" in person.buttons(listed), listed
    await step(person.tap(f"📋 {TITLE}"))
    for _ in range(3):
        await step(person.tap(person.buttons()[0]))
    thanks = await step(person.tap("✅ 제출하기"))
    assert "답변이 저장되었어요" in thanks["text"], thanks["text"]
    return waits


async def echo_six(person: SimCitizen) -> list[float]:
    waits = []
    for n in range(STEPS):
        started = time.monotonic()
        await person.say(f"답 {n}")
        await person.reply(timeout=120)
        waits.append(time.monotonic() - started)
    return waits


async def burst(fake: FakeTelegram, first: int, count: int, script) -> tuple[float, list[float]]:  # type: ignore[no-untyped-def]
    """Answers per second over the whole burst, and every wait of every citizen."""
    people = [fake.citizen(first + n) for n in range(count)]
    started = time.monotonic()
    waits = await asyncio.gather(*(script(person) for person in people))
    elapsed = time.monotonic() - started
    return count * STEPS / elapsed, [w for each in waits for w in each]


def start(args: list[str], env: dict[str, str], cwd: str, log: Path) -> subprocess.Popen[bytes]:
    """A process whose output goes to `log` (printed if the run fails)."""
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, *args],
            env={**os.environ, **env},
            cwd=cwd,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def start_service(
    database: str, fake: FakeTelegram, port: int, directory: str, **settings: str
) -> subprocess.Popen[bytes]:
    """`toktok run` as shipped (plus `settings`), its bot on `fake`, its log in `directory`."""
    environment = {
        "DATABASE_URL": database,
        "DATA_KEYS": TEST_DATA_KEY,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "API_PORT": str(port),
        **settings,
    }
    log = Path(directory) / "service.log"
    return start(["-m", "toktok.cli", "run"], environment, directory, log)


async def ready(url: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(600):
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError(url)


# Two rounds in a row whose ratios differ by at most this share: a steady state.
STEADY = 0.05


def steady(ratios: list[float]) -> bool:
    """Whether the last two rounds agree within `STEADY`."""
    return len(ratios) >= 2 and abs(ratios[-1] - ratios[-2]) <= STEADY * max(ratios[-2:])


async def run(database: str, citizens: int, rounds: int, max_rounds: int, directory: str) -> None:
    db = make_engine(database)
    add_citizens(db, 1_000_000, citizens * max_rounds + 1)  # the last one warms up
    with transaction(db) as session:
        _, token = create_staff(session, name="bench", role=Role.STAFF)
    db.dispose()
    # Each bot polls its own emulator: two pollers of one would take each other's updates.
    fake, echo_fake = FakeTelegram(), FakeTelegram()
    await fake.start()
    await echo_fake.start()
    port = free_port()
    service = start_service(
        database, fake, port, directory, TELEGRAM_MAX_RATE="0", CITIZEN_BURST="1000"
    )
    echo_args = [str(Path(__file__).resolve()), "--echo-bot", echo_fake.base_url, echo_fake.token]
    echo = start(echo_args, {}, str(ROOT), Path(directory) / "echo.log")
    try:
        await ready(f"http://127.0.0.1:{port}/readyz")
        headers = {"Authorization": f"Bearer {token}"}
        survey = {**SURVEY, "opens_at": (utcnow() - timedelta(minutes=1)).isoformat()}
        survey["closes_at"] = (utcnow() + timedelta(hours=1)).isoformat()
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as api:
            created = await api.post("/api/v1/polls", json=survey, headers=headers)
            poll = created.json()["id"]
            opened = await api.post(f"/api/v1/polls/{poll}/schedule", headers=headers)
            assert opened.json().get("status") == "open", (created.text, opened.text)
        # Both bots answer once before the clock starts (connections made, caches filled).
        await echo_six(echo_fake.citizen(5))
        await answer_survey(fake.citizen(1_000_000 + citizens * max_rounds))
        results = []
        cpu_before = cpu_seconds(service.pid)
        stack_seconds = 0.0
        for round_ in range(max_rounds):
            if round_ >= rounds and steady([stack / echo for echo, stack, _, _ in results]):
                break
            echo_rate, echo_waits = await burst(
                fake, 2_000_000 + round_ * citizens, citizens, echo_six
            )
            first = 1_000_000 + round_ * citizens
            stack_rate, stack_waits = await burst(fake, first, citizens, answer_survey)
            stack_seconds += citizens * STEPS / stack_rate
            results.append((echo_rate, stack_rate, p95(echo_waits), p95(stack_waits)))
            print(
                f"round {round_ + 1}: echo {echo_rate:6.1f}/s p95 {p95(echo_waits):5.2f} s | "
                f"stack {stack_rate:6.1f}/s p95 {p95(stack_waits):5.2f} s | "
                f"ratio {stack_rate / echo_rate:.2f}"
            )
        cpu_after = cpu_seconds(service.pid)
    except BaseException:
        for log in ("service.log", "echo.log"):
            print(f"--- {log}", (Path(directory) / log).read_text()[-3000:], sep="\n")
        raise
    finally:
        for process in (service, echo):
            process.terminate()
            process.wait(timeout=30)
        await fake.stop()
        await echo_fake.stop()
    busy = ", ".join(
        f"{name} {(cpu_after[name] - cpu_before.get(name, 0.0)) / stack_seconds:.0%}"
        for name in cpu_after
    )
    print(f"CPU of the service's processes while the stack answered (one core = 100 %): {busy}")
    ratios = [stack / echo for echo, stack, _, _ in results]
    held = "steady" if steady(ratios) else f"NOT steady within {STEADY:.0%}"
    print(
        f"last two rounds ({held} after {len(results)}): ratio "
        f"{sum(ratios[-2:]) / 2:.2f} ({ratios[-2]:.2f}, {ratios[-1]:.2f}; goal >= 0.6)"
    )
    echo_rate, stack_rate, echo_p95, stack_p95 = (median(r[i] for r in results) for i in range(4))
    print(
        f"{database.split(':')[0]}, {citizens} citizens x {STEPS} answers, "
        f"median of {len(results)}: "
        f"echo {echo_rate:.1f}/s (p95 {echo_p95:.2f} s), "
        f"stack {stack_rate:.1f}/s (p95 {stack_p95:.2f} s), "
        f"ratio {median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f}; goal >= 0.6)"
    )


def cpu_seconds(pid: int) -> dict[str, float]:
    """CPU time (user + system) of the service process and of each process under it (the
    turn workers come from a fork server), read from /proc (Linux): where a burst's work is
    done."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float, str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat.rsplit(")", 1)[1].split()
            seconds = (int(fields[11]) + int(fields[12])) / tick
            stats[int(entry.name)] = (int(fields[1]), seconds, name)
    times = {"service": stats[pid][1]}
    family = {pid}
    for _ in range(3):  # children, grandchildren, great-grandchildren
        family |= {child for child, (parent, _, _) in stats.items() if parent in family}
    for member in sorted(family - {pid}):
        times[f"{stats[member][2]} {member}"] = stats[member][1]
    return times


def p95(values: list[float]) -> float:
    return quantiles(values, n=20)[-1]


def echo_bot(base_url: str, token: str) -> None:
    """The baseline: a bare PTB bot that answers every message with its text."""

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(update.effective_message.text)  # type: ignore[union-attr]

    async def tapped(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()  # type: ignore[union-attr]

    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .rate_limiter(AIORateLimiter(overall_max_rate=0))
        .concurrent_updates(True)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, answer))
    application.add_handler(CallbackQueryHandler(tapped))
    application.run_polling(drop_pending_updates=False, stop_signals=None, close_loop=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="at least")
    parser.add_argument("--max-rounds", type=int, default=10, help="at most")
    parser.add_argument(
        "--echo-bot", nargs=2, metavar=("BASE_URL", "TOKEN"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.echo_bot:
        echo_bot(*args.echo_bot)
        return
    with tempfile.TemporaryDirectory() as directory:
        rounds = max(args.rounds, 2)
        max_rounds = max(args.max_rounds, rounds)
        asyncio.run(run(fresh_database(directory), args.citizens, rounds, max_rounds, directory))


if __name__ == "__main__":
    main()
