"""This process's look-alike index, caught up with the database before each search."""

import logging
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from conversations.similar import SimilarIndex
from storage import proposals
from storage.db import AnyRow

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
        self._touched: set[int] | None = None  # read inside `tentative`
        self._doubtful: set[int] = set()  # read by a transaction that then failed

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

    @contextmanager
    def tentative(self) -> Iterator[None]:
        """Searches inside a transaction that may yet fail: they read its own proposals,
        not committed. If it fails, the index takes back what it read meanwhile: the next
        search reads again from where this began, and what was read meanwhile as it is then
        (it may be gone, or as it was before)."""
        with self._lock:
            before, self._touched = self._synced, set()
        try:
            yield
        except BaseException:
            with self._lock:
                self._synced = before
                self._doubtful |= self._touched or set()
            raise
        finally:
            self._touched = None

    def search(self, connection: Connection, text: str, *, limit: int = 3) -> list[int]:
        with self._lock:
            if self._doubtful:
                rows = proposals.indexed(connection, self._doubtful)
                for proposal_id in self._doubtful:
                    self.index.remove(proposal_id)
                self._note(self._doubtful)
                self._doubtful = set()
                self._apply(rows)
            self._apply(proposals.changed_since(connection, self._synced), catching_up=True)
            return self.index.search(text, limit=limit) if limit else []

    def _apply(self, rows: list[AnyRow], *, catching_up: bool = False) -> None:
        for row in rows:
            if row.hidden:
                self.index.remove(row.id)
            else:
                self.index.add(row.id, row.title)
            if catching_up:
                self._synced = (row.updated_at, row.id)  # read in this order
        self._note(row.id for row in rows)

    def _note(self, ids: Iterable[int]) -> None:
        if self._touched is not None:
            self._touched.update(ids)
