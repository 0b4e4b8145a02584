"""The embedded database is private to the service's user: file, journal and folder."""

import stat
from pathlib import Path

from sqlalchemy import text

from storage.db import make_engine


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_database_and_its_journal_are_readable_by_the_owner_only(
    tmp_path: Path,
) -> None:
    database = tmp_path / "var" / "toktok.db"
    engine = make_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))
        journal = [Path(f"{database}-wal"), Path(f"{database}-shm")]
        assert all(path.exists() for path in journal)
        assert [mode(path) for path in journal] == [0o600, 0o600]
    engine.dispose()
    assert mode(database) == 0o600
    assert mode(database.parent) == 0o700
