"""What flows may ask of the city's records during a turn, without knowing how they are kept.

The runtime hands the engine a desk bound to the citizen and to the turn's transaction, so
what a flow reads and writes commits (or rolls back) together with the conversation state.
Tests pass an in-memory desk.
"""

from typing import NamedTuple, Protocol


class ProposalCard(NamedTuple):
    id: int
    title: str
    supports: int
    status: str


class Desk(Protocol):
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
