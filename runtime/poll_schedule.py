"""Opening and closing surveys on time, from the database, in any number of processes.

At start-up every coming opening and closing is read from the database and given an
APScheduler date job, and the API adds jobs as staff schedule surveys; a sweep every
`SWEEP_SECONDS` catches what a stopped process missed. Each job only applies the moves that
are due, as conditional updates, so when several processes fire the same job one of them
moves the survey and the others find nothing left to do.
"""

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import Engine

from runtime.due_jobs import DueJobs
from storage import polls
from storage.db import transaction, writer_lock
from storage.models import utcnow

log = logging.getLogger(__name__)
SWEEP_SECONDS = 30
MOVES = {"open": (("scheduled",), "open"), "close": (("scheduled", "open"), "closed")}


class PollSchedule:
    def __init__(
        self,
        db: Engine,
        scheduler: BaseScheduler,
        *,
        clock: Callable[[], datetime] = utcnow,
        sweep_seconds: float = SWEEP_SECONDS,
    ) -> None:
        self.db = db
        self.clock = clock
        self.jobs = DueJobs(
            scheduler, name="poll", run=self.apply_due, sweep_seconds=sweep_seconds, clock=clock
        )

    def start(self) -> None:
        """Plans every coming move found in the database, and the sweep."""
        self.jobs.start(self._coming)

    def _coming(self) -> list[tuple[str, datetime]]:
        with transaction(self.db) as session:
            moves = polls.upcoming(session.connection())
        return [(f"{poll_id}-{move}", when) for poll_id, move, when in moves]

    def plan(self, poll_id: int, moves: Sequence[tuple[str, datetime]]) -> None:
        """Adds (or moves) the date jobs for one survey's coming opening and closing."""
        for move, when in moves:
            self.jobs.at(f"{poll_id}-{move}", when)

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
