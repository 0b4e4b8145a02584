"""kakao answers shown

Revision ID: 5d0c2a7e9b14
Revises: 271ed21f2913
Create Date: 2026-12-02 06:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '5d0c2a7e9b14'
down_revision: str | None = '271ed21f2913'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'kakao_answer',
        sa.Column('shown', sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table('kakao_answer') as batch:
        batch.drop_column('shown')
