"""Console pages at city scale: p50/p95 per page over real HTTP, against the sign-in page.

Loads `--proposals` proposals (with `--comments` comments and as many supports between
them) and `--cases` care cases, then times, as a signed-in admin, the home page, the
proposals list, a proposal's page (comments, look-alikes, history) and the care list, each
`--rounds` times through the running service (uvicorn on loopback). The sign-in page, which
reads nothing but the session table, is the baseline timed in the same run.
Goal: p95 <= 300 ms per page on PostgreSQL on a 2-core machine.

It also loads a survey with `--responses` responses and, on PostgreSQL, `--city` more
citizens who joined over the past year with a year of activity (surveys, a notice to a
tenth of the city, opt-outs, answered proposals), and times the survey's results page and
chart and the participation dashboard: as it opens (this year so far, counted ahead every
five minutes as in production), and over ranges of months never asked before (each counted
when asked). Goal: p95 <= 1 s for those on PostgreSQL.

    python bench/console.py [--proposals 100000] [--comments 500000] [--cases 50000]
        [--responses 100000] [--city 1200000]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python bench/console.py
"""

import argparse
import asyncio
import re
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from statistics import median, quantiles

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from sqlalchemy import Engine, insert, text

from bench import polls as survey_bench
from bench.common import fresh_database, load_city
from conversations.districts import suwon
from storage.db import make_engine, transaction
from storage.models import (
    CareApplication,
    Citizen,
    Proposal,
    ProposalComment,
    ProposalSupport,
    utcnow,
)
from storage.staff import Role, create_staff, set_password
from tests.auxil.service import running_service, sealer_for_tests, service_settings

BATCH = 10_000
CITIZENS = 1_000
PASSWORD = "벤치 비밀번호 1234"
PLACES = ["버스정류장", "공원", "놀이터", "도서관", "횡단보도", "주차장", "경로당", "시장"]
THINGS = ["그늘막", "CCTV", "가로등", "벤치", "화장실", "안내판", "쉼터", "자전거 거치대"]
CATEGORIES = ["transport", "environment", "welfare", "safety", "culture"]


def _insert(db: Engine, table: object, rows: list[dict[str, object]]) -> None:
    with db.begin() as connection:
        connection.execute(insert(table), rows)  # type: ignore[call-overload]


def load(db: Engine, proposals: int, comments: int, cases: int) -> None:
    """Citizens, proposals with supports and comments, care cases: bulk rows, no flows.

    Proposals are a second apart, as filed over time (the look-alike index catches up on
    `updated_at`, so one shared timestamp would make every page re-read them all)."""
    now = utcnow()
    dongs = [name for names in suwon().dongs_by_gu().values() for name in names]
    citizen = Citizen.__table__  # type: ignore[attr-defined]
    _insert(
        db,
        citizen,
        [
            {"channel": "telegram", "external_id": str(n), "chat_id": str(n), "language": "ko",
             "interests": [], "muted_topics": [], "easy_mode": False, "notices_enabled": True,
             "onboarded": True, "active": True, "created_at": now, "updated_at": now}
            for n in range(1, CITIZENS + 1)
        ],
    )  # fmt: skip
    supports_each = max(1, comments // max(proposals, 1))
    for start in range(0, proposals, BATCH):
        ids = range(start + 1, min(start + BATCH, proposals) + 1)
        rows = [
            {"id": n, "author_id": n % CITIZENS + 1,
             "title": f"{dongs[n % len(dongs)]} {PLACES[n % 8]} {THINGS[(n // 8) % 8]} 설치 {n}",
             "body": "주민들이 오래 기다렸어요. " * 4, "category": CATEGORIES[n % 5],
             "dong": dongs[n % len(dongs)], "status": "submitted", "support_count": supports_each,
             "hidden": False, "created_at": now - timedelta(seconds=proposals - n),
             "updated_at": now - timedelta(seconds=proposals - n),
             "threshold_reached_at": now if n % 50 == 0 else None}
            for n in ids
        ]  # fmt: skip
        _insert(db, Proposal.__table__, rows)  # type: ignore[attr-defined]
        supports = [
            {"proposal_id": n, "citizen_id": (n * 7 + k) % CITIZENS + 1, "created_at": now}
            for n in ids
            for k in range(supports_each)
        ]
        _insert(db, ProposalSupport.__table__, supports)  # type: ignore[attr-defined]
    for start in range(0, comments, BATCH):
        rows = [
            {"proposal_id": n % proposals + 1, "author_id": n % CITIZENS + 1,
             "body": f"저도 같은 생각이에요 {n}", "hidden": False, "created_at": now}
            for n in range(start, min(start + BATCH, comments))
        ]  # fmt: skip
        _insert(db, ProposalComment.__table__, rows)  # type: ignore[attr-defined]
    sealer = sealer_for_tests()
    sealed = {
        "sealed_applicant_name": sealer.seal_text("김수원"),
        "sealed_phone": sealer.seal_text("010-1111-2222"),
        "sealed_address": sealer.seal_text("101동"),
        "sealed_situation": sealer.seal_text("혼자 지내요"),
    }
    for start in range(0, cases, BATCH):
        rows = [
            {"citizen_id": n % CITIZENS + 1, "for_whom": "me", "services": ["meals"],
             "track": "elderly_alone", "priority": "high", "dong": dongs[n % len(dongs)],
             "contact_time": "any", "status": "received", "created_at": now, "updated_at": now,
             **sealed}
            for n in range(start, min(start + BATCH, cases))
        ]  # fmt: skip
        _insert(db, CareApplication.__table__, rows)  # type: ignore[attr-defined]


def load_year(db: Engine, city: int) -> None:
    """A year of activity beside the city (PostgreSQL): twelve surveys opened over the year,
    a third for an interest; a notice to a tenth of the city, most reached; opt-outs; and a
    tenth of the proposals answered within days of filing."""
    with db.begin() as connection:
        for month in range(12):
            audience = '{"interests": ["welfare"]}' if month % 3 == 0 else '{"gus": ["팔달구"]}'
            connection.execute(
                text(
                    "INSERT INTO poll (title, intro, questions, audience, opens_at, closes_at,"
                    " results_shown, status, version, created_at, updated_at) VALUES"
                    " (:title, '', '[]', CAST(:audience AS json), now() - make_interval("
                    "days => :days), now() - make_interval(days => :days - 14), 'after_close',"
                    " 'closed', 1, now(), now())"
                ),
                {"title": f"{month + 1}월 설문", "audience": audience, "days": 30 * month + 1},
            )
        notice = connection.execute(
            text(
                "INSERT INTO notice (text, topics, audience, urgent, status, created_at,"
                " updated_at, queued_at) VALUES ('<b>단수</b> 안내', '[\"safety\"]', '{}',"
                " false, 'sent', now(), now(), now() - interval '20 days') RETURNING id"
            )
        ).scalar_one()
        connection.execute(
            text(
                "INSERT INTO notice_delivery (notice_id, citizen_id, chat_id, urgent, status,"
                " attempts, not_before, sent_at) SELECT :notice, id, chat_id, false,"
                " CASE WHEN id % 50 = 0 THEN 'blocked' ELSE 'sent' END, 1, now(), now()"
                " FROM citizen WHERE id % 10 = 0"
            ),
            {"notice": notice},
        )
        connection.execute(
            text(
                "INSERT INTO notice_opt_out (kind, topic, created_at) SELECT"
                " CASE WHEN g % 3 = 0 THEN 'off' ELSE 'mute' END,"
                " CASE WHEN g % 3 = 0 THEN NULL ELSE 'safety' END,"
                " now() - make_interval(days => g % 300) FROM generate_series(1, :n) AS g"
            ),
            {"n": city // 100},
        )
        connection.execute(
            text(
                "UPDATE proposal SET answered_at = created_at + make_interval(days => id % 40),"
                " answer = '검토하겠습니다' WHERE id % 10 = 0"
            )
        )
        for name in ("poll", "notice_delivery", "notice_opt_out", "proposal"):
            connection.execute(text(f"ANALYZE {name}"))


def admin(db: Engine) -> str:
    with transaction(db) as session:
        staff, _ = create_staff(session, name="벤치 관리자", role=Role.ADMIN)
        set_password(staff, PASSWORD, temporary=False)
        return staff.login


async def signed_in(client: httpx.AsyncClient, login: str) -> None:
    page = (await client.get("/console/sign-in")).text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token
    form = {"login": login, "password": PASSWORD, "csrf": token.group(1)}
    answer = await client.post("/console/sign-in", data=form)
    assert answer.status_code == 303 and answer.headers["location"] == "/console", answer.text


async def timed(client: httpx.AsyncClient, path: str | list[str], rounds: int) -> list[float]:
    """`rounds` timings of `path`, or of each of a list of paths in turn."""
    seconds = []
    for n in range(rounds):
        started = time.perf_counter()
        answer = await client.get(path if isinstance(path, str) else path[n % len(path)])
        seconds.append(time.perf_counter() - started)
        assert answer.status_code == 200, (path, answer.status_code)
    return seconds


async def measure(
    url: str, login: str, rounds: int, proposals: int, poll_id: int
) -> dict[str, list[float]]:
    today = utcnow()
    now = today.year * 12 + today.month - 1  # months since year 0
    months = [f"{(now - n) // 12}-{(now - n) % 12 + 1:02d}" for n in range(12, -1, -1)]
    # Ranges never asked before, the longest first: each is counted when asked.
    spans = sorted(
        ((a, b) for a in range(len(months)) for b in range(a, len(months))),
        key=lambda pair: pair[0] - pair[1],
    )
    ranges = [f"/console/dashboard?from={months[a]}&to={months[b]}" for a, b in spans]
    pages = {
        "home": "/console",
        "proposals list": "/console/proposals",
        "proposals list, words": "/console/proposals?q=그늘막",
        # Staff type parts of words: a longer one and a short one; two short ones (too short
        # for a trigram, read row by row); words of every proposal's text; a word of none.
        "words, part and part": "/console/proposals?q=정류장 그늘",
        "words, two short parts": "/console/proposals?q=정류 그늘",
        "words, in every text": "/console/proposals?q=오래 기다렸",
        "words, found nowhere": "/console/proposals?q=없는낱말입니다",
        "proposal page": f"/console/proposals/P-{proposals // 2:06d}",
        "care list": "/console/care",
        "survey results": f"/console/surveys/{poll_id}",
        "survey chart": f"/console/surveys/{poll_id}/charts/q1.png",
        "dashboard, as it opens": "/console/dashboard",
    }
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        await signed_in(client, login)
        for path in pages.values():  # the first call warms the look-alike index and caches
            await client.get(path)
        figures = {"baseline: sign-in page": await timed(client, "/console/sign-in", rounds)}
        for name, path in pages.items():
            figures[name] = await timed(client, path, rounds)
        figures["dashboard, a new range"] = await timed(client, ranges[:rounds], rounds)
    return figures


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=500_000)
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--city", type=int, default=1_200_000, help="PostgreSQL only")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = fresh_database(directory)
        db = make_engine(url)
        started = time.perf_counter()
        load(db, options.proposals, options.comments, options.cases)
        poll_id = survey_bench.load(db, options.responses)
        city = options.city if url.startswith("postgresql") else 0
        if city:
            load_city(db, city)
            load_year(db, city)
        login = admin(db)
        print(f"{url.split(':')[0]}: {options.proposals:,} proposals, {options.comments:,} "
              f"comments and as many supports, {options.cases:,} care cases, a survey with "
              f"{options.responses:,} responses, {city + CITIZENS:,} citizens "
              f"(loaded in {time.perf_counter() - started:.0f} s)")  # fmt: skip
        # As in production: the dashboard's default figures counted ahead, kept 5 minutes.
        settings = service_settings(url, api_port=0, dashboard_refresh_seconds=300)
        async with running_service(settings) as service:
            figures = await measure(service, login, options.rounds, options.proposals, poll_id)
        db.dispose()
    base = median(figures["baseline: sign-in page"])
    for name, seconds in figures.items():
        p95 = quantiles(seconds, n=20)[-1]
        print(f"{name:26} p50 {median(seconds) * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms"
              f"  ({median(seconds) / base:5.1f}x baseline)")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
