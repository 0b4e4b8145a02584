"""Notices: the rules the API and the console share — who may change, cancel or approve a
notice, when sending waits for a second person (four eyes), and what a delivery report says.

Refusals are `NoticeRefused` with a code (for the console's words) and an English reason (the
API's); every change is audited here, once for both.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from conversations.districts import suwon
from storage import audit, notices
from storage.models import Staff, utcnow
from storage.staff import Role

RATE_WINDOW = timedelta(seconds=10)


class NoticeRefused(Exception):
    """`code`: missing, not_author, own_approval, waits_for_approval, state."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class Undelivered:
    """A copy that did not arrive, told without the chat: a masked citizen number, the dong."""

    citizen: str
    dong: str | None
    status: str
    attempts: int


def undelivered(session: Session, notice_id: int) -> list[Undelivered]:
    return [
        Undelivered(f"…{row.citizen_id % 100:02d}", row.dong, row.status, row.attempts)
        for row in notices.undelivered(session.connection(), notice_id)
    ]


@dataclass(frozen=True)
class DeliveryReport:
    notice_id: int
    status: str
    total: int
    queued: int
    sent: int
    failed: int
    blocked: int
    cancelled: int
    held: int
    progress: float
    rate_per_second: float
    eta_seconds: float | None


def found(session: Session, notice_id: int) -> Any:
    row = notices.get(session.connection(), notice_id)
    if row is None:
        raise NoticeRefused("missing", f"no notice {notice_id}")
    return row


def may_change(row: Any, staff: Staff, doing: str) -> None:
    """Only the notice's author or an admin edits or cancels it."""
    if row.created_by != staff.id and staff.role != Role.ADMIN:
        raise NoticeRefused("not_author", f"only the notice's author or an admin may {doing} it")


def editable(row: Any, staff: Staff) -> None:
    may_change(row, staff, "edit")
    if row.status == "for_approval" or row.approved_by is not None:
        raise NoticeRefused(
            "waits_for_approval",
            "the notice was put up for approval: cancel it and compose a new one to change it",
        )


def needs_approval(session: Session, row: Any, *, budget: int, threshold: int) -> bool:
    """Urgent, or reaching more than `threshold` citizens (after the weekly budget)."""
    if row.urgent:
        return True
    columns = {"audience": row.audience, "topics": row.topics, "urgent": False}
    total, over = reach(session, columns, budget=budget)
    return total - over > threshold


def send(
    session: Session,
    staff: Staff,
    notice_id: int,
    *,
    send_at: datetime | None,
    budget: int,
    threshold: int,
    planner: Callable[[int, datetime], None],
) -> Any:
    """Sends now or at `send_at`; a notice that needs approval waits in `for_approval`."""
    row = found(session, notice_id)
    when = send_at or utcnow()
    waits = row.approved_by is None and needs_approval(
        session, row, budget=budget, threshold=threshold
    )
    if not notices.move(
        session.connection(),
        notice_id=notice_id,
        before=("draft", "scheduled"),
        after="for_approval" if waits else "scheduled",
        send_at=when,
        requested_by=staff.id,
    ):
        raise NoticeRefused("state", f"the notice is {found(session, notice_id).status}")
    audit.record(
        session,
        staff_id=staff.id,
        action="notice.send",
        target=f"notice:{notice_id}",
        detail={"send_at": when.isoformat(), "needs_approval": waits},
    )
    if not waits:
        planner(notice_id, when)
    return found(session, notice_id)


def approve(
    session: Session, staff: Staff, notice_id: int, *, planner: Callable[[int, datetime], None]
) -> Any:
    """The second pair of eyes: neither its author nor who asked to send it."""
    row = found(session, notice_id)
    if staff.id in (row.created_by, row.requested_by):
        raise NoticeRefused(
            "own_approval",
            "another person must approve: not the notice's author, nor who asked to send it",
        )
    if not notices.move(
        session.connection(),
        notice_id=notice_id,
        before=("for_approval",),
        after="scheduled",
        approved_by=staff.id,
        approved_at=utcnow(),
    ):
        raise NoticeRefused("state", f"the notice is {row.status}")
    audit.record(session, staff_id=staff.id, action="notice.approve", target=f"notice:{notice_id}")
    planner(notice_id, row.send_at)
    return found(session, notice_id)


def cancel(session: Session, staff: Staff, notice_id: int, *, stop: Callable[[int], None]) -> None:
    """Copies already sent stay sent; the rest are cancelled (`stop` tells the senders)."""
    row = found(session, notice_id)
    may_change(row, staff, "cancel")
    if row.status in ("sent", "cancelled"):
        raise NoticeRefused("state", f"the notice is {row.status}")
    notices.cancel(session.connection(), notice_id=notice_id)
    stop(notice_id)
    audit.record(session, staff_id=staff.id, action="notice.cancel", target=f"notice:{notice_id}")


def create(session: Session, staff: Staff, columns: dict[str, Any]) -> int:
    """A draft of `staff`'s with checked columns (the API's `NoticeIn`); nothing is sent."""
    notice_id = notices.create(session.connection(), created_by=staff.id, **columns)
    audit.record(session, staff_id=staff.id, action="notice.create", target=f"notice:{notice_id}")
    return notice_id


def reach(session: Session, columns: dict[str, Any], *, budget: int) -> tuple[int, int]:
    """How many citizens a notice with these columns reaches now, and how many of them are
    over their weekly budget (an urgent notice has none)."""
    audience = notices.Audience(columns["audience"], columns["topics"], suwon().dongs_by_gu())
    return notices.preview(
        session.connection(),
        audience=audience,
        urgent=bool(columns.get("urgent")),
        budget=budget,
        now=utcnow(),
    )


COPIED = ("text", "link_url", "link_label", "apply_flow", "topics", "audience", "urgent")


def duplicate(session: Session, staff: Staff, notice_id: int) -> int:
    """A new draft with a past notice's words, buttons, topics and audience; the caller is its
    author (it is sent, and approved if it needs to be, afresh)."""
    row = found(session, notice_id)
    copy = notices.create(
        session.connection(), created_by=staff.id, **{name: row._mapping[name] for name in COPIED}
    )
    audit.record(
        session,
        staff_id=staff.id,
        action="notice.duplicate",
        target=f"notice:{copy}",
        detail={"from": f"notice:{notice_id}"},
    )
    return copy


def delivery_report(session: Session, notice_id: int) -> DeliveryReport:
    """Counts, progress, the rate over the last ten seconds and the time left at that rate."""
    row = found(session, notice_id)
    connection = session.connection()
    counts = notices.report(connection, notice_id)
    total = sum(counts.values())
    queued = counts.get("queued", 0)
    recent = notices.sent_since(connection, notice_id, utcnow() - RATE_WINDOW)
    rate = recent / RATE_WINDOW.total_seconds()
    return DeliveryReport(
        notice_id=notice_id,
        status=row.status,
        total=total,
        queued=queued,
        sent=counts.get("sent", 0),
        failed=counts.get("failed", 0),
        blocked=counts.get("blocked", 0),
        cancelled=counts.get("cancelled", 0),
        held=counts.get(notices.HELD, 0),
        progress=round((total - queued) / total, 4) if total else 0.0,
        rate_per_second=round(rate, 1),
        eta_seconds=round(queued / rate, 1) if rate and queued else (0.0 if not queued else None),
    )
