"""Fleet (reserved for issue 14 (IT): counter heartbeats for the fleet view)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

Reserved so that work landing in parallel keeps one linear chain of
revisions; it changes nothing until its issue fills it in.
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
