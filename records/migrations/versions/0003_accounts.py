"""Accounts (reserved for issue 13 (people and roles): accounts, sign-in, access review)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

Reserved so that work landing in parallel keeps one linear chain of
revisions; it changes nothing until its issue fills it in.
"""

from __future__ import annotations

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
