"""Backups of the embedded database, taken while the service runs.

SQLite's online backup API copies a consistent snapshot page by page, so a backup never
catches a turn half-written (copying the file could). PostgreSQL has its own tools
(`pg_dump`, `pg_restore`); here we only read the server's version to say which to use.
The data keys are not in the database: without them the sealed data cannot be read, so they
are backed up separately.
"""

import os
import sqlite3
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.db import make_engine


class BackupError(ValueError):
    """What the operator asked for cannot be done; the message says why."""


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite database URL, or None for any other database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return Path(parsed.database)


def backup_sqlite(source: Path, target: Path) -> int:
    """Copies the live database into `target` (a new file, owner-only); its size in bytes."""
    if not source.exists():
        raise BackupError(f"there is no database at {source}")
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file")
    _new_private_file(target)
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
    return target.stat().st_size


def restore_sqlite(backup: Path, target: Path) -> None:
    """Makes `target` (which must not exist yet) a copy of the backup."""
    if not backup.exists():
        raise BackupError(f"there is no backup at {backup}")
    if target.exists():
        raise BackupError(f"{target} exists; move it away first, so nothing is overwritten")
    with sqlite3.connect(backup) as source:
        tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" not in tables:
            raise BackupError(f"{backup} is not a toktok database")
        _new_private_file(target)
        with sqlite3.connect(target) as copy:
            source.backup(copy)


def postgres_version(url: str) -> str:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SHOW server_version")).scalar())
    finally:
        engine.dispose()


def _new_private_file(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
