"""A process's lock is released at its end, even when the database already ended its session."""

import pytest
from sqlalchemy import Engine

from storage.locks import ProcessLock
from tests.auxil.sessions import end_lock_sessions


def test_a_held_lock_is_refused_to_another_and_free_once_released(db: Engine) -> None:
    first, second = ProcessLock(db, "polling"), ProcessLock(db, "polling")
    assert first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_a_lock_whose_session_the_database_ended_is_released_without_an_error(
    db: Engine,
) -> None:
    if db.dialect.name != "postgresql":
        pytest.skip("only a database server ends its clients' sessions")
    lock = ProcessLock(db, "polling")
    assert lock.acquire()
    end_lock_sessions(db)  # as a database restart would
    lock.release()
    assert ProcessLock(db, "polling").acquire()


def test_a_lock_knows_it_is_held_until_released(db: Engine) -> None:
    lock = ProcessLock(db, "polling")
    assert not lock.still_held()
    assert lock.acquire()
    assert lock.still_held()
    lock.release()
    assert not lock.still_held()


def test_a_lock_whose_session_the_database_ended_is_no_longer_held(db: Engine) -> None:
    if db.dialect.name != "postgresql":
        pytest.skip("only a database server ends its clients' sessions")
    lock = ProcessLock(db, "polling")
    assert lock.acquire()
    end_lock_sessions(db)
    assert not lock.still_held()
    lock.release()
