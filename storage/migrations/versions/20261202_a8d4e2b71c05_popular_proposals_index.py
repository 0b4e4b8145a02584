"""popular proposals indexes: the citizens' most-supported lists (all, one area, one dong)
read an index, not every row

Revision ID: a8d4e2b71c05
Revises: f3a9c61d07b2
Create Date: 2026-12-02 16:25:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a8d4e2b71c05"
down_revision: str | None = "f3a9c61d07b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


INDEXES = {
    "ix_proposal_popular": ["support_count", "id"],
    "ix_proposal_popular_category": ["category", "support_count", "id"],
    "ix_proposal_popular_dong": ["dong", "support_count", "id"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "proposal", columns)


def downgrade() -> None:
    for name in reversed(INDEXES):
        op.drop_index(name, table_name="proposal")
