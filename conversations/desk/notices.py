"""What flows may ask of the city's records about notices: what the citizen received."""

from datetime import date
from typing import NamedTuple, Protocol


class NoticeCard(NamedTuple):
    """A notice the citizen received: when, its words, and the service it invites to."""

    id: int
    sent: date
    text: str
    apply_flow: str | None


class NoticeDesk(Protocol):
    def notices_for_me(self, limit: int) -> list[NoticeCard]:
        """The latest notices sent to the citizen, newest first."""
        ...
