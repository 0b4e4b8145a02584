"""An in-memory desk for engine tests: the same contract as the storage-backed one."""

from dataclasses import dataclass, field

from conversations.desk import ProposalCard, ProposalView
from conversations.similar import SimilarIndex

PAGE_SIZE = 5


@dataclass
class MemoryDesk:
    titles: dict[int, str] = field(default_factory=dict)
    supporters: dict[int, set[str]] = field(default_factory=dict)
    comments: dict[int, list[str]] = field(default_factory=dict)
    filed: dict[int, dict[str, str | None]] = field(default_factory=dict)
    reports: set[tuple[str, int]] = field(default_factory=set)
    muted: set[int] = field(default_factory=set)
    citizen: str = "me"
    index: SimilarIndex = field(default_factory=SimilarIndex)

    def seed(self, title: str, supports: int = 0) -> int:
        proposal_id = len(self.titles) + 1
        self.titles[proposal_id] = title
        self.supporters[proposal_id] = {f"other{i}" for i in range(supports)}
        self.index.add(proposal_id, title)
        return proposal_id

    def similar_proposals(self, text: str) -> list[ProposalCard]:
        return [
            ProposalCard(i, self.titles[i], len(self.supporters[i]), "submitted")
            for i in self.index.search(text)
        ]

    def submit_proposal(self, *, title: str, body: str, category: str, dong: str | None) -> int:
        proposal_id = self.seed(title)
        self.filed[proposal_id] = {
            "title": title,
            "body": body,
            "category": category,
            "dong": dong,
        }
        return proposal_id

    def support_proposal(self, proposal_id: int) -> bool:
        if proposal_id not in self.titles or self.citizen in self.supporters[proposal_id]:
            return False
        self.supporters[proposal_id].add(self.citizen)
        return True

    def comment_on_proposal(self, proposal_id: int, body: str) -> bool:
        if proposal_id not in self.titles:
            return False
        self.comments.setdefault(proposal_id, []).append(body)
        return True

    def browse_proposals(
        self, *, order: str, mine: bool, category: str | None, dong: str | None, page: int
    ) -> tuple[list[ProposalCard], bool]:
        ids = sorted(self.titles, reverse=True)
        if mine:
            ids = [i for i in ids if i in self.filed]
        if order == "popular":
            ids.sort(key=lambda i: -len(self.supporters[i]))
        start = (page - 1) * PAGE_SIZE
        cards = [
            ProposalCard(i, self.titles[i], len(self.supporters[i]), "submitted")
            for i in ids[start : start + PAGE_SIZE]
        ]
        return cards, len(ids) > start + PAGE_SIZE

    def view_proposal(self, proposal_id: int) -> ProposalView | None:
        if proposal_id not in self.titles:
            return None
        return ProposalView(
            proposal_id,
            self.titles[proposal_id],
            "내용",
            "submitted",
            len(self.supporters[proposal_id]),
            None,
            None,
            tuple(enumerate(self.comments.get(proposal_id, [])[-3:], start=1)),
            self.citizen in self.supporters[proposal_id],
            proposal_id in self.muted,
        )

    def mute_proposal(self, proposal_id: int, muted: bool) -> None:
        (self.muted.add if muted else self.muted.discard)(proposal_id)

    def withdraw_support(self, proposal_id: int) -> bool:
        if self.citizen not in self.supporters.get(proposal_id, set()):
            return False
        self.supporters[proposal_id].discard(self.citizen)
        return True

    def report(self, kind: str, item_id: int) -> bool:
        if (kind, item_id) in self.reports:
            return False
        self.reports.add((kind, item_id))
        return True
