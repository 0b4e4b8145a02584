"""report reasons, staff departments, answer templates

Reports filed before reasons were asked keep no reason (shown as "other"); existing staff
get an empty department until an admin sets one.

Revision ID: b786f4ce05f8
Revises: fa1475af8430
Create Date: 2026-11-26 07:56:25.364147
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'b786f4ce05f8'
down_revision: str | None = 'fa1475af8430'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('answer_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('answer_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_template_department'), ['department'], unique=False)

    with op.batch_alter_table('proposal_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))

    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False, server_default=''))



def downgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_column('department')

    with op.batch_alter_table('proposal_report', schema=None) as batch_op:
        batch_op.drop_column('reason')

    with op.batch_alter_table('answer_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_template_department'))

    op.drop_table('answer_template')
