"""bot posts

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30

Where Bryggan's own posts that quote a question's free text are (its "Svar från …" thread
posts): platform, channel and message id (Slack ts, Matrix event id), so that the retention
purge edits them to "(Texten är gallrad.)". Posts made before this revision are not known.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bot_posts",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            nullable=False,
        ),
        sa.Column(
            "question_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.ForeignKey("questions.id"),
            nullable=False,
        ),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=255), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("header", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_bot_posts_question_id", "bot_posts", ["question_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_bot_posts_question_id", table_name="bot_posts")
    op.drop_table("bot_posts")
