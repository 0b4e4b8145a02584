"""The audit log's entries as the API gives them."""

from typing import Any

from pydantic import BaseModel

from staff.types import Timestamp


class AuditEntry(BaseModel):
    id: int
    staff_id: int | None
    staff_name: str | None
    action: str
    target: str
    detail: dict[str, Any]
    at: Timestamp
