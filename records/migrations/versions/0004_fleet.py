"""Fleet: counter heartbeats (version, configuration hash, doctor summary, last scan)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

One row per counter PC (office, counter), upserted by the counter at start,
every few minutes while it runs, and by ``counter-app doctor``. Read by
``counter-app fleet`` and the admins' fleet panel of the review window.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counter_heartbeats",
        sa.Column("office", sa.String(length=16), nullable=False),
        sa.Column("counter", sa.String(length=64), nullable=False),
        sa.Column("host", sa.String(length=128), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("config_hash", sa.String(length=64), nullable=False),
        sa.Column("checks_failed", sa.Integer(), nullable=False),
        sa.Column("checks_warned", sa.Integer(), nullable=False),
        sa.Column("doctor_summary", sa.Text(), nullable=False),
        sa.Column("last_scan_at", sa.DateTime(), nullable=True),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.Column("clock_skew_s", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("office", "counter", name=op.f("pk_counter_heartbeats")),
    )


def downgrade() -> None:
    op.drop_table("counter_heartbeats")
