"""Locks a process holds for as long as it runs, so that only one process does a thing.

Long polling allows one consumer per bot (a second `getUpdates` makes Telegram answer 409
to both): the process that polls holds this lock. On PostgreSQL it is a session advisory
lock on a connection kept open (it ends with the process, even a killed one); on SQLite, an
exclusive `flock` on a file beside the database, likewise released by the kernel.
"""

import fcntl
import zlib
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

# A session-level advisory lock on one bigint key shows in pg_locks as classid (high 32 bits),
# objid (low 32 bits) and objsubid 1; the key here is a CRC-32, so classid is 0.
_HELD = text(
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
    " AND pid = pg_backend_pid() AND classid = 0 AND objid = :key AND objsubid = 1)"
)


class ProcessLock:
    def __init__(self, db: Engine, name: str) -> None:
        self.db = db
        self.name = name
        self._connection: Connection | None = None
        self._file: IO[bytes] | None = None

    def acquire(self) -> bool:
        """Takes the lock if no other process holds it; False if one does."""
        if self.db.dialect.name == "postgresql":
            return self._advisory()
        return self._flock()

    @property
    def _key(self) -> int:
        return zlib.crc32(self.name.encode())

    def _advisory(self) -> bool:
        connection = self.db.connect()
        taken = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key})
        if taken.scalar():
            connection.commit()
            self._connection = connection
            return True
        connection.close()
        return False

    def still_held(self) -> bool:
        """Whether this process holds the lock yet. On PostgreSQL the lock lives as long as
        its session, which the database may end (a restart, an administrator): then another
        process may have taken it. A file lock lasts while the file is open."""
        if self._file is not None:
            return True
        if self._connection is None:
            return False
        try:
            held = self._connection.execute(_HELD, {"key": self._key}).scalar()
            self._connection.commit()
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            # The session, and the lock with it, ended: nothing is left to release.
            connection, self._connection = self._connection, None
            connection.close()
            return False
        return bool(held)

    def _flock(self) -> bool:
        database = self.db.url.database
        if not database or database == ":memory:":
            return True  # a database only this process can see
        handle = Path(f"{database}.{self.name}.lock").open("wb")  # noqa: SIM115  (held while the process runs)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            try:
                # The connection goes back to the pool, its session alive: unlock explicitly.
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
                connection.commit()
            except DBAPIError as error:
                if not error.connection_invalidated:
                    raise
                # The database ended the session (a restart), and the lock with it.
            finally:
                connection.close()
        if self._file is not None:
            self._file.close()
            self._file = None
