"""Ending database sessions from outside, as a PostgreSQL restart would."""

from sqlalchemy import Engine, text


def end_lock_sessions(db: Engine) -> None:
    """Ends every other session that holds an advisory lock (a process's lock with it), and
    waits until they are gone: a session ends a moment after it is told to, and its locks
    with it."""
    with db.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid, :wait_ms) FROM pg_locks"
                " WHERE locktype = 'advisory' AND pid <> pg_backend_pid()"
            ),
            {"wait_ms": 30_000},
        )
