"""Who on the staff changed what, and when."""

from typing import Any

from sqlmodel import Session, col, select

from storage.models import AuditLog


def record(
    session: Session,
    *,
    staff_id: int | None,
    action: str,
    target: str,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(AuditLog(staff_id=staff_id, action=action, target=target, detail=detail or {}))


def recent(session: Session, *, limit: int, offset: int) -> list[AuditLog]:
    return list(
        session.exec(
            select(AuditLog).order_by(col(AuditLog.id).desc()).offset(offset).limit(limit)
        ).all()
    )
