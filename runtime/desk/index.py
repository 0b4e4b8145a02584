"""This process's look-alike index, caught up with the database before each search."""

import logging
import threading
import time
from datetime import datetime

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from conversations.similar import SimilarIndex
from storage import proposals

log = logging.getLogger(__name__)


class ProposalIndex:
    """This process's similar-proposal index, caught up with the database before each search.

    Other processes file proposals too, so each search first reads what was written after
    the last proposal it read (an indexed range on `updated_at`, the id breaking ties), then
    scans the in-memory keys; a search that finds nothing new changes nothing.
    """

    def __init__(self) -> None:
        self.index = SimilarIndex()
        self._synced: tuple[datetime, int] | None = None
        self._lock = threading.Lock()

    def warm(self, db: Engine) -> float:
        """Reads every proposal now, at a process's start, so that no citizen's turn pays
        for it; seconds it took. A database that does not answer leaves it to the first
        search."""
        started = time.perf_counter()
        try:
            with db.connect() as connection:
                self.search(connection, "", limit=0)
        except SQLAlchemyError as error:
            log.warning("look-alike index not warmed: %s", type(error).__name__)
        return time.perf_counter() - started

    def search(self, connection: Connection, text: str, *, limit: int = 3) -> list[int]:
        with self._lock:
            for row in proposals.changed_since(connection, self._synced):
                if row.hidden:
                    self.index.remove(row.id)
                else:
                    self.index.add(row.id, row.title)
                self._synced = (row.updated_at, row.id)  # read in this order
            return self.index.search(text, limit=limit) if limit else []
