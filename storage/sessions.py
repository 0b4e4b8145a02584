"""Console sessions: signing in (throttled per account and per address), staying signed in
while active, signing out. The cookie holds a random token; only its SHA-256 is stored."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete

from storage import audit, throttle
from storage.db import aware
from storage.models import Staff, StaffSession
from storage.staff import by_login, hash_token, password_matches


@dataclass(frozen=True)
class SignIn:
    """A new session's cookie token and its staff member, or why there is none."""

    token: str | None = None
    staff: Staff | None = None
    refused: str | None = None  # "wrong" | "locked"
    retry_at: datetime | None = None


# Locks that stop guessing without locking colleagues out: one person's typos lock their own
# account from their own address; guessing one account from many addresses locks the account;
# only a flood far beyond anyone's mistakes locks an address (a city hall shares one).
SIGN_IN_RULES = {
    "pair": throttle.Rule(limit=5, window=timedelta(minutes=1)),
    "account": throttle.Rule(limit=10, window=timedelta(minutes=10)),
    "address": throttle.Rule(limit=50, window=timedelta(minutes=10)),
}


def sign_in(session: Session, *, login: str, password: str, address: str, now: datetime) -> SignIn:
    """Checks the password under `SIGN_IN_RULES`, each lock lasting 15 minutes. Every sign-in,
    failure and lock goes to the audit log."""
    name = login.lower()
    keys = {
        "pair": f"pair:{address}|{name}",
        "account": f"account:{name}",
        "address": f"address:{address}",
    }
    locked = [
        until
        for key in keys.values()
        if (until := throttle.locked_until(session, key=key, now=now))
    ]
    if locked:
        return SignIn(refused="locked", retry_at=max(locked))
    staff = by_login(session, name)
    if staff is None or not staff.active or not password_matches(staff, password):
        lock = [
            until
            for kind, key in keys.items()
            if (until := throttle.failed(session, key=key, now=now, rule=SIGN_IN_RULES[kind]))
        ]
        target = f"staff:{staff.id}" if staff else "staff:unknown"
        audit.record(session, staff_id=None, action="sign_in.failed", target=target)
        if lock:
            audit.record(session, staff_id=None, action="sign_in.locked", target=target)
            return SignIn(refused="locked", retry_at=max(lock))
        return SignIn(refused="wrong")
    for key in (keys["pair"], keys["account"]):
        throttle.succeeded(session, key=key)
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            id=hash_token(token),
            staff_id=staff.id,  # type: ignore[arg-type]
            csrf=secrets.token_urlsafe(32),
            created_at=now,
            last_seen_at=now,
        )
    )
    audit.record(session, staff_id=staff.id, action="sign_in", target=f"staff:{staff.id}")
    return SignIn(token=token, staff=staff)


def current(
    session: Session, *, token: str, now: datetime, idle: timedelta, lifetime: timedelta
) -> tuple[Staff, StaffSession] | None:
    """The staff member of a live session, which this visit keeps alive; None when it has
    ended (signed out, idle too long, older than `lifetime` however busy — OWASP ASVS asks
    to sign in again at least every 12 hours — or the person deactivated)."""
    row = session.get(StaffSession, hash_token(token))
    if row is None:
        return None
    staff = session.get(Staff, row.staff_id)
    too_old = now - aware(row.created_at) > lifetime
    if staff is None or not staff.active or now - aware(row.last_seen_at) > idle or too_old:
        session.delete(row)
        return None
    row.last_seen_at = now
    return staff, row


def sign_out(session: Session, *, token: str) -> None:
    row = session.get(StaffSession, hash_token(token))
    if row is not None:
        session.delete(row)


def end_all(session: Session, *, staff_id: int) -> None:
    """Ends every session of a person (deactivated, or a password reset)."""
    session.execute(delete(StaffSession).where(col(StaffSession.staff_id) == staff_id))
