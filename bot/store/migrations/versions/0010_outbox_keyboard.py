"""The keyboard under the typing field on an outbox message: a reply that waits in the outbox
after Telegram did not answer keeps it (and its link buttons, stored in `buttons` as before).
Existing outbox messages: none.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, as in 0004: a batch on SQLite would re-create the table.
    op.add_column('outbox_message', sa.Column('keyboard', sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column('outbox_message', 'keyboard')
