"""An index on when citizens first wrote: the dashboard counts new citizens per day.

Revision ID: 271ed21f2913
Revises: 60c2964c8935
Create Date: 2026-11-26 14:45:47.365652
"""

from collections.abc import Sequence

from alembic import op


revision: str = '271ed21f2913'
down_revision: str | None = '60c2964c8935'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_citizen_created_at'), ['created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citizen_created_at'))

