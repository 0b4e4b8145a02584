"""proposal desk work: departments and due days, private notes, blocked citizens, what
each staff message was about

Revision ID: c4e1d7a90b36
Revises: 5d0c2a7e9b14
Create Date: 2026-12-02 15:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4e1d7a90b36"
down_revision: str | None = "5d0c2a7e9b14"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("proposal", sa.Column("department", sa.String(length=60), nullable=True))
    op.add_column("proposal", sa.Column("due_on", sa.Date(), nullable=True))
    op.create_index("ix_proposal_department", "proposal", ["department"])
    op.add_column(
        "citizen", sa.Column("blocked_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("citizen", sa.Column("blocked_reason", sa.String(length=200), nullable=True))
    op.add_column("outbox_message", sa.Column("about", sa.String(length=40), nullable=True))
    op.create_index("ix_outbox_message_about", "outbox_message", ["about"])
    op.create_table(
        "proposal_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("sealed_body", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposal.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_proposal_note_proposal_id", "proposal_note", ["proposal_id"])


def downgrade() -> None:
    op.drop_index("ix_proposal_note_proposal_id", table_name="proposal_note")
    op.drop_table("proposal_note")
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_index("ix_outbox_message_about")
        batch.drop_column("about")
    with op.batch_alter_table("citizen") as batch:
        batch.drop_column("blocked_reason")
        batch.drop_column("blocked_at")
    with op.batch_alter_table("proposal") as batch:
        batch.drop_index("ix_proposal_department")
        batch.drop_column("due_on")
        batch.drop_column("department")
