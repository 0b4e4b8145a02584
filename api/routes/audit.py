"""The audit log of staff writes, for admins."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Authorised, SessionDep
from api.schemas.audit import AuditEntry
from api.types import MAX_ID, Offset
from staff.types import Timestamp
from storage import audit

router = APIRouter(prefix="/api/v1/audit-log", tags=["audit"])


@router.get("")
def audit_log(
    session: SessionDep,
    admin: Authorised,
    staff_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    since: Timestamp | None = None,
    until: Timestamp | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> list[AuditEntry]:
    """Staff writes, newest first, by name; filtered by person, action and time."""
    rows = audit.recent(
        session,
        limit=limit,
        offset=offset,
        staff_id=staff_id,
        action=action,
        since=since,
        until=until,
    )
    return [AuditEntry(**entry.model_dump(), staff_name=name) for entry, name in rows]
