"""The desk's view of the citizen's own traces, for erasure."""

from runtime.desk.bound import BoundDesk
from storage import proposals


class ProfileAtDesk(BoundDesk):
    """What the citizen published, in the turn's transaction."""

    def my_posts(self) -> tuple[int, int]:
        return proposals.posts_of(self.connection, author_id=self.citizen_id)
