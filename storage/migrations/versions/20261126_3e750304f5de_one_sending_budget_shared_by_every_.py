"""one sending budget shared by every process

Revision ID: 3e750304f5de
Revises: a67da914af2f
Create Date: 2026-11-26 08:20:32.647653
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '3e750304f5de'
down_revision: str | None = 'a67da914af2f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('send_budget',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('next_slot', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('send_budget')
