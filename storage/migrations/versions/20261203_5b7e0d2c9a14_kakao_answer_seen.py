"""kakao answer: the answer the citizen had seen when the call came

Revision ID: 5b7e0d2c9a14
Revises: 9c3f5e1a7d20
Create Date: 2026-12-03 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '5b7e0d2c9a14'
down_revision: str | None = '9c3f5e1a7d20'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('kakao_answer', sa.Column('seen', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('kakao_answer') as batch:
        batch.drop_column('seen')
