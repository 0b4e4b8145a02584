"""Notice opt-outs: moments a citizen turned notices off or muted a topic, no citizen kept.

Revision ID: 60c2964c8935
Revises: 9649a8e806a1
Create Date: 2026-11-26 14:22:50.463222
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '60c2964c8935'
down_revision: str | None = '9649a8e806a1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('notice_opt_out',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('topic', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('notice_opt_out', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_opt_out_created_at'), ['created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('notice_opt_out', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_opt_out_created_at'))

    op.drop_table('notice_opt_out')
