"""Broadcast delivery: achieved rate against the limit, and a chatting citizen's reply time.

Part 1 runs the real service (PTB bot, notice queue, senders) against the loopback Bot API
emulator, which answers 429 above `--limit` messages per second. `--recipients` citizens get
one notice while another citizen keeps chatting (browsing, opening and supporting
proposals); printed: achieved rate / configured rate
(every message of the bot while the notice went out, since replies to the chatting citizen
share the budget; the notices alone beside it; goal ≥ 0.95 with zero 429s) and that
citizen's reply latency (goal p95 ≤ 1 s).

Part 2 (PostgreSQL only) loads `--city` citizens and times the audience preview (goal ≤ 1 s)
and building the delivery queue for all of them (goal ≤ 60 s).

    python bench/broadcast.py [--recipients 20000] [--limit 100] [--city 1200000]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python bench/broadcast.py

`--busy 2` keeps two spinning processes running during delivery (a machine busy with other
work: both cores of this one); `--city 0` skips part 2.
"""

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median, quantiles

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from sqlalchemy import Engine, insert

from bench.common import fresh_database, load_city
from conversations.districts import suwon
from runtime.notice_schedule import NoticeSchedule
from storage import notices, proposals
from storage.db import make_engine, transaction
from storage.models import Citizen, utcnow
from storage.staff import Role, create_staff
from storage.turns import load_turn
from tests.auxil.service import bot_settings, running_service
from tests.fake_telegram.server import FakeTelegram

CHATTER = 1
FIRST_RECIPIENT = 10_000
BATCH = 5_000


def add_recipients(db: Engine, count: int) -> None:
    """`count` onboarded citizens in 장안구 who take notices; chat ids from FIRST_RECIPIENT."""
    dongs = suwon().dongs_in("장안구")
    now = utcnow()
    for start in range(0, count, BATCH):
        rows = [
            {
                "channel": "telegram",
                "external_id": str(FIRST_RECIPIENT + n),
                "chat_id": str(FIRST_RECIPIENT + n),
                "language": "ko",
                "dong": dongs[n % len(dongs)],
                "interests": ["welfare"],
                "muted_topics": [],
                "easy_mode": False,
                "notices_enabled": True,
                "onboarded": True,
                "active": True,
                "created_at": now,
                "updated_at": now,
            }
            for n in range(start, min(start + BATCH, count))
        ]
        with db.begin() as connection:
            connection.execute(insert(Citizen.__table__), rows)  # type: ignore[attr-defined]


# What the chatting citizen does again and again while the notice goes out: browses the
# newest proposals, opens one, supports it, takes the support back, and goes home, a half
# second's thought between steps. Each step reads or writes the city's records.
WALK = ("📋 제안 둘러보기", "🆕 최신순", "1", "👍 공감하기", "공감 취소", "🏠 처음으로")
PROPOSALS = 30


def add_proposals(db: Engine, count: int) -> None:
    """Proposals for the chatting citizen to browse, by other citizens."""
    with db.begin() as connection:
        for n in range(count):
            name = f"author-{n}"
            author = load_turn(connection, channel="telegram", external_id=name, chat_id=name)
            proposals.submit(
                connection,
                author_id=author.citizen_id,
                title=f"장안구 {n}번 산책길 가로등을 늘려 주세요",
                body="밤에 어두워서 걷기 무서워요.",
                category="safety",
                dong="영화동",
            )


async def chat_while(fake: FakeTelegram, done: asyncio.Event) -> list[float]:
    """A citizen walking a real flow (`WALK`) over and over; seconds until each answer."""
    person = fake.citizen(CHATTER)
    for words in ("안녕하세요", "한국어", "보통으로", "동의하지 않습니다"):
        await person.say(words)
        await person.reply(timeout=30)
    latencies = []
    while not done.is_set():
        for words in WALK:
            started = time.monotonic()
            await person.say(words)
            await person.reply(timeout=30)
            latencies.append(time.monotonic() - started)
            await asyncio.sleep(0.5)
    return latencies


async def delivery(url: str, recipients: int, limit: int) -> None:
    db = make_engine(url)
    add_recipients(db, recipients)
    add_proposals(db, PROPOSALS)
    with transaction(db) as session:
        _, token = create_staff(session, name="bench", role=Role.STAFF)
        # A notice to more citizens than NOTICE_APPROVAL_THRESHOLD waits for a second official.
        _, approver = create_staff(session, name="bench-approver", role=Role.STAFF)
    db.dispose()
    fake = FakeTelegram()
    await fake.start()
    fake.rate_limit = limit
    settings = bot_settings(
        url,
        fake,
        telegram_max_rate=limit,
        quiet_hours_start=0,
        quiet_hours_end=0,
        notice_weekly_budget=1000,
    )
    headers = {"Authorization": f"Bearer {token}"}
    async with running_service(settings) as base, httpx.AsyncClient(base_url=base) as api:
        body = {
            "text": "<b>장안구 소식</b> 벤치마크",
            "topics": ["culture"],
            "audience": {"gus": ["장안구"]},
        }
        notice_id = (await api.post("/api/v1/notices", json=body, headers=headers)).json()["id"]
        done = asyncio.Event()
        chatting = asyncio.create_task(chat_while(fake, done))
        await asyncio.sleep(3)  # the chatter is past onboarding before the broadcast starts
        sent = await api.post(f"/api/v1/notices/{notice_id}/send", json={}, headers=headers)
        if sent.json()["status"] == "for_approval":
            second = {"Authorization": f"Bearer {approver}"}
            await api.post(f"/api/v1/notices/{notice_id}/approve", headers=second)
        while True:
            report = (await api.get(f"/api/v1/notices/{notice_id}/report", headers=headers)).json()
            if report["status"] == "sent":
                break
            await asyncio.sleep(1)
        done.set()
        latencies = await chatting
    times = sorted(
        out["received_at"]
        for chat, outputs in fake.outbox.items()
        if chat >= FIRST_RECIPIENT
        for out in outputs
    )
    # The budget is the bot's: replies to the chatting citizen take their slots too.
    everything = [
        out["received_at"]
        for outputs in fake.outbox.values()
        for out in outputs
        if times[0] <= out["received_at"] <= times[-1]
    ]
    await fake.stop()
    achieved = (len(times) - 1) / (times[-1] - times[0])
    total = (len(everything) - 1) / (times[-1] - times[0])
    p95 = quantiles(latencies, n=20)[-1]
    name = url.split(":", 1)[0]
    print(f"{name}: {len(times):,} of {recipients:,} recipients got the notice")
    print(
        f"  achieved {total:.1f} msg/s of {limit} configured: ratio {total / limit:.3f} "
        f"(notices alone {achieved:.1f} msg/s, {achieved / limit:.3f}; the rest replies), "
        f"429 answers: {fake.rate_limited}"
    )
    print(
        f"  chatting citizen, {len(latencies)} replies during the broadcast: "
        f"p50 {median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )


def city(url: str, size: int) -> None:
    """Preview and queue building for a whole city of `size` citizens (PostgreSQL)."""
    db = make_engine(url)
    started = time.perf_counter()
    load_city(db, size)
    loaded = time.perf_counter() - started
    districts = suwon()
    schedule = NoticeSchedule(db, None, districts, weekly_budget=3)  # type: ignore[arg-type]
    audience = {"gus": [], "dongs": [], "age_bands": [], "interests": [], "languages": []}
    with db.begin() as connection:
        notice_id = notices.create(
            connection, created_by=None, text="전체 알림", audience=audience, topics=["welfare"]
        )
        notices.move(
            connection, notice_id=notice_id, before=("draft",), after="scheduled", send_at=utcnow()
        )
        notice = notices.get(connection, notice_id)
    previews = []
    for _ in range(3):
        begun = time.perf_counter()
        with db.connect() as connection:
            total, over = notices.preview(
                connection,
                audience=schedule.audience(notice),
                urgent=False,
                budget=3,
                now=utcnow(),
            )
        previews.append(time.perf_counter() - begun)
    begun = time.perf_counter()
    [(_, queued)] = schedule.queue_due()
    queueing = time.perf_counter() - begun
    db.dispose()
    print(f"postgresql city: {size:,} citizens loaded in {loaded:.1f} s")
    print(
        f"  audience preview: {total:,} recipients ({over:,} over budget) in "
        f"{median(previews) * 1000:.0f} ms (median of 3)"
    )
    print(f"  delivery queue: {queued:,} rows written in {queueing:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--limit", type=int, default=100, help="messages per second")
    parser.add_argument("--city", type=int, default=1_200_000)
    parser.add_argument("--skip-delivery", action="store_true")
    parser.add_argument("--busy", type=int, default=0, help="spinning processes meanwhile")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = fresh_database(directory)
        if not args.skip_delivery:
            spinners = [
                subprocess.Popen([sys.executable, "-c", "while True: pass"])
                for _ in range(args.busy)
            ]
            try:
                asyncio.run(delivery(url, args.recipients, args.limit))
            finally:
                for spinner in spinners:
                    spinner.kill()
            if args.busy:
                print(f"  (with {args.busy} spinning processes keeping the cores busy)")
        if not args.city:
            return
        if url.startswith("postgresql"):
            city(fresh_database(directory), args.city)
        else:
            print("city part skipped: it runs on PostgreSQL (set DATABASE_URL)")


if __name__ == "__main__":
    main()
