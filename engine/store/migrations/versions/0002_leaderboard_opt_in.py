"""Leaderboard opt-in: a per-user flag, off for every existing account.

Revision ID: 0002
Revises: 0001

Plain ADD/DROP COLUMN works on PostgreSQL and on SQLite 3.35 or newer, so no table copy.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("leaderboard_opt_in", sa.Boolean(), nullable=False,
                                     server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("users", "leaderboard_opt_in")
