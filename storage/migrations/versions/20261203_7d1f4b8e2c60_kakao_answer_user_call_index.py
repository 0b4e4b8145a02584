"""kakao answer: the citizen's calls indexed newest last, for her latest answer

Revision ID: 7d1f4b8e2c60
Revises: 5b7e0d2c9a14
Create Date: 2026-12-03 07:45:00.000000
"""

from collections.abc import Sequence

from alembic import op


revision: str = '7d1f4b8e2c60'
down_revision: str | None = '5b7e0d2c9a14'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        'ix_kakao_answer_user_call', 'kakao_answer', ['user_key', 'id'], unique=False
    )
    op.drop_index('ix_kakao_answer_user_key', table_name='kakao_answer')


def downgrade() -> None:
    op.create_index('ix_kakao_answer_user_key', 'kakao_answer', ['user_key'], unique=False)
    op.drop_index('ix_kakao_answer_user_call', table_name='kakao_answer')
