"""One citizen's turn, taken apart: milliseconds and database round trips per turn, by kind.

The runtime is driven directly (no messenger, no worker hop), as the turn worker drives it:
20 citizens are onboarded, then walk the profile menu again and again (`bench/updates.py`'s
script), once as Telegram turns and once as KakaoTalk skill calls (the call noted, the turn
taken and the answer kept in one transaction; run first). Printed for each: milliseconds per turn
(median of 5 rounds, then min-max), each statement's share, and per turn how many
statements, transactions and commits. The Telegram turn is the baseline of the KakaoTalk
call in the same run. `--profile` adds cProfile's heaviest functions of a Telegram turn.

    python bench/turn.py [--profile]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test python bench/turn.py
"""

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from statistics import median
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, event

from bench.common import fresh_database
from bench.updates import SCRIPT
from conversations.events import Text
from kakao.call import SkillCall
from runtime.recipe import RuntimeRecipe
from runtime.turn import Runtime
from storage.db import make_engine
from storage.models import utcnow
from tests.auxil.service import TEST_DATA_KEY

CITIZENS = 20
ONBOARDING, LOOP = SCRIPT[:7], SCRIPT[7:]
ROUNDS = 5


class Statements:
    """Counts and times this engine's statements by their first words, and its commits."""

    def __init__(self, db: Engine) -> None:
        self.time: Counter[str] = Counter()
        self.count: Counter[str] = Counter()
        self._started = 0.0
        self._kind = ""
        event.listen(db, "before_cursor_execute", self._before)
        event.listen(db, "after_cursor_execute", self._after)
        event.listen(db, "commit", self._commit)

    def _before(self, _c: Any, _cur: Any, statement: str, *_: Any) -> None:
        words = statement.split()
        table = next((w for w in words[1:6] if w.islower() and w.isidentifier()), "")
        self._kind = f"{words[0]} {table}".strip()
        self._started = time.perf_counter()

    def _after(self, *_: Any) -> None:
        self.time[self._kind] += time.perf_counter() - self._started
        self.count[self._kind] += 1

    def _commit(self, _c: Any) -> None:
        self.count["COMMIT"] += 1

    def clear(self) -> None:
        self.time.clear()
        self.count.clear()


def telegram(runtime: Runtime, citizen: int, words: str, update: int) -> None:
    runtime.handle(
        channel="telegram",
        external_id=str(citizen),
        chat_id=str(citizen),
        event=Text(words),
        update_id=update,
    )


def kakao(runtime: Runtime, citizen: int, words: str, update: int) -> None:
    user = f"k{citizen}"
    call = SkillCall(user, words, None, utcnow(), time.monotonic() + 60)
    runtime.handle(
        channel="kakao", external_id=user, chat_id=user, event=Text(words, once=True), around=call
    )


def measure(
    name: str, runtime: Runtime, statements: Statements, take: Callable[..., None]
) -> float:
    """Milliseconds per turn (median of rounds); prints where they go."""
    update = 0
    for citizen in range(CITIZENS):
        for words in ONBOARDING:
            update += 1
            take(runtime, citizen, words, update)
    per_turn, turns = [], 0
    statements.clear()
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for words in LOOP:
            for citizen in range(CITIZENS):
                update += 1
                take(runtime, citizen, words, update)
        per_turn.append((time.perf_counter() - started) * 1000 / (len(LOOP) * CITIZENS))
        turns += len(LOOP) * CITIZENS
    ms = median(per_turn)
    waited = sum(statements.time.values()) * 1000 / turns
    print(f"{name}: {ms:.2f} ms per turn ({min(per_turn):.2f}-{max(per_turn):.2f}), of which")
    print(f"  {waited:.2f} ms in statements ({waited / ms:.0%}); per turn:")
    for kind, seconds in statements.time.most_common():
        count = statements.count[kind] / turns
        print(f"    {count:4.2f} x {kind:<34} {seconds * 1000 / turns:6.3f} ms")
    print(f"    {statements.count['COMMIT'] / turns:4.2f} x COMMIT (transactions per turn)")
    return ms


def profile(runtime: Runtime) -> None:
    """cProfile's heaviest functions (by their own time) over a round of Telegram turns."""
    profiler = cProfile.Profile()
    update = 10_000_000
    profiler.enable()
    for words in LOOP:
        for citizen in range(CITIZENS):
            update += 1
            telegram(runtime, citizen, words, update)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    print("heaviest functions of a Telegram turn (cProfile, own time):")
    print("\n".join(out.getvalue().splitlines()[6:24]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = fresh_database(directory)
        db = make_engine(url, ping=False)  # as the turn worker's
        runtime, _ = RuntimeRecipe(database_url=url, data_keys=(TEST_DATA_KEY,)).build(db)
        runtime.proposals.warm(db)
        statements = Statements(db)
        print(f"database: {url.split(':')[0]}; {CITIZENS} citizens, {ROUNDS} rounds")
        # KakaoTalk first: the Telegram turns' replies stay in the outbox unsent here (no bot
        # sends them), which a KakaoTalk call's look for what waits would wade through.
        call = measure("kakao call", runtime, statements, kakao)
        base = measure("telegram turn", runtime, statements, telegram)
        print(f"kakao call / telegram turn: {call / base:.2f}x the time")
        if args.profile:
            profile(runtime)
        db.dispose()


if __name__ == "__main__":
    main()
