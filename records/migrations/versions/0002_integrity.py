"""Integrity: case seals (HMAC under a key the database does not hold) and the keyed audit chain

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

Adds ``cases.seal``. The seal and the keyed chain need the integrity key,
which only the program holding the office key can derive (see
:mod:`records.integrity`), so this migration cannot compute them: an
existing database is **bound** the first time the program opens it with the
office key after this upgrade. Its cases are sealed then, and an audit event
``integrity`` records how many cases were bound and that the events before
it were chained with plain SHA-256 (the first keyed event links to them, so
they cannot be rewritten afterwards either). Until then ``db check`` reports
the database as not yet bound.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("seal", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("seal")
