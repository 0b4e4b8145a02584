"""Care cases as staff may see them: the one place the dong scope and the logged read live,
for the API and the console alike.

A care worker sees the cases of her dongs only (anybody else's is "not found", so their
existence is not told either); an admin sees every case. Reading a case's personal data is
always written to the care access log, in the same transaction.
"""

from typing import Any

from sqlalchemy import Connection, Row

from storage import care
from storage.models import Staff
from storage.sealing import Sealer
from storage.staff import Role


def scope_of(staff: Staff) -> list[str] | None:
    """The dongs a care worker covers; None for an admin, who sees every case."""
    return None if staff.role == Role.ADMIN.value else list(staff.dongs)


def case_for(connection: Connection, staff: Staff, application_id: int) -> Row[Any] | None:
    """The case, if this person may see it."""
    row = care.get(connection, application_id)
    scope = scope_of(staff)
    if row is None or (scope is not None and row.dong not in scope):
        return None
    return row


def read_case(
    connection: Connection, sealer: Sealer, staff: Staff, row: Row[Any]
) -> dict[str, Any]:
    """The case's personal data, history and notes; the read goes to the access log."""
    care.log_access(connection, staff_id=staff.id, application_ids=[row.id], action="read")
    return {
        "personal": care.personal_data(sealer, row),
        "history": care.history(connection, row.id),
        "notes": care.notes(connection, sealer=sealer, application_id=row.id),
    }
