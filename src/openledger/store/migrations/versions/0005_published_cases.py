"""published_cases: what the public log says of each published case (k-anonymity state)

Events now enter the public log at a seal (openledger.privacy.release), not in
the transaction that records them; the seal keeps each published case's
signature here. Entries of schema v1 already in a log stay as they are.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'published_cases',
        sa.Column('case_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('channel', sa.String(length=50), nullable=False),
        sa.Column('visibility', sa.String(length=10), nullable=False),
        sa.Column('period', sa.String(length=10), nullable=False),
        sa.Column('category', sa.String(length=100), nullable=False),
        sa.Column('audience', sa.String(length=20), nullable=False),
        sa.Column('first', sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id']),
        sa.PrimaryKeyConstraint('case_id'),
    )


def downgrade() -> None:
    op.drop_table('published_cases')
