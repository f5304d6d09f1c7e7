"""due times

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Each question keeps the time the due job must next look at it (`next_due_at`, indexed), so
the per-minute job reads only what falls due instead of every open question (issue #20).
Existing rows get NULL; the first run after the upgrade finds no recorded SLA settings and
marks every open question for a look, which fills in their times.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_questions_next_due", ["next_due_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_next_due")
        batch_op.drop_column("next_due_at")
