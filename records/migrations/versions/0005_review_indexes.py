"""Review indexes: the supervisor's list filters and the day's report at office-server scale

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29

A day's list is filtered by clerk, counter, form and status within a date
range; each gets an index led by that column and followed by ``received_at``,
so a filter on a day of 10,000 cases in a database of 1,000,000 reads only the
rows it shows. The daily report reads the day's intake, reveal and export
events by action and time.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CASE_INDEXES = ("clerk", "counter", "form_code", "status")


def upgrade() -> None:
    for column in CASE_INDEXES:
        op.create_index(f"ix_cases_{column}_received_at", "cases", [column, "received_at"])
    op.create_index("ix_audit_events_action_at", "audit_events", ["action", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_action_at", table_name="audit_events")
    for column in reversed(CASE_INDEXES):
        op.drop_index(f"ix_cases_{column}_received_at", table_name="cases")
