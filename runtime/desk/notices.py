"""The desk's notices: what the citizen received."""

from conversations.desk import (
    NoticeCard,
)
from runtime.desk.bound import BoundDesk
from storage import notices


class NoticesAtDesk(BoundDesk):
    """Notices, in the turn's transaction."""

    def notices_for_me(self, limit: int) -> list[NoticeCard]:
        rows = notices.for_citizen(self.connection, citizen_id=self.citizen_id, limit=limit)
        return [NoticeCard(r.id, self.day(r.sent_at), r.text, r.apply_flow) for r in rows]
