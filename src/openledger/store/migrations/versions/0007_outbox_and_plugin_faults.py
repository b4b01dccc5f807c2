"""outbox (event hook calls owed to plugins, written with the change they report) and plugin_faults

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hook', sa.String(length=50), nullable=False),
    sa.Column('plugin', sa.String(length=200), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('plugin_faults',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('plugin', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('plugin_faults', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plugin_faults_plugin'), ['plugin'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('plugin_faults', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plugin_faults_plugin'))
    op.drop_table('plugin_faults')
    op.drop_table('outbox')
