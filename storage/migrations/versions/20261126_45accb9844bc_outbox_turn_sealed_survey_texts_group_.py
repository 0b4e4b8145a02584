"""outbox turn, sealed survey texts, group chats

Revision ID: 45accb9844bc
Revises: 6810e75bfb4b
Create Date: 2026-11-26 05:29:53.123038
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '45accb9844bc'
down_revision: str | None = '6810e75bfb4b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('group_chat',
    sa.Column('chat_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('told_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('chat_id')
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('turn', sa.Integer(), nullable=True))

    with op.batch_alter_table('poll_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sealed_text', sa.Text(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('poll_answer', schema=None) as batch_op:
        batch_op.drop_column('sealed_text')

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('turn')

    op.drop_table('group_chat')
