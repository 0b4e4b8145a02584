"""Too many failures within a window lock a key (an account, an address and account, an
address) for a while; each kind of key has its own rule.

Kept in the database, so every process of the service counts the same failures. Hand-written:
the rate-limit packages keep their counters in memory or Redis, and these counts belong with
the audit trail they feed.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from storage.db import aware
from storage.models import Throttle


@dataclass(frozen=True)
class Rule:
    """`limit` failures within `window` lock the key for `lock`."""

    limit: int = 5
    window: timedelta = timedelta(minutes=1)
    lock: timedelta = timedelta(minutes=15)


DEFAULT = Rule()


def locked_until(session: Session, *, key: str, now: datetime) -> datetime | None:
    """When the key opens again, if it is locked now."""
    row = session.get(Throttle, key)
    if row is None or row.locked_until is None or aware(row.locked_until) <= now:
        return None
    return aware(row.locked_until)


def failed(session: Session, *, key: str, now: datetime, rule: Rule = DEFAULT) -> datetime | None:
    """Counts a failure; returns when the key opens again if this one locked it."""
    row = session.get(Throttle, key)
    if row is None:
        row = Throttle(key=key, failures=0, window_started_at=now)
        session.add(row)
    if now - aware(row.window_started_at) > rule.window:
        row.failures, row.window_started_at = 0, now
    row.failures += 1
    if row.failures >= rule.limit:
        row.locked_until, row.failures, row.window_started_at = now + rule.lock, 0, now
        return row.locked_until
    return None


def succeeded(session: Session, *, key: str) -> None:
    row = session.get(Throttle, key)
    if row is not None:
        session.delete(row)
