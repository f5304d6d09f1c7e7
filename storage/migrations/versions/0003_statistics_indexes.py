"""statistics indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

Counts by unit, category, direction and status over a range of `created_at` become an
index-only scan (the new index starts with `created_at`, so it replaces the narrower
`ix_questions_created_category`); open and overdue counts read (status, deadline) only.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_created_category")
        batch_op.create_index(
            "ix_questions_statistics",
            ["created_at", "unit_id", "category", "direction", "status"],
            unique=False,
        )
        batch_op.create_index("ix_questions_status_deadline", ["status", "deadline"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_status_deadline")
        batch_op.drop_index("ix_questions_statistics")
        batch_op.create_index(
            "ix_questions_created_category", ["created_at", "category"], unique=False
        )
