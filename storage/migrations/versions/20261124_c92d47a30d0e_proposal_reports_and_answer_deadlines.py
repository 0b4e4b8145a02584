"""proposal reports and answer deadlines

Revision ID: c92d47a30d0e
Revises: 9188df9cc060
Create Date: 2026-11-24 16:57:24.491507
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'c92d47a30d0e'
down_revision: str | None = '9188df9cc060'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('proposal_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizen.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'item_id', 'citizen_id')
    )
    with op.batch_alter_table('proposal_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_report_item_id'), ['item_id'], unique=False)

    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('threshold_reached_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_proposal_threshold_reached_at'), ['threshold_reached_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_threshold_reached_at'))
        batch_op.drop_column('threshold_reached_at')

    with op.batch_alter_table('proposal_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_report_item_id'))

    op.drop_table('proposal_report')
