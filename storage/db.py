"""Database engines from a URL: SQLite (the embedded default) or PostgreSQL.

SQLite runs in WAL mode and takes its write lock at BEGIN, so two processes on one file wait
for each other instead of failing half-way through a turn.
"""

import os
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeAlias

from sqlalchemy import Connection, Engine, Insert, Row, Table, event, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, create_engine

# A result row of any width (SQLAlchemy types rows by their columns; queries here are built
# at run time, so their width is not known to the checker).
AnyRow: TypeAlias = Row[*tuple[Any, ...]]

SQLITE_BUSY_TIMEOUT_MS = 10_000
_WRITER_LOCKS: "weakref.WeakKeyDictionary[Engine, threading.Lock]" = weakref.WeakKeyDictionary()


def make_engine(url: str, *, ping: bool = True) -> Engine:
    """An engine for `url`. On PostgreSQL it tests each connection it hands out (a round trip)
    unless `ping` is off: for a process whose every transaction is retried when its
    connection turns out lost (the turn workers), the first try finds that out instead."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=ping, pool_size=10, max_overflow=10)
    if parsed.database and parsed.database != ":memory:":
        _private_file(Path(parsed.database))
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_begin_immediate)
    return engine


def _private_file(path: Path) -> None:
    """Creates the database file (and its folder) readable by the owner only.

    SQLite gives its -wal and -shm files the database file's permissions, so they follow.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def _sqlite_on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.isolation_level = None  # let the "begin" hook issue BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin_immediate(connection) -> None:  # type: ignore[no-untyped-def]
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def insert_unless_present(connection: Connection, table: Table) -> Insert:
    """An INSERT that skips rows clashing with a unique key, on SQLite and PostgreSQL alike."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def update_if_status(
    connection: Connection, table: Table, row_id: int, statuses: Sequence[str], **values: Any
) -> bool:
    """Updates the row only while its status is one of `statuses`; True if it did.

    The status check and the write are one statement, so when two processes (or a double tap)
    try the same move, exactly one of them makes it.
    """
    changed = connection.execute(
        update(table).where(table.c.id == row_id, table.c.status.in_(statuses)).values(**values)
    )
    return changed.rowcount == 1


def aware(value: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; every one we store is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def writer_lock(engine: Engine) -> AbstractContextManager[object]:
    """Serialises this process's SQLite writers.

    SQLite has one writer at a time; threads that collide fall into its busy handler, which
    sleeps in growing steps. Queueing them on a lock instead keeps turns back to back. Other
    processes still wait through the busy timeout; PostgreSQL needs no such lock.
    """
    if not is_sqlite(engine):
        return nullcontext()
    return _WRITER_LOCKS.setdefault(engine, threading.Lock())


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: committed on success, rolled back on any error."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


def table_of(model: type[SQLModel]) -> Table:
    """A table model's Core table, typed (SQLModel leaves `__table__` untyped)."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table
