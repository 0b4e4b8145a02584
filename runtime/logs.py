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

from pythonjsonlogger.json import JsonFormatter

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


def configure(*, json_lines: bool) -> None:
    """Sets up the process's logging once: the root logger writes to standard error."""
    handler = logging.StreamHandler()
    handler.addFilter(_WithRequestId())
    if json_lines:
        handler.setFormatter(
            JsonFormatter(FIELDS, rename_fields={"asctime": "time", "levelname": "level"})
        )
    else:
        handler.setFormatter(logging.Formatter(PLAIN))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    # uvicorn's own loggers pass their lines up to this handler.
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
