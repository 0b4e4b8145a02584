"""The citizens' proposal lists at 100,000 proposals: "👍 공감 많은 순" (most supported), for all,
one area and one dong, with their indexes and, in the same run, without them (dropped for
those rounds), against the newest-first list as the baseline. A page is what a turn reads
(`storage/proposals.browse`, 5 cards).
Goal: the most-supported list as cheap as the newest-first one, on both databases.

    python bench/browse.py [--proposals 100000] [--rounds 200]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python bench/browse.py
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path
from statistics import median, quantiles

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, text

from bench.common import fresh_database
from bench.console import load
from storage import proposals
from storage.db import make_engine

INDEXES = ("ix_proposal_popular", "ix_proposal_popular_category", "ix_proposal_popular_dong")


def timed(
    db: Engine, order: str, rounds: int, category: str | None = None, dong: str | None = None
) -> list[float]:
    seconds = []
    for n in range(rounds):
        with db.connect() as connection:
            started = time.perf_counter()
            proposals.browse(
                connection, order=order, category=category, dong=dong, page=1 + n % 5, size=5
            )
            seconds.append(time.perf_counter() - started)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = fresh_database(directory)
        db = make_engine(url)
        load(db, options.proposals, 1_000, 10)
        with db.begin() as connection:  # supports spread out, as a real city's are
            connection.execute(text("UPDATE proposal SET support_count = (id * 7919) % 500"))
        rounds = options.rounds
        figures = {
            "baseline: newest first": timed(db, "newest", rounds),
            "most supported": timed(db, "popular", rounds),
            "most supported, one area": timed(db, "popular", rounds, category="welfare"),
            "most supported, one dong": timed(db, "popular", rounds, dong="인계동"),
        }
        with db.begin() as connection:
            for index in INDEXES:
                connection.execute(text(f"DROP INDEX {index}"))
        figures["without the indexes: all"] = timed(db, "popular", rounds)
        figures["without: one area"] = timed(db, "popular", rounds, category="welfare")
        figures["without: one dong"] = timed(db, "popular", rounds, dong="인계동")
        db.dispose()
    base = median(figures["baseline: newest first"])
    print(f"{url.split(':')[0]}: {options.proposals:,} proposals, a page of 5")
    for name, seconds in figures.items():
        p95 = quantiles(seconds, n=20)[-1]
        print(f"  {name:26} p50 {median(seconds) * 1000:7.2f} ms  p95 {p95 * 1000:7.2f} ms"
              f"  ({median(seconds) / base:6.1f}x baseline)")  # fmt: skip


if __name__ == "__main__":
    main()
