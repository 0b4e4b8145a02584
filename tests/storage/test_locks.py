"""A process's lock is released at its end, even when the database already ended its session."""

import pytest
from sqlalchemy import Engine, text

from storage.locks import ProcessLock


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
    with db.connect() as connection:  # as a database restart would
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks"
                " WHERE locktype = 'advisory' AND pid <> pg_backend_pid()"
            )
        )
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
    with db.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks"
                " WHERE locktype = 'advisory' AND pid <> pg_backend_pid()"
            )
        )
    assert not lock.still_held()
    lock.release()
