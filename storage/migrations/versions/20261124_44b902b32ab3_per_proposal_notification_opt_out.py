"""per-proposal notification opt-out

Revision ID: 44b902b32ab3
Revises: c92d47a30d0e
Create Date: 2026-11-24 17:26:05.101474
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '44b902b32ab3'
down_revision: str | None = 'c92d47a30d0e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('proposal_mute',
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizen.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('proposal_id', 'citizen_id')
    )


def downgrade() -> None:
    op.drop_table('proposal_mute')
