"""Row seals (issue 18): every row a security decision rests on carries a MAC

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

Adds ``mac`` to ``accounts``, ``access_reviews``, ``purged_cases``,
``case_counters`` and ``meta``; ``audit_seq`` to ``accounts`` (the last
account or sign-in event naming it) and ``seal_seq`` to ``cases`` (the last
intake, correction or status event of the case). See :mod:`records.sealing`.

The MACs need the integrity key, which only the program holding the office
key can derive, so this migration leaves them empty. The program seals the
existing rows the first time it opens the database with the office key, and
only after checking them: the case seals and the keyed chain must verify,
and every account, review, purge record and counter must agree with the
audit chain (:func:`records.crosscheck.bind_rows`); a database that does
not is refused, not sealed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

MAC_TABLES = ("accounts", "access_reviews", "purged_cases", "case_counters", "meta")


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy: recreating ``cases`` on SQLite would cascade
    # the drop of the old table to its attachments, history and corrections).
    for table in MAC_TABLES:
        op.add_column(table, sa.Column("mac", sa.String(length=64), nullable=True))
    op.add_column("accounts", sa.Column("audit_seq", sa.Integer(), nullable=True))
    op.add_column("cases", sa.Column("seal_seq", sa.Integer(), nullable=True))


def downgrade() -> None:
    # the record that the rows were sealed goes with the seals
    op.execute(sa.text("DELETE FROM meta WHERE key = 'row_seals'"))
    op.drop_column("cases", "seal_seq")
    op.drop_column("accounts", "audit_seq")
    for table in reversed(MAC_TABLES):
        op.drop_column(table, "mac")
