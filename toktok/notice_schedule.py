"""Notices go out at `send_at`: the recipients are queued then, once, by whichever process
fires first. At start-up every scheduled notice gets a date job from the database, the API
adds jobs as staff schedule notices, and a sweep catches what a stopped process missed.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from conversations.districts import Districts
from storage import notices
from storage.db import aware, transaction, writer_lock
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
    ) -> None:
        self.db = db
        self.scheduler = scheduler
        self.dongs_of = {gu: districts.dongs_in(gu) for gu in districts.gus}
        self.budget = weekly_budget
        self.clock = clock

    def start(self) -> None:
        self.scheduler.add_job(
            self.queue_due,
            "interval",
            seconds=SWEEP_SECONDS,
            id="notices-sweep",
            replace_existing=True,
            max_instances=1,
            coalesce=True,
        )
        try:
            with transaction(self.db) as session:
                coming = notices.scheduled(session.connection())
            for notice_id, send_at in coming:
                self.plan(notice_id, aware(send_at))
        except SQLAlchemyError as error:
            log.warning("notice schedule not read yet: %s", type(error).__name__)

    def plan(self, notice_id: int, send_at: datetime) -> None:
        self.scheduler.add_job(
            self.queue_due,
            "date",
            run_date=max(send_at, self.clock() + timedelta(milliseconds=200)),
            id=f"notice-{notice_id}",
            replace_existing=True,
            misfire_grace_time=None,
        )

    def matching(self, notice) -> object:  # type: ignore[no-untyped-def]
        return notices.audience_filter(notice.audience, notice.topics, self.dongs_of)

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
                    matching=self.matching(notice),
                    urgent=notice.urgent,
                    budget=self.budget,
                    now=now,
                )
                queued.append((notice.id, rows))
        for notice_id, rows in queued:
            log.info("notice %d: %d recipients queued", notice_id, rows)
        return queued
