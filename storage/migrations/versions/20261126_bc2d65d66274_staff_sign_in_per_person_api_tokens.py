"""staff sign-in, per-person API tokens, throttle

Revision ID: bc2d65d66274
Revises: 45accb9844bc
Create Date: 2026-11-26 06:18:26.711926
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'bc2d65d66274'
down_revision: str | None = '45accb9844bc'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('throttle',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_staff_id'), ['staff_id'], unique=False)

    # Every existing staff member gets a login (staff<id>, changeable by an admin) and keeps
    # their API token, now a token of their own that expires in 90 days.
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('login', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.add_column(sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False, server_default=sa.true()))
    staff = sa.table('staff', sa.column('id', sa.Integer), sa.column('login', sa.String), sa.column('token_hash', sa.String), sa.column('created_at', sa.DateTime(timezone=True)))
    tokens = sa.table('api_token', sa.column('staff_id', sa.Integer), sa.column('name', sa.String), sa.column('token_hash', sa.String), sa.column('created_at', sa.DateTime(timezone=True)), sa.column('expires_at', sa.DateTime(timezone=True)))
    bind = op.get_bind()
    now = datetime.now(UTC)
    for row in bind.execute(sa.select(staff.c.id, staff.c.token_hash)).all():
        bind.execute(staff.update().where(staff.c.id == row.id).values(login=f"staff{row.id}"))
        bind.execute(tokens.insert().values(staff_id=row.id, name="API token", token_hash=row.token_hash, created_at=now, expires_at=now + timedelta(days=90)))
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.alter_column('login', existing_type=sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False)
        batch_op.create_unique_constraint('uq_staff_login', ['login'])
        batch_op.drop_column('token_hash')



def downgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_hash', sa.VARCHAR(length=64), nullable=True))
    bind = op.get_bind()
    first = bind.execute(sa.text("SELECT staff_id, MIN(token_hash) AS token_hash FROM api_token GROUP BY staff_id")).all()
    for row in first:
        bind.execute(sa.text("UPDATE staff SET token_hash = :h WHERE id = :i"), {"h": row.token_hash, "i": row.staff_id})
    bind.execute(sa.text("UPDATE staff SET token_hash = 'none-' || id WHERE token_hash IS NULL"))
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.alter_column('token_hash', existing_type=sa.VARCHAR(length=64), nullable=False)
        batch_op.create_unique_constraint('uq_staff_token_hash', ['token_hash'])
        batch_op.drop_constraint('uq_staff_login', type_='unique')
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('password_hash')
        batch_op.drop_column('login')

    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_staff_id'))

    op.drop_table('api_token')
    op.drop_table('throttle')
