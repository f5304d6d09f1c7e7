"""pulse meetings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Recurring pulse meetings (series, their units, per-date overrides), agenda points and notes.
Scheduled-job idempotency uses `job_runs` from 0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "pulse_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=True),
        sa.Column("phrase", sa.String(length=200), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("holiday_rule", sa.String(length=10), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["people.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "pulse_series_units",
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["series_id"], ["pulse_series.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"]),
        sa.PrimaryKeyConstraint("series_id", "unit_id"),
    )
    op.create_table(
        "pulse_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("planned", sa.DateTime(timezone=True), nullable=False),
        sa.Column("moved_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["by_id"], ["people.id"]),
        sa.ForeignKeyConstraint(["series_id"], ["pulse_series.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("series_id", "planned"),
    )
    op.create_table(
        "pulse_agenda_items",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column(
            "question_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_for", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["people.id"]),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"]),
        sa.ForeignKeyConstraint(["series_id"], ["pulse_series.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_pulse_agenda_pending", "pulse_agenda_items", ["series_id", "used_for"], unique=False
    )
    op.create_table(
        "pulse_notes",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("occurrence", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["people.id"]),
        sa.ForeignKeyConstraint(["series_id"], ["pulse_series.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_pulse_notes_meeting", "pulse_notes", ["series_id", "occurrence"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_pulse_notes_meeting", table_name="pulse_notes")
    op.drop_table("pulse_notes")
    op.drop_index("ix_pulse_agenda_pending", table_name="pulse_agenda_items")
    op.drop_table("pulse_agenda_items")
    op.drop_table("pulse_overrides")
    op.drop_table("pulse_series_units")
    op.drop_table("pulse_series")
