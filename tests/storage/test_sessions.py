"""Console sessions end when idle, and at the latest a set time after signing in."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from storage import sessions
from storage.db import transaction
from storage.models import Staff
from storage.staff import Role, set_password
from tests.auxil.factories import make_staff

PASSWORD = "업무용 비밀번호 2026"
IDLE = timedelta(minutes=30)
LIFETIME = timedelta(hours=12)


def signed_in(db: Engine, at: datetime) -> str:
    staff_id, _ = make_staff(db, role=Role.STAFF)
    with transaction(db) as session:
        staff = session.get(Staff, staff_id)
        assert staff is not None
        set_password(staff, PASSWORD, temporary=False)
        login = staff.login
    with transaction(db) as session:
        result = sessions.sign_in(
            session, login=login, password=PASSWORD, address="127.0.0.1", now=at
        )
    assert result.token is not None
    return result.token


def visit(db: Engine, token: str, at: datetime) -> bool:
    with transaction(db) as session:
        found = sessions.current(session, token=token, now=at, idle=IDLE, lifetime=LIFETIME)
    return found is not None


def test_a_busy_session_still_ends_twelve_hours_after_signing_in(db: Engine) -> None:
    start = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    token = signed_in(db, start)
    for minutes in range(20, 12 * 60, 20):  # a click every 20 minutes all day
        assert visit(db, token, start + timedelta(minutes=minutes))
    assert not visit(db, token, start + LIFETIME + timedelta(minutes=1))
    assert not visit(db, token, start + LIFETIME + timedelta(minutes=2))  # gone for good


def test_an_idle_session_ends_within_the_lifetime(db: Engine) -> None:
    start = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    token = signed_in(db, start)
    assert not visit(db, token, start + IDLE + timedelta(minutes=1))
