"""Notices go out at `send_at`: the recipients are queued then, once, by whichever process
fires first. At start-up every scheduled notice gets a date job from the database, the API
adds jobs as staff schedule notices, and a sweep catches what a stopped process missed.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import Engine

from conversations.districts import Districts
from runtime.due_jobs import DueJobs
from storage import notices
from storage.db import transaction, writer_lock
from storage.models import utcnow

log = logging.getLogger(__name__)
SWEEP_SECONDS = 15


class NoticeSchedule:
    def __init__(
        self,
        db: Engine,
        scheduler: BaseScheduler,
        districts: Districts,
        *,
        weekly_budget: int,
        clock: Callable[[], datetime] = utcnow,
        sweep_seconds: float = SWEEP_SECONDS,
    ) -> None:
        self.db = db
        self.jobs = DueJobs(
            scheduler, name="notice", run=self.queue_due, sweep_seconds=sweep_seconds, clock=clock
        )
        self.dongs_of = districts.dongs_by_gu()
        self.budget = weekly_budget
        self.clock = clock

    def start(self) -> None:
        self.jobs.start(self._coming)

    def _coming(self) -> list[tuple[str, datetime]]:
        with transaction(self.db) as session:
            return [(str(i), when) for i, when in notices.scheduled(session.connection())]

    def plan(self, notice_id: int, send_at: datetime) -> None:
        self.jobs.at(str(notice_id), send_at)

    def audience(self, notice) -> notices.Audience:  # type: ignore[no-untyped-def]
        return notices.Audience(notice.audience, notice.topics, self.dongs_of)

    def queue_due(self) -> list[tuple[int, int]]:
        """Queues the recipients of every notice whose time has come: (notice, rows)."""
        queued = []
        now = self.clock()
        with writer_lock(self.db), transaction(self.db) as session:
            connection = session.connection()
            for notice in notices.due_scheduled(connection, now=now):
                if not notices.move(
                    connection,
                    notice_id=notice.id,
                    before=("scheduled",),
                    after="sending",
                    queued_at=now,
                ):
                    continue
                rows = notices.queue(
                    connection,
                    notice_id=notice.id,
                    audience=self.audience(notice),
                    urgent=notice.urgent,
                    budget=self.budget,
                    now=now,
                )
                queued.append((notice.id, rows))
        for notice_id, rows in queued:
            log.info("notice %d: %d recipients queued", notice_id, rows)
        return queued
