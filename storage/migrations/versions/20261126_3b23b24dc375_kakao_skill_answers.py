"""kakao skill answers

Revision ID: 3b23b24dc375
Revises: 3e750304f5de
Create Date: 2026-11-26 09:08:01.414460
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '3b23b24dc375'
down_revision: str | None = '3e750304f5de'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('kakao_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('request_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('replies', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('kakao_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kakao_answer_request_key'), ['request_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_kakao_answer_user_key'), ['user_key'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('kakao_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kakao_answer_user_key'))
        batch_op.drop_index(batch_op.f('ix_kakao_answer_request_key'))

    op.drop_table('kakao_answer')
