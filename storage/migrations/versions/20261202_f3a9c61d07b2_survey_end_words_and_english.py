"""survey end words and english: what citizens read after answering, and the survey's
title, intro and end words in English

Revision ID: f3a9c61d07b2
Revises: e7b25f0c8d41
Create Date: 2026-12-02 15:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f3a9c61d07b2"
down_revision: str | None = "e7b25f0c8d41"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "poll", sa.Column("outro", sa.String(length=500), nullable=False, server_default="")
    )
    op.add_column("poll", sa.Column("english", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("poll") as batch:
        batch.drop_column("english")
        batch.drop_column("outro")
