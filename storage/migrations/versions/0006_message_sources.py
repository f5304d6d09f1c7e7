"""message sources

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

A thread message remembers the chat message it came from (`source`: platform, channel and
the platform's message id), so that an edit in the chat updates the stored answer and a
deletion marks it deleted (`deleted_at`). Existing rows get NULL: their chat messages are
not followed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("thread_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_thread_messages_source", ["source"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("thread_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_thread_messages_source")
        batch_op.drop_column("deleted_at")
        batch_op.drop_column("source")
