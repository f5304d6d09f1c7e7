"""due times

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Reserved for the due job's indexed due times (issue #20); filled in by that change.
"""

from __future__ import annotations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
