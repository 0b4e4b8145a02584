"""Opening and closing surveys on time, from the database, in any number of processes.

At start-up every coming opening and closing is read from the database and given an
APScheduler date job, and the API adds jobs as staff schedule surveys; a sweep every
`SWEEP_SECONDS` catches what a stopped process missed. Each job only applies the moves that
are due, as conditional updates, so when several processes fire the same job one of them
moves the survey and the others find nothing left to do.
"""

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from storage import polls
from storage.db import aware, transaction, writer_lock
from storage.models import utcnow

log = logging.getLogger(__name__)
SWEEP_SECONDS = 30
MOVES = {"open": (("scheduled",), "open"), "close": (("scheduled", "open"), "closed")}


class PollSchedule:
    def __init__(
        self, db: Engine, scheduler: BaseScheduler, *, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.db = db
        self.scheduler = scheduler
        self.clock = clock

    def start(self) -> None:
        """Plans every coming move found in the database, and the sweep."""
        self.scheduler.add_job(
            self.apply_due,
            "interval",
            seconds=SWEEP_SECONDS,
            id="polls-sweep",
            replace_existing=True,
            max_instances=1,
            coalesce=True,
        )
        try:
            with transaction(self.db) as session:
                coming = polls.upcoming(session.connection())
            for poll_id, move, when in coming:
                self.plan(poll_id, [(move, aware(when))])
            self.apply_due()
        except SQLAlchemyError as error:
            # The service still starts (and /readyz says why); the sweep catches up later.
            log.warning("survey schedule not read yet: %s", type(error).__name__)

    def plan(self, poll_id: int, moves: Sequence[tuple[str, datetime]]) -> None:
        """Adds (or moves) the date jobs for one survey's coming opening and closing."""
        now = self.clock()
        for move, when in moves:
            self.scheduler.add_job(
                self.apply_due,
                "date",
                run_date=max(when, now + timedelta(seconds=1)),
                id=f"poll-{poll_id}-{move}",
                replace_existing=True,
                misfire_grace_time=None,
            )

    def apply_due(self) -> list[tuple[int, str]]:
        """Opens and closes what is due; returns the moves this process made."""
        made = []
        with writer_lock(self.db), transaction(self.db) as session:
            connection = session.connection()
            for poll_id, move in polls.due(connection, now=self.clock()):
                before, after = MOVES[move]
                if polls.move(connection, poll_id=poll_id, before=before, after=after):
                    made.append((poll_id, move))
        for poll_id, move in made:
            log.info("poll %d: %s", poll_id, move)
        return made
