"""Log lines: one JSON object per line in production (for the city's log collector), plain
lines in development; every line written during one HTTP request or one citizen's turn
carries its id (`request_id`), whichever thread or process writes it.

Log calls name what happened and the ids of rows, never personal data or secrets; a test
runs a care application and searches every line for what the citizen typed.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from pythonjsonlogger.json import JsonFormatter

from conversations.districts import CITY_ZONE

REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="-")
PLAIN = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
FIELDS = "%(asctime)s %(levelname)s %(name)s %(process)d %(request_id)s %(message)s"
# Libraries whose INFO lines are noise, or worse: httpx logs each request URL, and Bot API
# URLs hold the bot token.
QUIET = ("httpx", "apscheduler", "alembic.runtime.plugins", "uvicorn.access")


@contextmanager
def request_id(value: str) -> Iterator[None]:
    """Every line logged inside (in this thread, and in threads started from it) says `value`."""
    token = REQUEST_ID.set(value)
    try:
        yield
    finally:
        REQUEST_ID.reset(token)


class _WithRequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class _CityTime(logging.Formatter):
    """Times in the city's zone with their offset (2026-12-02T09:15:00.120+09:00), as staff
    read every other time: a log line can be matched with a page or an export at a glance."""

    zone: tzinfo = CITY_ZONE

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, self.zone).isoformat(timespec="milliseconds")


class _JsonLines(_CityTime, JsonFormatter):
    pass


def configure(*, json_lines: bool, zone: str = "Asia/Seoul") -> None:
    """Sets up the process's logging once: the root logger writes to standard error, each
    line's time in `zone` (the city's)."""
    handler = logging.StreamHandler()
    handler.addFilter(_WithRequestId())
    formatter: _CityTime
    if json_lines:
        formatter = _JsonLines(FIELDS, rename_fields={"asctime": "time", "levelname": "level"})
    else:
        formatter = _CityTime(PLAIN)
    formatter.zone = ZoneInfo(zone)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    # uvicorn's own loggers pass their lines up to this handler.
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
