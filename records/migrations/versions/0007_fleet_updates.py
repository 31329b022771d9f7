"""Fleet: a refused configuration and the last update outcome in each counter's heartbeat

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

An *expand* migration (see ``records.db.schema_state``): two columns with
defaults, so release 0006 goes on writing heartbeats on this schema while the
pilot counters run the new one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None
# The oldest revision whose program runs on this schema: an expand step keeps the one
# before it (0006, the row seals: a contract step nothing older runs on).
oldest_reader = "0006"


def upgrade() -> None:
    with op.batch_alter_table("counter_heartbeats") as batch:
        batch.add_column(
            sa.Column("config_refused", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        # "ok", or the kind of the last failed update (counter_app.update.KINDS); JSON detail
        batch.add_column(
            sa.Column("update_state", sa.String(length=16), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("update_detail", sa.Text(), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("counter_heartbeats") as batch:
        batch.drop_column("update_detail")
        batch.drop_column("update_state")
        batch.drop_column("config_refused")
