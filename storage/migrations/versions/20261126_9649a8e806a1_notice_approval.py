"""Four eyes for notices: who asked to send one that needs approval, who approved it, when.

Revision ID: 9649a8e806a1
Revises: 70cabfc3fd25
Create Date: 2026-11-26 11:33:27.757749
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '9649a8e806a1'
down_revision: str | None = '70cabfc3fd25'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requested_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key('fk_notice_requested_by_staff', 'staff', ['requested_by'], ['id'])
        batch_op.create_foreign_key('fk_notice_approved_by_staff', 'staff', ['approved_by'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_constraint('fk_notice_approved_by_staff', type_='foreignkey')
        batch_op.drop_constraint('fk_notice_requested_by_staff', type_='foreignkey')
        batch_op.drop_column('approved_at')
        batch_op.drop_column('approved_by')
        batch_op.drop_column('requested_by')
