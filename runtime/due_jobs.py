"""Work that runs when a stored moment comes: a date job per moment, and a sweep.

Surveys and notices keep their own times in the database, so the jobs are planned from there
at start-up, again whenever staff set a time in this process, and at every sweep (which
also catches what a stopped process missed): a scheduler process learns of times set
through another process's API within one sweep. The work itself must be safe to run twice,
or in two processes at once: it only makes conditional updates, so whoever comes second
finds nothing left to do.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy.exc import SQLAlchemyError

from storage.db import aware

log = logging.getLogger(__name__)
# A moment already past runs this long after it is planned, so the request that planned it
# has committed by then.
LEAD = timedelta(seconds=1)


class DueJobs:
    def __init__(
        self,
        scheduler: BaseScheduler,
        *,
        name: str,
        run: Callable[[], object],
        sweep_seconds: float,
        clock: Callable[[], datetime],
    ) -> None:
        self.scheduler = scheduler
        self.name = name
        self.run = run
        self.sweep_seconds = sweep_seconds
        self.clock = clock

    def start(self, coming: Callable[[], Iterable[tuple[str, datetime]]]) -> None:
        """Plans every moment `coming` reads from the database, then catches up at once."""
        self.coming = coming
        self.scheduler.add_job(
            self.sweep,
            "interval",
            seconds=self.sweep_seconds,
            id=f"{self.name}s-sweep",
            replace_existing=True,
            max_instances=1,
            coalesce=True,
        )
        try:
            self.sweep()
        except SQLAlchemyError as error:
            # The service still starts (and /readyz says why); the sweep catches up later.
            log.warning("%s schedule not read yet: %s", self.name, type(error).__name__)

    def sweep(self) -> None:
        """Plans the coming moments read from the database and does what is due now."""
        for key, when in self.coming():
            self.at(key, when)
        self.run()

    def at(self, key: str, when: datetime) -> None:
        """Adds (or moves) the job for one moment; one already past runs almost at once."""
        self.scheduler.add_job(
            self.run,
            "date",
            run_date=max(aware(when), self.clock() + LEAD),
            id=f"{self.name}-{key}",
            replace_existing=True,
            misfire_grace_time=None,
        )
