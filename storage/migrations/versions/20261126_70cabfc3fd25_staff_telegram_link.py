"""Staff link their own Telegram chat with a one-time code (test copies go only there).

Revision ID: 70cabfc3fd25
Revises: a6e271279792
Create Date: 2026-11-26 11:24:00.753763
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '70cabfc3fd25'
down_revision: str | None = 'a6e271279792'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('telegram_chat_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch_op.add_column(sa.Column('link_code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('link_code_expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_staff_link_code_hash'), ['link_code_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_telegram_chat_id'), ['telegram_chat_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_telegram_chat_id'))
        batch_op.drop_index(batch_op.f('ix_staff_link_code_hash'))
        batch_op.drop_column('link_code_expires_at')
        batch_op.drop_column('link_code_hash')
        batch_op.drop_column('telegram_chat_id')
