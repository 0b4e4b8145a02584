"""What flows may ask of the city's records about the citizen's own traces, for erasure: what
they published."""

from typing import Protocol


class ProfileDesk(Protocol):
    def my_posts(self) -> tuple[int, int]:
        """How many proposals and comments the citizen has published."""
        ...
