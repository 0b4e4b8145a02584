"""Staff accounts. Only a SHA-256 of each API token is stored; the token is shown once."""

import hashlib
import secrets
from enum import StrEnum

from sqlmodel import Session, col, select

from storage.models import Staff


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    CARE_WORKER = "care_worker"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_staff(
    session: Session, *, name: str, role: Role, dongs: list[str] | None = None
) -> tuple[Staff, str]:
    """A new staff member and their API token, which is not kept anywhere."""
    token = "tt_" + secrets.token_urlsafe(32)
    staff = Staff(name=name, role=role.value, token_hash=hash_token(token), dongs=dongs or [])
    session.add(staff)
    session.flush()
    return staff, token


def staff_by_token(session: Session, *, token: str) -> Staff | None:
    return session.exec(
        select(Staff).where(Staff.token_hash == hash_token(token), Staff.active)
    ).first()


def list_staff(session: Session) -> list[Staff]:
    return list(session.exec(select(Staff).order_by(col(Staff.id))).all())
