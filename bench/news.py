"""Staff news: how long after an official answers a proposal its followers have the message.

Runs the real service (PTB bot, outbox, the news sender) against the loopback Bot API
emulator. `--answers` proposals, each followed by `--followers` citizens, are answered one
after another through the JSON API, `--gap` seconds apart; for every follower the time from
the API's answer to the message reaching the emulator is taken. The baseline, in the same
run: a citizen's own reply ("도움말" → help), the fastest path through the same sender.
Goal: news p95 <= 2 s.

    python bench/news.py [--answers 30] [--followers 5] [--gap 0.7]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python bench/news.py
"""

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from statistics import median, quantiles

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from sqlalchemy import Engine, insert

from bench.common import fresh_database
from storage import proposals
from storage.db import make_engine, transaction
from storage.models import Citizen, utcnow
from storage.staff import Role, create_staff
from tests.auxil.service import bot_settings, running_service
from tests.fake_telegram.server import FakeTelegram

CHATTER = 1
FIRST_FOLLOWER = 1_000


def load(db: Engine, answers: int, followers: int) -> list[tuple[int, list[int]]]:
    """Onboarded citizens and the proposals they support: (proposal id, follower chats)."""
    now = utcnow()
    chats = [FIRST_FOLLOWER + n for n in range(answers * followers)]
    with db.begin() as connection:
        ids = connection.execute(
            insert(Citizen).returning(Citizen.id),  # type: ignore[arg-type]
            [
                {"channel": "telegram", "external_id": str(c), "chat_id": str(c),
                 "language": "ko", "privacy_consent": True, "onboarded": True, "interests": [],
                 "muted_topics": [], "easy_mode": False, "notices_enabled": True,
                 "active": True, "created_at": now, "updated_at": now}
                for c in chats
            ],
        ).scalars().all()  # fmt: skip
        by_chat = dict(zip(chats, ids, strict=True))
        made = []
        for n in range(answers):
            group = chats[n * followers : (n + 1) * followers]
            proposal_id = proposals.submit(
                connection,
                author_id=by_chat[group[0]],
                title=f"벤치 제안 {n}",
                body="가로등이 고장 났어요",
                category="safety",
                dong=None,
            )
            for chat in group[1:]:
                proposals.support(
                    connection, proposal_id=proposal_id, citizen_id=by_chat[chat], threshold=99
                )
            made.append((proposal_id, group))
    return made


async def own_replies(fake: FakeTelegram, done: asyncio.Event) -> list[float]:
    """A citizen asking for help every half second: seconds until each answer arrives."""
    person = fake.citizen(CHATTER)
    for words in ("안녕하세요", "한국어", "보통으로", "동의하지 않습니다"):
        await person.say(words)
        await person.reply(timeout=30)
    seconds = []
    while not done.is_set():
        started = time.monotonic()
        await person.say("도움말")
        await person.reply(timeout=30)
        seconds.append(time.monotonic() - started)
        await asyncio.sleep(0.5)
    return seconds


async def run(url: str, answers: int, followers: int, gap: float) -> None:
    db = make_engine(url)
    made = load(db, answers, followers)
    with transaction(db) as session:
        _, token = create_staff(session, name="bench", role=Role.STAFF)
    db.dispose()
    fake = FakeTelegram()
    await fake.start()
    settings = bot_settings(url, fake, telegram_max_rate=100)
    headers = {"Authorization": f"Bearer {token}"}
    news: list[float] = []
    async with running_service(settings) as base, httpx.AsyncClient(base_url=base) as api:
        done = asyncio.Event()
        chatting = asyncio.create_task(own_replies(fake, done))
        await asyncio.sleep(2)  # past onboarding
        for proposal_id, group in made:
            answer = {"status": "accepted", "answer": "이번 달 안에 고치겠습니다."}
            told = await api.post(
                f"/api/v1/proposals/{proposal_id}/status", json=answer, headers=headers
            )
            answered = time.monotonic()
            assert told.status_code == 200, told.text
            for chat in group:
                (message,) = await fake.wait_for(chat, 1, timeout=30)
                news.append(message["received_at"] - answered)
            await asyncio.sleep(gap)
        done.set()
        baseline = await chatting
    await fake.stop()
    name = url.split(":", 1)[0]
    base_p50 = median(baseline)
    print(f"{name}: {answers} answers to {followers} followers each, {gap} s apart")
    for label, seconds in (("baseline: own reply", baseline), ("news after an answer", news)):
        p95 = quantiles(seconds, n=20)[-1]
        print(f"  {label:22} n={len(seconds):4}  p50 {median(seconds) * 1000:6.0f} ms  "
              f"p95 {p95 * 1000:6.0f} ms  max {max(seconds) * 1000:6.0f} ms  "
              f"({median(seconds) / base_p50:4.1f}x baseline)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=30)
    parser.add_argument("--followers", type=int, default=5)
    parser.add_argument("--gap", type=float, default=0.7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = fresh_database(directory)
        asyncio.run(run(url, options.answers, options.followers, options.gap))


if __name__ == "__main__":
    main()
