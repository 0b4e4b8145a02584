"""An in-memory desk for engine tests: the same contract as the storage-backed one."""

from dataclasses import dataclass, field

from conversations.desk import ProposalCard
from conversations.similar import SimilarIndex


@dataclass
class MemoryDesk:
    titles: dict[int, str] = field(default_factory=dict)
    supporters: dict[int, set[str]] = field(default_factory=dict)
    comments: dict[int, list[str]] = field(default_factory=dict)
    filed: dict[int, dict[str, str | None]] = field(default_factory=dict)
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
