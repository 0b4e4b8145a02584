"""trigram indexes for finding proposals by words on postgresql

Staff find proposals by any words of their title or text (`ILIKE '%words%'`), which no
b-tree index serves; on PostgreSQL a pg_trgm GIN index on each column does. Where the
extension is not available (a managed server that does not offer it) the migration leaves
the search as it was, a scan. SQLite has no such index: nothing changes there.

Revision ID: a67da914af2f
Revises: b786f4ce05f8
Create Date: 2026-11-26 08:40:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a67da914af2f"
down_revision: str | None = "b786f4ce05f8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _trigrams_available() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    found = bind.exec_driver_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"
    ).first()
    return found is not None


def upgrade() -> None:
    if not _trigrams_available():
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_proposal_title_trgm ON proposal "
        "USING gin (title gin_trgm_ops)"
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_proposal_body_trgm ON proposal "
        "USING gin (body gin_trgm_ops)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_proposal_body_trgm")
    op.execute("DROP INDEX IF EXISTS ix_proposal_title_trgm")
