"""Survey results for 100,000 responses: totals and breakdowns by gu, dong and age band.

Loads one survey of four questions (single choice, multiple choice, scale, yes/no) with
`--responses` anonymous responses spread over the city's dongs and age bands, then times
(a) the two grouped queries plus the suppression rule, as the API and the chat run them,
and (b) `GET /api/v1/polls/{id}/results` over HTTP, JSON included. Goal: under 1 s on
PostgreSQL. SQLite by default; PostgreSQL when DATABASE_URL points there (`make bench` runs
both):

    python bench/polls.py [--responses 100000] [--repeat 5]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python bench/polls.py
"""

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from sqlalchemy import Engine, insert, text

from bench.common import fresh_database
from conversations.districts import suwon
from conversations.flows.choices import AGE_BANDS
from runtime.desk import survey_results
from storage import polls
from storage.db import make_engine, transaction
from storage.models import utcnow
from storage.staff import Role, create_staff
from tests.auxil.service import running_service, service_settings

QUESTIONS = [
    {
        "kind": "single",
        "text": "가장 자주 가는 공원",
        "options": ["효원", "만석", "광교", "올림픽"],
    },
    {
        "kind": "multiple",
        "text": "원하는 시설",
        "options": ["조명", "화장실", "벤치", "운동기구", "그늘막"],
        "max_choices": 3,
    },
    {"kind": "scale", "text": "만족도"},
    {"kind": "yes_no", "text": "예산 증액 찬성"},
]
BATCH = 5_000


def load(db: Engine, responses: int) -> int:
    """One open survey with `responses` responses; 1 in 10 respondents has no profile."""
    rng = random.Random(7)
    dongs = list(suwon().dongs.values())
    ages = [o.value for o in AGE_BANDS]
    now = utcnow()
    with db.begin() as connection:
        poll_id = polls.create(
            connection,
            created_by=None,
            title="bench",
            questions=QUESTIONS,
            opens_at=now,
            closes_at=now,
        )
    for start in range(1, responses + 1, BATCH):
        people, answers = [], []
        for response_id in range(start, min(start + BATCH, responses + 1)):
            dong = rng.choice(dongs) if rng.random() > 0.1 else None
            group = {
                "gu": dong.gu if dong else None,
                "dong": dong.name if dong else None,
                "age_band": rng.choice(ages) if dong else None,
            }
            people.append({"id": response_id, "poll_id": poll_id, "submitted_at": now, **group})
            chosen = {
                "q1": [str(rng.randint(1, 4))],
                "q2": [str(v) for v in rng.sample(range(1, 6), rng.randint(1, 3))],
                "q3": [str(rng.randint(1, 5))],
                "q4": [rng.choice(("yes", "no"))],
            }
            for question, values in chosen.items():
                for ordinal, value in enumerate(values):
                    answers.append(
                        {
                            "poll_id": poll_id,
                            "response_id": response_id,
                            "question": question,
                            "ordinal": ordinal,
                            "value": value,
                            **group,
                        }
                    )
        with db.begin() as connection:
            connection.execute(insert(polls.RESPONSE), people)
            connection.execute(insert(polls.ANSWER), answers)
    with db.begin() as connection:
        connection.execute(text("ANALYZE"))
    return poll_id


def timed(action, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    action()  # warm the caches, as a running service would have them
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return runs


async def timed_requests(
    client: httpx.AsyncClient, path: str, token: str, repeat: int
) -> list[float]:
    headers = {"Authorization": f"Bearer {token}"}
    runs = []
    for n in range(repeat + 1):
        started = time.perf_counter()
        response = await client.get(path, headers=headers)
        response.raise_for_status()
        if n:  # the first one warms the caches
            runs.append(time.perf_counter() - started)
    return runs


async def measure(url: str, responses: int, repeat: int) -> None:
    db = make_engine(url)
    started = time.perf_counter()
    poll_id = load(db, responses)
    loaded = time.perf_counter() - started
    with transaction(db) as session:
        _, token = create_staff(session, name="bench", role=Role.STAFF)

    def compute() -> None:
        with db.connect() as connection:
            results = survey_results(connection, poll_id)
        assert results is not None and results[0].total.respondents == responses

    queries = timed(compute, repeat)
    async with (
        running_service(service_settings(url, api_port=0)) as base,
        httpx.AsyncClient(base_url=base, timeout=60) as client,
    ):
        http = await timed_requests(client, f"/api/v1/polls/{poll_id}/results", token, repeat)
    db.dispose()
    name = url.split(":", 1)[0]
    print(f"{name}: {responses:,} responses loaded in {loaded:.1f} s")
    for label, runs in (("queries + suppression", queries), ("GET /results (HTTP)", http)):
        print(
            f"  {label:<24} median {median(runs) * 1000:7.1f} ms"
            f"  (min {min(runs) * 1000:.1f}, max {max(runs) * 1000:.1f}, {repeat} runs)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        asyncio.run(measure(fresh_database(directory), args.responses, args.repeat))


if __name__ == "__main__":
    main()
