"""kakao event api pokes

Revision ID: a6e271279792
Revises: 3b23b24dc375
Create Date: 2026-11-26 09:18:43.556050
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'a6e271279792'
down_revision: str | None = '3b23b24dc375'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('kakao_poke',
    sa.Column('chat_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('poked_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('chat_id')
    )


def downgrade() -> None:
    op.drop_table('kakao_poke')
