"""District: the non-personal case facts, the heartbeat's problem checks, the publication

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

``case_facts`` holds one non-personal row per case (see records.district),
filled here for the cases already recorded; ``counter_heartbeats`` gains
``problem_checks`` (the ids of the checks that are not fine, without their
details). On PostgreSQL the publication ``district`` names exactly the
columns that may leave the office (PostgreSQL 15 column lists).

A later migration that changes a published table goes in this order: the
district's table first (``counter-app district init`` adds the column), then
this office migration, which adds the column and sets the publication's list
(``ALTER PUBLICATION district SET TABLE …``) in the same transaction.

No ``oldest_reader``: a program before this one would record cases without their
facts, so only programs that know 0008 run on it (a contract step).
"""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from alembic import op

from records.district import return_category

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The lists as of this revision (records.district.PUBLISHED is the current one).
FACT_COLUMNS = (
    "office", "uid", "counter", "form_code", "origin", "proxy", "status", "scanned_at",
    "accepted_at", "returned_at", "completed_at", "return_category", "warnings", "corrected",
    "documents_missing",
)
HEARTBEAT_COLUMNS = (
    "office", "counter", "host", "version", "config_hash", "checks_failed", "checks_warned",
    "problem_checks", "last_scan_at", "seen_at", "clock_skew_s",
)


def upgrade() -> None:
    facts = op.create_table(
        "case_facts",
        sa.Column("office", sa.String(length=16), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("counter", sa.String(length=64), nullable=False),
        sa.Column("form_code", sa.String(length=64), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("proxy", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("scanned_at", sa.DateTime(), nullable=True),
        sa.Column("accepted_at", sa.DateTime(), nullable=False),
        sa.Column("returned_at", sa.DateTime(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("return_category", sa.String(length=16), nullable=True),
        sa.Column("warnings", sa.Boolean(), nullable=False),
        sa.Column("corrected", sa.Boolean(), nullable=False),
        sa.Column("documents_missing", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("office", "uid", name=op.f("pk_case_facts")),
    )
    op.create_index("ix_case_facts_accepted_at", "case_facts", ["accepted_at"])
    with op.batch_alter_table("counter_heartbeats") as batch:
        batch.add_column(sa.Column("problem_checks", sa.String(length=400), nullable=False,
                                   server_default=""))
    _backfill(facts)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE PUBLICATION district FOR TABLE case_facts ({', '.join(FACT_COLUMNS)}), "
            f"TABLE counter_heartbeats ({', '.join(HEARTBEAT_COLUMNS)})"
        )


def _backfill(facts: sa.Table) -> None:
    conn = op.get_bind()
    intake = {
        int(case_id): detail for case_id, detail in conn.execute(sa.text(
            "SELECT case_id, detail FROM audit_events WHERE action = 'intake'"))
    }
    corrected = {int(r[0]) for r in conn.execute(sa.text("SELECT DISTINCT case_id FROM corrections"))}
    rows = conn.execute(sa.text(
        "SELECT id, office, uid, counter, form_code, source, delegate_name, delegate_relation,"
        " status, status_reason, received_at, closed_at FROM cases"))
    batch = []
    for (cid, office, uid, counter, form, source, dname, drel, status, reason, received,
         closed) in rows:
        try:
            detail = json.loads(intake.get(int(cid)) or "{}")
        except ValueError:
            detail = {}
        detail = detail if isinstance(detail, dict) else {}
        received = _naive(received)
        wait = detail.get("check_to_accept_s")
        ok_wait = isinstance(wait, int | float) and 0 <= wait < 86400
        seconds = float(wait) if isinstance(wait, int | float) and ok_wait else 0.0
        batch.append({
            "office": office, "uid": uid, "counter": counter, "form_code": form,
            "origin": source, "proxy": dname is not None or drel is not None, "status": status,
            "scanned_at": received - dt.timedelta(seconds=seconds) if ok_wait else None,
            "accepted_at": received,
            "returned_at": _naive(closed) if status == "returned" else None,
            "completed_at": _naive(closed) if status == "completed" else None,
            "return_category": return_category(reason) if status == "returned" else None,
            "warnings": isinstance(detail.get("warnings"), int) and detail["warnings"] > 0,
            "corrected": int(cid) in corrected,
            "documents_missing": bool(detail.get("missing_documents")),
        })
        if len(batch) >= 1000:
            op.bulk_insert(facts, batch)
            batch = []
    if batch:
        op.bulk_insert(facts, batch)


def _naive(value: object) -> dt.datetime:
    """A stored time (SQLite gives text) as the naive UTC the table holds."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime.fromisoformat(str(value)).replace(tzinfo=None)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP PUBLICATION IF EXISTS district")
    with op.batch_alter_table("counter_heartbeats") as batch:
        batch.drop_column("problem_checks")
    op.drop_index("ix_case_facts_accepted_at", table_name="case_facts")
    op.drop_table("case_facts")
