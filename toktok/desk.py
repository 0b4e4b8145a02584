"""The desk a turn's flows use: proposals, in the turn's own transaction."""

import threading
from datetime import datetime

from sqlalchemy import Connection

from conversations.desk import ProposalCard
from conversations.similar import SimilarIndex
from storage import proposals


class ProposalIndex:
    """This process's similar-proposal index, caught up with the database before each search.

    Other processes file proposals too, so each search first reads what changed since the
    last one (an indexed range on `updated_at`), then scans the in-memory keys.
    """

    def __init__(self) -> None:
        self.index = SimilarIndex()
        self._synced: datetime | None = None
        self._lock = threading.Lock()

    def search(self, connection: Connection, text: str) -> list[int]:
        with self._lock:
            for row in proposals.changed_since(connection, self._synced):
                if row.hidden:
                    self.index.remove(row.id)
                else:
                    self.index.add(row.id, row.title)
                if self._synced is None or row.updated_at > self._synced:
                    self._synced = row.updated_at
            return self.index.search(text)


class StorageDesk:
    def __init__(self, connection: Connection, citizen_id: int, index: ProposalIndex) -> None:
        self.connection = connection
        self.citizen_id = citizen_id
        self.index = index

    def similar_proposals(self, text: str) -> list[ProposalCard]:
        ids = self.index.search(self.connection, text)
        return [
            ProposalCard(row.id, row.title, row.support_count, row.status)
            for row in proposals.cards(self.connection, ids)
        ]

    def submit_proposal(self, *, title: str, body: str, category: str, dong: str | None) -> int:
        return proposals.submit(
            self.connection,
            author_id=self.citizen_id,
            title=title,
            body=body,
            category=category,
            dong=dong,
        )

    def support_proposal(self, proposal_id: int) -> bool:
        return proposals.support(
            self.connection, proposal_id=proposal_id, citizen_id=self.citizen_id
        )

    def comment_on_proposal(self, proposal_id: int, body: str) -> bool:
        return proposals.comment(
            self.connection, proposal_id=proposal_id, author_id=self.citizen_id, body=body
        )
