"""Staff accounts, their passwords and their API tokens.

Passwords are argon2 hashes (`argon2-cffi`); of a token only its SHA-256 is kept, and the
token itself is shown once. A token expires (90 days unless said otherwise) and can be
revoked; a deactivated person's tokens stop working at once, because every check reads the
account too.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from storage.db import aware
from storage.models import ApiToken, Staff, utcnow

TOKEN_DAYS = 90
_HASHER = PasswordHasher()


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    CARE_WORKER = "care_worker"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_password() -> str:
    """A first password to hand over once; the first sign-in replaces it."""
    return secrets.token_urlsafe(12)


def set_password(staff: Staff, password: str, *, temporary: bool) -> None:
    staff.password_hash = _HASHER.hash(password)
    staff.must_change_password = temporary


def password_matches(staff: Staff, password: str) -> bool:
    if not staff.password_hash:
        return False
    try:
        return _HASHER.verify(staff.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_staff(
    session: Session,
    *,
    name: str,
    role: Role,
    dongs: list[str] | None = None,
    login: str | None = None,
    department: str = "",
) -> tuple[Staff, str]:
    """A new staff member and their first API token, which is not kept anywhere.

    The login defaults to `staff<id>`; a first password is set with `set_password`.
    """
    staff = Staff(
        login=login or f"new-{secrets.token_hex(8)}",
        name=name,
        role=role.value,
        dongs=dongs or [],
        department=department,
    )
    session.add(staff)
    session.flush()
    if login is None:
        staff.login = f"staff{staff.id}"
    assert staff.id is not None
    _, token = issue_token(session, staff_id=staff.id, name="API token")
    return staff, token


def issue_token(
    session: Session, *, staff_id: int, name: str, days: int = TOKEN_DAYS
) -> tuple[ApiToken, str]:
    """A new token for the staff member; the token itself is returned once."""
    token = "tt_" + secrets.token_urlsafe(32)
    now = utcnow()
    row = ApiToken(
        staff_id=staff_id,
        name=name,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(row)
    session.flush()
    return row, token


@dataclass(frozen=True)
class TokenCheck:
    """Who a token belongs to, or why it does not let anybody in."""

    staff: Staff | None
    refused: str | None = None


def staff_by_token(session: Session, *, token: str, now: datetime | None = None) -> TokenCheck:
    """The active staff member whose valid token this is (and notes its use), or a reason."""
    now = now or utcnow()
    found = session.exec(
        select(ApiToken, Staff)
        .join(Staff, col(Staff.id) == col(ApiToken.staff_id))
        .where(ApiToken.token_hash == hash_token(token))
    ).first()
    if found is None:
        return TokenCheck(None, "unknown token")
    row, staff = found
    if row.revoked_at is not None:
        return TokenCheck(None, "the token was revoked")
    if aware(row.expires_at) <= now:
        return TokenCheck(None, "the token has expired")
    if not staff.active:
        return TokenCheck(None, "the account is deactivated")
    row.last_used_at = now
    return TokenCheck(staff)


def tokens_of(session: Session, *, staff_id: int | None = None) -> list[tuple[ApiToken, Staff]]:
    """Tokens (newest first) with their owners; everybody's when `staff_id` is None."""
    query = select(ApiToken, Staff).join(Staff, col(Staff.id) == col(ApiToken.staff_id))
    if staff_id is not None:
        query = query.where(ApiToken.staff_id == staff_id)
    return [
        (token, staff) for token, staff in session.exec(query.order_by(col(ApiToken.id).desc()))
    ]


def token_with_owner(session: Session, token_id: int) -> tuple[ApiToken, Staff] | None:
    row = session.get(ApiToken, token_id)
    owner = session.get(Staff, row.staff_id) if row is not None else None
    return (row, owner) if row is not None and owner is not None else None


def revoke_token(session: Session, *, token_id: int) -> ApiToken | None:
    row = session.get(ApiToken, token_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def list_staff(session: Session) -> list[Staff]:
    return list(session.exec(select(Staff).order_by(col(Staff.id))).all())


def by_login(session: Session, login: str) -> Staff | None:
    return session.exec(select(Staff).where(Staff.login == login)).first()


def care_workers_for(session: Session, dong: str) -> list[Staff]:
    """Active care workers who cover `dong`, by name: whom a case there can be assigned to."""
    workers = session.exec(
        select(Staff).where(Staff.role == Role.CARE_WORKER.value, col(Staff.active).is_(True))
    ).all()
    return sorted((w for w in workers if dong in w.dongs), key=lambda w: w.name)


def change_password(staff: Staff, *, current: str, new: str) -> str | None:
    """Replaces the person's password; or says why not (the reason is shown to them)."""
    if not password_matches(staff, current):
        return "wrong_current"
    if len(new) < 10:
        return "too_short"
    if new == current or new.lower() == staff.login.lower():
        return "same"
    set_password(staff, new, temporary=False)
    return None
