"""Linking a second messenger on purpose: one-time link codes (only their hashes) and failed
tries at typing one. New tables only; existing rows are untouched: a link itself is a
`platform_identity` row whose `internal_id` names a resident, which 0008 already allows.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.store.models

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('link_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', bot.store.models.UtcDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', bot.store.models.UtcDateTime(timezone=True), nullable=False),
    sa.Column('used_at', bot.store.models.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['resident_id'], ['resident.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_hash')
    )
    with op.batch_alter_table('link_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_link_code_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_link_code_resident_id'), ['resident_id'], unique=False)

    op.create_table('link_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('at', bot.store.models.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('link_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_link_failure_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_link_failure_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('link_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_link_failure_person_id'))
        batch_op.drop_index(batch_op.f('ix_link_failure_at'))
    op.drop_table('link_failure')
    with op.batch_alter_table('link_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_link_code_resident_id'))
        batch_op.drop_index(batch_op.f('ix_link_code_created_at'))
    op.drop_table('link_code')
