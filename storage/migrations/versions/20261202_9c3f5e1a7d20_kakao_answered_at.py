"""kakao answered at; notices held per chat

Revision ID: 9c3f5e1a7d20
Revises: 18b64c5659ad
Create Date: 2026-12-02 22:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '9c3f5e1a7d20'
down_revision: str | None = '18b64c5659ad'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'kakao_answer', sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True)
    )
    op.create_index(
        'ix_notice_delivery_chat_status', 'notice_delivery', ['chat_id', 'status'], unique=False
    )


def downgrade() -> None:
    op.drop_index('ix_notice_delivery_chat_status', table_name='notice_delivery')
    with op.batch_alter_table('kakao_answer') as batch:
        batch.drop_column('answered_at')
