"""Surveys open and close on time, from what the database holds, once across processes."""

import threading
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine

from runtime.poll_schedule import PollSchedule
from storage import polls
from storage.db import make_engine
from storage.models import utcnow

START = datetime(2026, 12, 1, 9, 0, tzinfo=utcnow().tzinfo)


def make_poll(
    db: Engine, *, status: str = "scheduled", opens_in: int = 60, lasts: int = 3600
) -> int:
    with db.begin() as connection:
        poll_id = polls.create(
            connection,
            created_by=None,
            title="설문",
            questions=[{"kind": "yes_no", "text": "찬성?"}],
            audience={},
            opens_at=START + timedelta(seconds=opens_in),
            closes_at=START + timedelta(seconds=opens_in + lasts),
        )
        polls.move(connection, poll_id=poll_id, before=("draft",), after=status)
    return poll_id


def status_of(db: Engine, poll_id: int) -> str:
    with db.connect() as connection:
        return polls.get(connection, poll_id).status  # type: ignore[union-attr]


def test_start_plans_every_coming_move_found_in_the_database(db: Engine) -> None:
    scheduled = make_poll(db)
    running = make_poll(db, status="open", opens_in=-60)
    make_poll(db, status="draft")
    scheduler = BackgroundScheduler()
    PollSchedule(db, scheduler, clock=lambda: START).start()
    jobs = {
        job.id: job.trigger.run_date for job in scheduler.get_jobs() if job.id != "polls-sweep"
    }
    assert jobs == {
        f"poll-{scheduled}-open": START + timedelta(seconds=60),
        f"poll-{scheduled}-close": START + timedelta(seconds=3660),
        f"poll-{running}-close": START + timedelta(seconds=3540),
    }


def test_moves_happen_when_due_and_not_before(db: Engine) -> None:
    poll_id = make_poll(db)
    now = [START]
    schedule = PollSchedule(db, BackgroundScheduler(), clock=lambda: now[0])
    assert schedule.apply_due() == [] and status_of(db, poll_id) == "scheduled"
    now[0] = START + timedelta(seconds=60)
    assert schedule.apply_due() == [(poll_id, "open")] and status_of(db, poll_id) == "open"
    now[0] = START + timedelta(seconds=3660)
    assert schedule.apply_due() == [(poll_id, "close")] and status_of(db, poll_id) == "closed"


def test_a_poll_missed_entirely_while_stopped_is_closed_not_opened(db: Engine) -> None:
    poll_id = make_poll(db)
    schedule = PollSchedule(db, BackgroundScheduler(), clock=lambda: START + timedelta(days=1))
    assert schedule.apply_due() == [(poll_id, "close")]


def test_two_processes_firing_the_same_job_move_each_poll_once(db: Engine, db_url: str) -> None:
    poll_ids = [make_poll(db) for _ in range(20)]
    later = START + timedelta(seconds=61)
    other_process = make_engine(db_url)
    schedules = [
        PollSchedule(engine, BackgroundScheduler(), clock=lambda: later)
        for engine in (db, other_process)
    ]
    made: list[list[tuple[int, str]]] = [[], []]
    barrier = threading.Barrier(2)

    def fire(n: int) -> None:
        barrier.wait()
        made[n] = schedules[n].apply_due()

    threads = [threading.Thread(target=fire, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    other_process.dispose()
    assert sorted(made[0] + made[1]) == sorted((i, "open") for i in poll_ids)
