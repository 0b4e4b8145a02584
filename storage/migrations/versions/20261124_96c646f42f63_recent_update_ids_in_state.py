"""recent update ids in the state row

Re-delivered updates are recognised in the citizen's own state row, which every turn writes
anyway, instead of a table of every update id that needed pruning.

Revision ID: 96c646f42f63
Revises: 13186747b307
Create Date: 2026-11-24 16:34:42.620365
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '96c646f42f63'
down_revision: str | None = '13186747b307'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('seen_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seen_update_seen_at'))

    op.drop_table('seen_update')
    with op.batch_alter_table('conversation_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recent_updates', sa.JSON(), server_default='[]', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('conversation_state', schema=None) as batch_op:
        batch_op.drop_column('recent_updates')

    op.create_table('seen_update',
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'update_id')
    )
    with op.batch_alter_table('seen_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seen_update_seen_at'), ['seen_at'], unique=False)

