"""What flows may ask of the city's records about proposals: look-alikes, filing, supporting,
commenting, browsing, reporting, muting."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple, Protocol


class ProposalCard(NamedTuple):
    id: int
    title: str
    supports: int
    status: str


@dataclass(frozen=True)
class ProposalRules:
    """The escalation ladder and moderation thresholds, from the settings."""

    answer_threshold: int = 50
    answer_days: int = 30
    hide_after_reports: int = 3

    def answer_due(self, threshold_reached_at: datetime | None) -> date | None:
        if threshold_reached_at is None:
            return None
        return (threshold_reached_at + timedelta(days=self.answer_days)).date()


class ProposalView(NamedTuple):
    """A proposal as a citizen sees it: no author, only visible comments."""

    id: int
    title: str
    body: str
    status: str
    supports: int
    answer: str | None
    answer_due: date | None
    comments: tuple[tuple[int, str], ...]
    supported_by_me: bool
    muted_by_me: bool
    # So a citizen can match it with a receipt or a notice: filed when, about what, where.
    filed: date | None = None
    category: str = ""
    dong: str | None = None


class ProposalDesk(Protocol):
    def similar_proposals(self, text: str) -> list[ProposalCard]:
        """Up to three open proposals that look like `text`, best first."""
        ...

    def submit_proposal(self, *, title: str, body: str, category: str, dong: str | None) -> int:
        """Files the citizen's proposal; its id."""
        ...

    def support_proposal(self, proposal_id: int) -> bool:
        """Adds the citizen's support; False if they already support it or it is gone."""
        ...

    def comment_on_proposal(self, proposal_id: int, body: str) -> bool:
        """Adds the citizen's comment; False if the proposal is gone."""
        ...

    def may_post(self) -> bool:
        """Whether the citizen may write proposals and comments: False while staff have
        blocked them for abusing the channel (reading, supporting and surveys stay open)."""
        ...

    def browse_proposals(
        self, *, order: str, mine: bool, category: str | None, dong: str | None, page: int
    ) -> tuple[list[ProposalCard], bool]:
        """A page of proposals ("newest" or "popular" first) and whether more follow."""
        ...

    def view_proposal(self, proposal_id: int) -> ProposalView | None:
        """The proposal with its latest comments; None if it is hidden or gone."""
        ...

    def withdraw_support(self, proposal_id: int) -> bool: ...

    def report(self, kind: str, item_id: int, reason: str) -> bool:
        """Reports a proposal or comment once per citizen, with the reason chosen (one of
        `REPORT_REASONS`); False for a repeat."""
        ...

    def mute_proposal(self, proposal_id: int, muted: bool) -> None:
        """Stops (or resumes) this citizen's messages about the proposal."""
        ...
