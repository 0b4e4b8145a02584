"""care applications, status history, notes and access log

Revision ID: 0175b39109e8
Revises: c1d8463b2e2a
Create Date: 2026-11-24 20:02:01.475966
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0175b39109e8'
down_revision: str | None = 'c1d8463b2e2a'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('care_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('care_access', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_access_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_access_at'), ['at'], unique=False)

    op.create_table('care_application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=True),
    sa.Column('for_whom', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('relation', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('services', sa.JSON(), nullable=False),
    sa.Column('track', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('priority', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('dong', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('contact_time', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('assigned_to', sa.Integer(), nullable=True),
    sa.Column('sealed_applicant_name', sa.Text(), nullable=True),
    sa.Column('sealed_cared_name', sa.Text(), nullable=True),
    sa.Column('sealed_phone', sa.Text(), nullable=True),
    sa.Column('sealed_address', sa.Text(), nullable=True),
    sa.Column('sealed_situation', sa.Text(), nullable=True),
    sa.Column('sealed_screening', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assigned_to'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizen.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('care_application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_application_citizen_id'), ['citizen_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_application_closed_at'), ['closed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_application_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_application_dong'), ['dong'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_application_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_application_track'), ['track'], unique=False)

    op.create_table('care_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('sealed_body', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['care_application.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('care_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_note_application_id'), ['application_id'], unique=False)

    op.create_table('care_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['care_application.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('care_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_status_change_application_id'), ['application_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('care_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_status_change_application_id'))

    op.drop_table('care_status_change')
    with op.batch_alter_table('care_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_note_application_id'))

    op.drop_table('care_note')
    with op.batch_alter_table('care_application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_application_track'))
        batch_op.drop_index(batch_op.f('ix_care_application_status'))
        batch_op.drop_index(batch_op.f('ix_care_application_dong'))
        batch_op.drop_index(batch_op.f('ix_care_application_created_at'))
        batch_op.drop_index(batch_op.f('ix_care_application_closed_at'))
        batch_op.drop_index(batch_op.f('ix_care_application_citizen_id'))

    op.drop_table('care_application')
    with op.batch_alter_table('care_access', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_access_at'))
        batch_op.drop_index(batch_op.f('ix_care_access_application_id'))

    op.drop_table('care_access')
