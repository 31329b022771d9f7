"""What leaves an office for the district: the case facts and the publication that names them.

An office's counters write cases; the district (every office's counts in one
view) must never see who petitioned. So each case has a second, non-personal
row in ``case_facts``: office, counter, form, origin (QR or paper), proxy or
not, status, the times of scan, accept, return and completion, the return
reason's *category* (one of :data:`RETURN_CATEGORIES`, never the reason's
text) and three flags (warnings accepted, corrected, documents missing). The
case store writes it in the same transaction as the case it describes
(:func:`note_intake`, :func:`note_status`), so it is never behind or ahead
of the case; a purge of old cases leaves their facts (counts keep history).

The office publishes only these rows and the fleet's heartbeats, through one
PostgreSQL publication (:data:`PUBLICATION`) whose column lists
(:data:`PUBLISHED`, PostgreSQL 15+) name every column that may leave: a
column added to a table later stays at the office until a migration adds it
to the list. Schema changes go in the order logical replication needs
(README, "The district"): the district's table first, then the office's
migration, which also sets the publication's list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Index, String, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from records.models import STATUS_COMPLETED, STATUS_RETURNED, Base, Case, UTCDateTime

PUBLICATION = "district"

# A return's category: the start of the reason the clerk picked or typed
# ("구비서류 미비: 위임장 없음" is "documents"). The district sees the code only.
RETURN_CATEGORIES: dict[str, str] = {
    "documents": "구비서류 미비",
    "identity": "본인 또는 대리인 확인 불가",
    "proxy": "위임장 내용 불충분",
    "unclear": "신청 내용 불명확",
    "fee": "수수료 미납",
    "other": "기타",
}
RETURN_CATEGORY_EN: dict[str, str] = {
    "documents": "Supporting documents missing",
    "identity": "Identity not confirmed",
    "proxy": "Power of attorney insufficient",
    "unclear": "Petition unclear",
    "fee": "Fee not paid",
    "other": "Other",
}


def return_category(reason: str | None) -> str:
    """The category code of a return reason (``other`` when it names none of them)."""
    text_ = " ".join((reason or "").split())
    for code, label in RETURN_CATEGORIES.items():
        if text_.startswith(label):
            return code
    return "other"


class CaseFact(Base):
    """The non-personal record of one case: what the district may count."""

    __tablename__ = "case_facts"
    __table_args__ = (Index("ix_case_facts_accepted_at", "accepted_at"),)

    office: Mapped[str] = mapped_column(String(16), primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, as cases.uid
    counter: Mapped[str] = mapped_column(String(64))
    form_code: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(8))  # records.models.Origin: qr, paper
    proxy: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(16))
    scanned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    accepted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    returned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    return_category: Mapped[str | None] = mapped_column(String(16))
    warnings: Mapped[bool] = mapped_column(Boolean)
    corrected: Mapped[bool] = mapped_column(Boolean)
    documents_missing: Mapped[bool] = mapped_column(Boolean)


# Every column that may leave an office, per table. Nothing personal: a test reads
# every district table and every publication and proves it.
PUBLISHED: dict[str, tuple[str, ...]] = {
    "case_facts": (
        "office", "uid", "counter", "form_code", "origin", "proxy", "status", "scanned_at",
        "accepted_at", "returned_at", "completed_at", "return_category", "warnings",
        "corrected", "documents_missing",
    ),
    "counter_heartbeats": (
        "office", "counter", "host", "version", "config_hash", "checks_failed",
        "checks_warned", "problem_checks", "last_scan_at", "seen_at", "clock_skew_s",
    ),
}


def _facts_of(case: Case, detail: dict[str, Any], corrected: bool) -> dict[str, Any]:
    wait = detail.get("check_to_accept_s")
    scanned = None
    if isinstance(wait, int | float) and 0 <= wait < 86400:
        scanned = case.received_at - dt.timedelta(seconds=float(wait))
    return {
        "office": case.office, "uid": case.uid, "counter": case.counter,
        "form_code": case.form_code, "origin": case.source,
        "proxy": case.delegate_name is not None or case.delegate_relation is not None,
        "status": case.status, "scanned_at": scanned, "accepted_at": case.received_at,
        "returned_at": case.closed_at if case.status == STATUS_RETURNED else None,
        "completed_at": case.closed_at if case.status == STATUS_COMPLETED else None,
        "return_category":
            return_category(case.status_reason) if case.status == STATUS_RETURNED else None,
        "warnings": _count(detail.get("warnings")) > 0,
        "corrected": corrected,
        "documents_missing": bool(detail.get("missing_documents")),
    }


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def note_intake(s: Session, case: Case, detail: dict[str, Any], *, corrected: bool) -> None:
    """Write the facts of a case just recorded (same transaction; ``detail`` is its intake
    audit detail: warnings, missing documents, seconds from scan to accept)."""
    s.add(CaseFact(**_facts_of(case, detail, corrected)))


def note_status(s: Session, case: Case, at: dt.datetime) -> None:
    """Bring a case's facts up to its new status (same transaction as the change)."""
    fact = s.get(CaseFact, (case.office, case.uid))
    if fact is None:  # a case older than the facts table that the migration missed
        s.add(CaseFact(**_facts_of(case, {}, corrected=False)))
        return
    fact.status = case.status
    if case.status == STATUS_RETURNED:
        fact.returned_at = at
        fact.return_category = return_category(case.status_reason)
    elif case.status == STATUS_COMPLETED:
        fact.completed_at = at


# -- the publication (PostgreSQL only) ----------------------------------------------


def publication_sql(verb: str = "CREATE") -> str:
    """``CREATE PUBLICATION`` (or ``ALTER … SET``) with the column lists of :data:`PUBLISHED`."""
    tables = ", ".join(f"TABLE {t} ({', '.join(cols)})" for t, cols in PUBLISHED.items())
    if verb == "CREATE":
        return f"CREATE PUBLICATION {PUBLICATION} FOR {tables}"
    return f"ALTER PUBLICATION {PUBLICATION} SET {tables}"


def published_columns(conn: Connection | Session) -> dict[str, list[str]] | None:
    """What the office's publication lists, table by table (None: there is none)."""
    found = conn.execute(text("SELECT 1 FROM pg_publication WHERE pubname = :p"),
                         {"p": PUBLICATION}).first()
    if found is None:
        return None
    rows = conn.execute(text(
        "SELECT tablename, attnames FROM pg_publication_tables WHERE pubname = :p"
    ), {"p": PUBLICATION})
    return {str(t): list(cols or []) for t, cols in rows}


def ensure_publication(conn: Connection) -> bool:
    """Create the publication, or set its lists back to :data:`PUBLISHED`; True if changed."""
    current = published_columns(conn)
    wanted = {t: list(cols) for t, cols in PUBLISHED.items()}
    if current is None:
        conn.execute(text(publication_sql("CREATE")))
        return True
    if {t: sorted(c) for t, c in current.items()} != {t: sorted(c) for t, c in wanted.items()}:
        conn.execute(text(publication_sql("ALTER")))
        return True
    return False
