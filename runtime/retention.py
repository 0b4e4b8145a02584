"""Scheduled forgetting: old care cases lose their personal data; the access log is pruned.

Runs daily from the scheduler. Every step is a plain conditional update or delete, so two
processes running it at once do the same work once and nothing more.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine

from storage import care
from storage.db import transaction, writer_lock
from storage.models import utcnow

log = logging.getLogger(__name__)


class CareRetention:
    def __init__(
        self,
        db: Engine,
        *,
        keep_days: int,
        access_log_days: int,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.keep = timedelta(days=keep_days)
        self.access_log = timedelta(days=access_log_days)
        self.clock = clock

    def run(self) -> tuple[int, int]:
        """(cases anonymised, access-log rows pruned)."""
        now = self.clock()
        with writer_lock(self.db), transaction(self.db) as session:
            connection = session.connection()
            anonymised = care.anonymise_closed(connection, closed_before=now - self.keep)
            pruned = care.prune_access_log(connection, before=now - self.access_log)
        if anonymised or pruned:
            log.info("care retention: %d cases anonymised, %d log rows pruned", anonymised, pruned)
        return anonymised, pruned
