"""Fleet: a refused configuration and the last update outcome in each counter's heartbeat

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

An *expand* migration (see ``records.db.schema_state``): two columns with
defaults, so release 0005 goes on writing heartbeats on this schema while the
pilot counters run the new one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None
# The oldest revision whose program runs on this schema: an expand step keeps 0005's.
oldest_reader = "0005"


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
