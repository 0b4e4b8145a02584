"""Small builders for test data."""

from sqlalchemy import Engine

from storage.db import transaction
from storage.staff import Role, create_staff


def make_staff(db: Engine, *, role: Role = Role.ADMIN, name: str = "담당자") -> tuple[int, str]:
    """A staff member's id and API token."""
    with transaction(db) as session:
        staff, token = create_staff(session, name=name, role=role)
        assert staff.id is not None
        return staff.id, token
