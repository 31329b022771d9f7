"""Initial schema of the case database

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-25 16:52:02.566006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("counter", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("case_number", sa.String(length=40), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_events")),
    )
    op.create_index("ix_audit_events_case_id", "audit_events", ["case_id"])

    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "case_counters",
        sa.Column("office", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_serial", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("office", "year", name=op.f("pk_case_counters")),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("office", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(length=40), nullable=False),
        sa.Column("payload_id", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("form_code", sa.String(length=64), nullable=False),
        sa.Column("form_ver", sa.Integer(), nullable=False),
        sa.Column("form_codes", sa.String(length=700), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("clerk", sa.String(length=64), nullable=False),
        sa.Column("counter", sa.String(length=64), nullable=False),
        sa.Column("applicant_name", sa.String(length=80), nullable=False),
        sa.Column("applicant_rrn_masked", sa.String(length=16), nullable=True),
        sa.Column("applicant_rrn_enc", sa.LargeBinary(), nullable=True),
        sa.Column("delegate_name", sa.String(length=80), nullable=True),
        sa.Column("delegate_relation", sa.String(length=80), nullable=True),
        sa.Column("delegate_rrn_masked", sa.String(length=16), nullable=True),
        sa.Column("delegate_rrn_enc", sa.LargeBinary(), nullable=True),
        sa.Column("document_masked", sa.Text(), nullable=False),
        sa.Column("document_enc", sa.LargeBinary(), nullable=False),
        sa.Column("data_key_id", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("case_number", name=op.f("uq_cases_case_number")),
        sa.UniqueConstraint("office", "year", "serial", name=op.f("uq_cases_office_year_serial")),
        sa.UniqueConstraint("payload_id", name=op.f("uq_cases_payload_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_cases_uid")),
    )
    op.create_index("ix_cases_received_at", "cases", ["received_at"])
    op.create_index("ix_cases_status_closed_at", "cases", ["status", "closed_at"])

    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meta")),
    )
    op.create_table(
        "purged_cases",
        sa.Column("case_number", sa.String(length=40), nullable=False),
        sa.Column("office", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("purged_at", sa.DateTime(), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("case_number", name=op.f("pk_purged_cases")),
    )
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_attachments_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    op.create_index("ix_attachments_case_id", "attachments", ["case_id"])
    op.create_index("ix_attachments_sha256", "attachments", ["sha256"])

    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("before_masked", sa.Text(), nullable=True),
        sa.Column("after_masked", sa.Text(), nullable=True),
        sa.Column("values_enc", sa.LargeBinary(), nullable=False),
        sa.Column("clerk", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_corrections_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    )
    op.create_index("ix_corrections_case_id", "corrections", ["case_id"])

    op.create_table(
        "status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("clerk", sa.String(length=64), nullable=False),
        sa.Column("counter", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_status_changes_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_changes")),
    )
    op.create_index("ix_status_changes_case_id", "status_changes", ["case_id"])

    # The chain starts from a fixed genesis link so every writer can lock one existing row.
    op.bulk_insert(
        sa.table(
            "audit_head",
            sa.column("id", sa.Integer),
            sa.column("seq", sa.Integer),
            sa.column("hash", sa.String),
        ),
        [{"id": 1, "seq": 0, "hash": "0" * 64}],
    )


def downgrade() -> None:
    op.drop_index("ix_status_changes_case_id", table_name="status_changes")

    op.drop_table("status_changes")
    op.drop_index("ix_corrections_case_id", table_name="corrections")

    op.drop_table("corrections")
    op.drop_index("ix_attachments_sha256", table_name="attachments")
    op.drop_index("ix_attachments_case_id", table_name="attachments")

    op.drop_table("attachments")
    op.drop_table("purged_cases")
    op.drop_table("meta")
    op.drop_index("ix_cases_status_closed_at", table_name="cases")
    op.drop_index("ix_cases_received_at", table_name="cases")

    op.drop_table("cases")
    op.drop_table("case_counters")
    op.drop_table("audit_head")
    op.drop_index("ix_audit_events_case_id", table_name="audit_events")

    op.drop_table("audit_events")
