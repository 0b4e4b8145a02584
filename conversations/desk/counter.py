"""What flows may ask of the city's records about the counter: joining a slip's items."""

from typing import NamedTuple, Protocol


class CounterJoin(NamedTuple):
    """What a slip's code joined to this chat, as (kind, how many); or why nothing was:
    "unknown", "used", "expired", "other_person" or "locked" (too many wrong codes)."""

    counts: tuple[tuple[str, int], ...] = ()
    refused: str | None = None


class CounterDesk(Protocol):
    def join_counter(self, code: str) -> CounterJoin:
        """Makes what was filed at the counter under this slip's code the citizen's own."""
        ...
