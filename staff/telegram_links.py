"""A staff member's own Telegram chat: linking it, and the test copies of notices that go
only there. The one set of rules the API and the console share (a fresh code replaces an
older one; codes, unlinking and every test copy, with whom it went to, are audited)."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from storage import audit, notices, staff_links
from storage.models import Staff, utcnow


@dataclass(frozen=True)
class LinkCode:
    code: str
    expires_at: datetime


def start(session: Session, staff: Staff) -> LinkCode:
    """A one-time code for `staff` to send to the bot as `/staff CODE`."""
    me = session.get(Staff, staff.id)
    assert me is not None
    code = staff_links.new_code(me, now=utcnow())
    session.add(me)
    audit.record(session, staff_id=me.id, action="staff.telegram_code", target=f"staff:{me.id}")
    assert me.link_code_expires_at is not None
    return LinkCode(code, me.link_code_expires_at)


def end(session: Session, staff: Staff) -> None:
    """Unlinks `staff`'s Telegram chat (and voids an unused code)."""
    me = session.get(Staff, staff.id)
    assert me is not None
    staff_links.unlink(me)
    session.add(me)
    audit.record(session, staff_id=me.id, action="staff.telegram_unlink", target=f"staff:{me.id}")


def test_copy(session: Session, staff: Staff, *, notice_id: int, language: str) -> bool:
    """Queues a test copy of the notice for `staff`'s own linked chat; False when none is
    linked (no other chat can be named)."""
    me = session.get(Staff, staff.id)
    assert me is not None
    if me.telegram_chat_id is None:
        return False
    notices.queue_test_copy(
        session.connection(), notice_id=notice_id, chat_id=me.telegram_chat_id, language=language
    )
    audit.record(
        session,
        staff_id=me.id,
        action="notice.test",
        target=f"notice:{notice_id}",
        detail={"to": f"staff:{me.id}"},
    )
    return True
