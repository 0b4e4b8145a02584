"""Prometheus metrics for operators; keep it off the public internet (see the README).

The process's counters (`runtime/metrics.py`; every worker's, in multiprocess mode), then
the queue figures read from the database now, and this process's database connections.
"""

import os
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from api.deps import get_db
from storage.db import transaction
from storage.models import utcnow
from storage.operations import figures

router = APIRouter(tags=["health"])
GAUGES = {
    "outbox_unsent": "Replies not yet sent (Telegram down, or sending behind).",
    "outbox_oldest_seconds": "Age of the oldest unsent reply.",
    "notices_queued": "Notice messages waiting to be sent.",
    "notices_sent_last_minute": "Notice messages sent in the last minute (the send rate).",
    "notices_failed": "Notice messages that failed for good.",
    "notices_sending": "Notices going out now.",
    "surveys_open": "Surveys open now.",
}


class DatabaseFigures(Collector):
    def __init__(self, db: Engine) -> None:
        self.db = db

    def collect(self) -> Iterator[GaugeMetricFamily]:
        pool = self.db.pool
        if hasattr(pool, "checkedout"):
            yield GaugeMetricFamily(
                "toktok_db_connections_in_use",
                "Database connections this process holds now (its pool's size bounds it).",
                value=pool.checkedout(),
            )
        try:
            with transaction(self.db) as session:
                now = figures(session.connection(), now=utcnow())
        except SQLAlchemyError:
            yield GaugeMetricFamily("toktok_database_up", "The database answers.", value=0)
            return
        yield GaugeMetricFamily("toktok_database_up", "The database answers.", value=1)
        for name, help_text in GAUGES.items():
            yield GaugeMetricFamily(f"toktok_{name}", help_text, value=getattr(now, name))


@router.get("/metrics", response_class=Response)
def metrics(db: Annotated[Engine, Depends(get_db)]) -> Response:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    now = CollectorRegistry()
    now.register(DatabaseFigures(db))
    return Response(
        generate_latest(counted) + generate_latest(now), media_type=CONTENT_TYPE_LATEST
    )
