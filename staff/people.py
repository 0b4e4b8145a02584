"""Changing a staff member's account: the one way the API and the console do it.

Unknown dongs, a taken login and an admin locking themself out are refused; a deactivated
person's sessions end at once (their tokens stop because every check reads the account);
the audit log says who changed what.
"""

from typing import Any

from sqlmodel import Session

from conversations.districts import suwon
from storage import audit, sessions
from storage.models import Staff
from storage.staff import Role, by_login


class ChangeRefused(Exception):
    """Why a change cannot be made: `dongs` (with `unknown`), `login_taken`, `self_lockout`."""

    def __init__(self, code: str, unknown: list[str] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.unknown = unknown or []


def change_person(
    session: Session, *, admin: Staff, person: Staff, changes: dict[str, Any]
) -> None:
    """Applies `changes` (name, login, role, dongs, department, active; only those given)."""
    unknown = suwon().unknown(changes.get("dongs") or [])
    if unknown:
        raise ChangeRefused("dongs", unknown)
    login = changes.get("login")
    taken = by_login(session, login) if login else None
    if taken is not None and taken.id != person.id:
        raise ChangeRefused("login_taken")
    demoted = changes.get("role", person.role) != person.role
    if person.id == admin.id and (changes.get("active") is False or demoted):
        raise ChangeRefused("self_lockout")
    for name, value in changes.items():
        if name == "department":
            value = value.strip()
        setattr(person, name, value.value if isinstance(value, Role) else value)
    if changes.get("active") is False:
        sessions.end_all(session, staff_id=person.id)  # type: ignore[arg-type]
    audit.record(
        session,
        staff_id=admin.id,
        action="staff.change",
        target=f"staff:{person.id}",
        detail={k: v.value if isinstance(v, Role) else v for k, v in changes.items()},
    )
