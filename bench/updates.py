"""Citizen messages per second through the whole stack, against a bare PTB echo bot.

Both bots poll the same loopback Bot API emulator in the same run. The full stack is the real
service (PTB → turn worker process → runtime → engine → one database transaction → outbox →
sendMessage → sent mark), configured as shipped (`TURN_WORKERS=1`);
the echo bot answers each text with `reply_text`. Both have the global rate limit off, so the
figure is processing capacity, not Telegram's cap. Goal: ratio ≥ 0.6 on SQLite and PostgreSQL.

    python bench/updates.py [--citizens 40] [--messages 25] [--rounds 5] [--turn-workers 1]

The two bots take turns for `--rounds` rounds; the median and range of each are printed,
because a single run on a shared two-core machine varies by about ±10 %.
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python bench/updates.py
"""

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bench.common import fresh_database
from tests.auxil.service import bot_settings, running_service
from tests.fake_telegram.server import FakeTelegram
from toktok.settings import Settings

# Every line gets exactly one reply: onboarding by typing, then the profile menu, back and forth.
SCRIPT = [
    "안녕하세요",
    "한국어",
    "보통으로",
    "동의합니다",
    "매탄 3동",
    "40대",
    "건너뛰기",
    "내 정보",
    "나이대",
    "50대",
    "사는 동",
    "인계동",
    "관심 분야",
    "건너뛰기",
    "다 됐어요",
]


def messages_for(count: int) -> list[str]:
    """The script, then the profile loop again and again, until `count` lines."""
    lines = list(SCRIPT)
    loop = SCRIPT[7:]
    while len(lines) < count:
        lines += loop
    return lines[:count]


async def push(fake: FakeTelegram, citizens: int, messages: int, first_user: int) -> int:
    """Queues every citizen's messages, interleaved, and returns how many replies to expect."""
    people = [fake.citizen(first_user + i) for i in range(citizens)]
    for line in messages_for(messages):
        for person in people:
            await person.say(line)
    return citizens * messages


async def measure(fake: FakeTelegram, citizens: int, messages: int, first_user: int) -> float:
    """Messages handled per second, from the first queued update to the last reply."""
    users = range(first_user, first_user + citizens)
    before = sum(len(fake.outbox[u]) for u in users)
    start = time.perf_counter()
    expected = await push(fake, citizens, messages, first_user)
    while sum(len(fake.outbox[u]) for u in users) - before < expected:
        await asyncio.sleep(0.005)
    return expected / (time.perf_counter() - start)


async def full_stack(
    fake: FakeTelegram, url: str, citizens: int, messages: int, first_user: int, workers: int
) -> float:
    settings = bot_settings(url, fake, telegram_max_rate=0, turn_workers=workers)
    async with running_service(settings):
        await measure(fake, 5, 5, first_user + 90_000)  # warm-up
        return await measure(fake, citizens, messages, first_user)


async def echo(fake: FakeTelegram, citizens: int, messages: int, first_user: int) -> float:
    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(update.effective_message.text)  # type: ignore[union-attr]

    application = (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .rate_limiter(AIORateLimiter(overall_max_rate=0))
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, answer))
    async with application:
        await application.start()
        await application.updater.start_polling()  # type: ignore[union-attr]
        await measure(fake, 5, 5, first_user + 90_000)  # warm-up
        rate = await measure(fake, citizens, messages, first_user)
        await application.updater.stop()  # type: ignore[union-attr]
        await application.stop()
    return rate


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=40)
    parser.add_argument("--messages", type=int, default=25, help="per citizen")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--turn-workers",
        type=int,
        default=Settings.model_fields["turn_workers"].default,
        help="TURN_WORKERS of the service (0: turns in a thread of the service process)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = fresh_database(directory)
        fake = FakeTelegram()
        await fake.start()
        echo_rates, stack_rates = [], []
        try:
            for round_ in range(args.rounds):
                base = 1_000_000 * (round_ + 1)
                echo_rates.append(await echo(fake, args.citizens, args.messages, base))
                stack_rates.append(
                    await full_stack(
                        fake, url, args.citizens, args.messages, base + 500_000, args.turn_workers
                    )
                )
        finally:
            await fake.stop()
    total = args.citizens * args.messages
    print(f"database:        {url.split(':')[0]}")
    print(f"messages:        {total} ({args.citizens} citizens x {args.messages})")
    print(f"turn workers:    {args.turn_workers} (0: a thread of the service process)")
    ratios = [s / e for s, e in zip(stack_rates, echo_rates, strict=True)]
    print(f"rounds:          {args.rounds} (median, then min-max)")
    print(f"echo bot:        {median(echo_rates):8.1f} messages/s  {spread(echo_rates)}")
    print(f"full stack:      {median(stack_rates):8.1f} messages/s  {spread(stack_rates)}")
    print(f"ratio:           {median(ratios):8.2f}   {spread(ratios, 2)}   (goal >= 0.6)")


def spread(values: list[float], digits: int = 1) -> str:
    return f"({min(values):.{digits}f}-{max(values):.{digits}f})"


if __name__ == "__main__":
    import logging

    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    asyncio.run(main())
