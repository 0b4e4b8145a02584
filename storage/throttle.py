"""Too many failures in a minute lock a key (an address, an account) for a while.

Kept in the database, so every process of the service counts the same failures. Hand-written:
the rate-limit packages keep their counters in memory or Redis, and these counts belong with
the audit trail they feed.
"""

from datetime import datetime, timedelta

from sqlmodel import Session

from storage.db import aware
from storage.models import Throttle

LIMIT = 5
WINDOW = timedelta(minutes=1)
LOCK = timedelta(minutes=15)


def locked_until(session: Session, *, key: str, now: datetime) -> datetime | None:
    """When the key opens again, if it is locked now."""
    row = session.get(Throttle, key)
    if row is None or row.locked_until is None or aware(row.locked_until) <= now:
        return None
    return aware(row.locked_until)


def failed(session: Session, *, key: str, now: datetime) -> datetime | None:
    """Counts a failure; returns when the key opens again if this one locked it."""
    row = session.get(Throttle, key)
    if row is None:
        row = Throttle(key=key, failures=0, window_started_at=now)
        session.add(row)
    if now - aware(row.window_started_at) > WINDOW:
        row.failures, row.window_started_at = 0, now
    row.failures += 1
    if row.failures >= LIMIT:
        row.locked_until, row.failures, row.window_started_at = now + LOCK, 0, now
        return row.locked_until
    return None


def succeeded(session: Session, *, key: str) -> None:
    row = session.get(Throttle, key)
    if row is not None:
        session.delete(row)
