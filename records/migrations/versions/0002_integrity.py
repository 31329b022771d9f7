"""Integrity (reserved for issue 12 (hostile input and tampering): row binding, keyed audit chain, checkpoints)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

Reserved so that work landing in parallel keeps one linear chain of
revisions; it changes nothing until its issue fills it in.
"""

from __future__ import annotations

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
