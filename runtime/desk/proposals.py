"""The desk's proposals: look-alikes, filing, supports, comments, browsing, reports."""

from conversations.desk import (
    ProposalCard,
    ProposalView,
)
from runtime.desk.bound import BoundDesk
from storage import citizens, proposals
from storage.counter import PRIVACY, Filed
from storage.db import AnyRow

PAGE_SIZE = 5
COMMENTS_SHOWN = 3


class ProposalsAtDesk(BoundDesk):
    """Proposals, in the turn's transaction."""

    def similar_proposals(self, text: str) -> list[ProposalCard]:
        return self._cards(
            proposals.cards(self.connection, self.index.search(self.connection, text))
        )

    def submit_proposal(self, *, title: str, body: str, category: str, dong: str | None) -> int:
        made = proposals.submit(
            self.connection,
            author_id=self.citizen_id,
            title=title,
            body=body,
            category=category,
            dong=dong,
        )
        self.filed.append(Filed("proposal", made, PRIVACY))
        return made

    def support_proposal(self, proposal_id: int) -> bool:
        added = proposals.support(
            self.connection,
            proposal_id=proposal_id,
            citizen_id=self.citizen_id,
            threshold=self.rules.answer_threshold,
        )
        if added:
            self.filed.append(Filed("support", proposal_id, PRIVACY))
        return added

    def withdraw_support(self, proposal_id: int) -> bool:
        return proposals.withdraw(
            self.connection, proposal_id=proposal_id, citizen_id=self.citizen_id
        )

    def comment_on_proposal(self, proposal_id: int, body: str) -> bool:
        added = proposals.comment(
            self.connection, proposal_id=proposal_id, author_id=self.citizen_id, body=body
        )
        if added:
            self.filed.append(Filed("comment", proposal_id, PRIVACY))
        return added

    def may_post(self) -> bool:
        return not citizens.blocked(self.connection, citizen_id=self.citizen_id)

    def browse_proposals(
        self, *, order: str, mine: bool, category: str | None, dong: str | None, page: int
    ) -> tuple[list[ProposalCard], bool]:
        rows, more = proposals.browse(
            self.connection,
            order=order,
            author_id=self.citizen_id if mine else None,
            category=category,
            dong=dong,
            page=page,
            size=PAGE_SIZE,
        )
        return self._cards(rows), more

    def view_proposal(self, proposal_id: int) -> ProposalView | None:
        row = proposals.get(self.connection, proposal_id)
        if row is None or row.hidden:
            return None
        comments = proposals.latest_comments(
            self.connection, proposal_id, COMMENTS_SHOWN, visible_only=True
        )
        due = None if row.answer else self.rules.answer_due(row.threshold_reached_at)
        return ProposalView(
            row.id,
            row.title,
            row.body,
            row.status,
            row.support_count,
            row.answer,
            due,
            tuple((c.id, c.body) for c in comments),
            proposals.supports(self.connection, proposal_id=row.id, citizen_id=self.citizen_id),
            proposals.is_muted(self.connection, proposal_id=row.id, citizen_id=self.citizen_id),
            self.day(row.created_at),
            row.category,
            row.dong,
        )

    def report(self, kind: str, item_id: int, reason: str) -> bool:
        return proposals.report(
            self.connection,
            kind=kind,
            item_id=item_id,
            citizen_id=self.citizen_id,
            reason=reason,
            hide_after=self.rules.hide_after_reports,
        )

    def mute_proposal(self, proposal_id: int, muted: bool) -> None:
        proposals.set_muted(
            self.connection, proposal_id=proposal_id, citizen_id=self.citizen_id, muted=muted
        )

    @staticmethod
    def _cards(rows: list[AnyRow]) -> list[ProposalCard]:
        return [ProposalCard(r.id, r.title, r.support_count, r.status) for r in rows]
