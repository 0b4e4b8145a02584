"""The audit log of staff writes, for admins."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.deps import Authorised, SessionDep
from api.types import Offset, Timestamp
from storage import audit

router = APIRouter(prefix="/api/v1/audit-log", tags=["audit"])


class AuditEntry(BaseModel):
    id: int
    staff_id: int | None
    action: str
    target: str
    detail: dict[str, Any]
    at: Timestamp


@router.get("")
def audit_log(
    session: SessionDep,
    admin: Authorised,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> list[AuditEntry]:
    return [
        AuditEntry.model_validate(e, from_attributes=True)
        for e in audit.recent(session, limit=limit, offset=offset)
    ]
