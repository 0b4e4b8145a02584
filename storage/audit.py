"""Who on the staff changed what, and when."""

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.models import AuditLog, Staff


def record(
    session: Session,
    *,
    staff_id: int | None,
    action: str,
    target: str,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(AuditLog(staff_id=staff_id, action=action, target=target, detail=detail or {}))


def recent(
    session: Session,
    *,
    limit: int,
    offset: int,
    staff_id: int | None = None,
    action: str | None = None,
    target: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[tuple[AuditLog, str | None]]:
    """Entries newest first, each with the name of the staff member who acted."""
    query = select(AuditLog, Staff.name).join(
        Staff, col(Staff.id) == col(AuditLog.staff_id), isouter=True
    )
    if staff_id is not None:
        query = query.where(AuditLog.staff_id == staff_id)
    if action is not None:
        query = query.where(AuditLog.action == action)
    if target is not None:
        query = query.where(AuditLog.target == target)
    if since is not None:
        query = query.where(col(AuditLog.at) >= since)
    if until is not None:
        query = query.where(col(AuditLog.at) < until)
    rows = session.exec(query.order_by(col(AuditLog.id).desc()).offset(offset).limit(limit))
    return [(entry, name) for entry, name in rows]
