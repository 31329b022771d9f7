"""The tables of the case database (SQLAlchemy 2 declarative models).

The schema itself is created and changed only by the Alembic migrations in
``records/migrations``; these classes must match them (a test compares the
two). Times are stored as naive UTC and come back as aware UTC datetimes.

Personal data: resident registration numbers (RRN) live only as AES-GCM
ciphertext (``*_rrn_enc``) plus a masked copy for display; the full document
is kept encrypted (``document_enc``) with a masked copy (``document_masked``)
for screens and lists. See :mod:`records.datakey`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

UTC = dt.UTC

# Named constraints so that migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

class CaseStatus(StrEnum):
    """Where a case is: the one vocabulary of the store, the command line and the window."""

    RECEIVED = "received"
    RETURNED = "returned"
    COMPLETED = "completed"


class Origin(StrEnum):
    """How a petition reached the counter: its QR scanned, or its paper form typed in."""

    QR = "qr"
    PAPER = "paper"


STATUS_RECEIVED = CaseStatus.RECEIVED
STATUS_RETURNED = CaseStatus.RETURNED
STATUS_COMPLETED = CaseStatus.COMPLETED
STATUSES = (STATUS_RECEIVED, STATUS_RETURNED, STATUS_COMPLETED)
CLOSED_STATUSES = (STATUS_RETURNED, STATUS_COMPLETED)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC in Python, naive UTC in the database (the same on SQLite and PostgreSQL)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Case(Base):
    """One petition as received at a counter (접수 건)."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("office", "year", "serial"),
        Index("ix_cases_received_at", "received_at"),
        Index("ix_cases_status_closed_at", "status", "closed_at"),
        # the review list's filters (migration 0005)
        Index("ix_cases_clerk_received_at", "clerk", "received_at"),
        Index("ix_cases_counter_received_at", "counter", "received_at"),
        Index("ix_cases_form_code_received_at", "form_code", "received_at"),
        Index("ix_cases_status_received_at", "status", "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    office: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    case_number: Mapped[str] = mapped_column(String(40), unique=True)
    # NULL for a paper petition typed in by the clerk; unique so that the
    # database itself refuses a second intake of one QR (MW_REPLAY), races included.
    payload_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    source: Mapped[str] = mapped_column(String(8))
    form_code: Mapped[str] = mapped_column(String(64))
    form_ver: Mapped[int] = mapped_column(Integer)
    form_codes: Mapped[str] = mapped_column(String(700))
    status: Mapped[str] = mapped_column(String(16))
    status_reason: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    clerk: Mapped[str] = mapped_column(String(64))
    counter: Mapped[str] = mapped_column(String(64))
    applicant_name: Mapped[str] = mapped_column(String(80))
    applicant_rrn_masked: Mapped[str | None] = mapped_column(String(16))
    applicant_rrn_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    delegate_name: Mapped[str | None] = mapped_column(String(80))
    delegate_relation: Mapped[str | None] = mapped_column(String(80))
    delegate_rrn_masked: Mapped[str | None] = mapped_column(String(16))
    delegate_rrn_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    document_masked: Mapped[str] = mapped_column(Text)
    document_enc: Mapped[bytes] = mapped_column(LargeBinary)
    data_key_id: Mapped[str] = mapped_column(String(16))
    # HMAC of the case and its rows under a key the database does not hold
    # (records.integrity); NULL only before a pre-0002 database is bound.
    seal: Mapped[str | None] = mapped_column(String(64))
    # The case's place in the audit chain, sealed with it (revision 0006): the seq of its
    # last intake, correction or status event, so an older sealed copy cannot be put back.
    seal_seq: Mapped[int | None] = mapped_column(Integer)


class StatusChange(Base):
    """The history of a case's status: received, returned (with a reason), completed."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    clerk: Mapped[str] = mapped_column(String(64))
    counter: Mapped[str] = mapped_column(String(64))


class Correction(Base):
    """A clerk's correction of a field at intake: masked copies for display, both values encrypted."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(200))
    before_masked: Mapped[str | None] = mapped_column(Text)
    after_masked: Mapped[str | None] = mapped_column(Text)
    values_enc: Mapped[bytes] = mapped_column(LargeBinary)
    clerk: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Attachment(Base):
    """A scanned page or the seal image; the bytes are in the attachment store under ``sha256``."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # "page" or "seal"
    position: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(255))


class CaseCounter(Base):
    """The last serial issued per office and year; locked while a case number is taken."""

    __tablename__ = "case_counters"

    office: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer)
    # HMAC of the row under the integrity key (records.sealing; revision 0006).
    mac: Mapped[str | None] = mapped_column(String(64))


class PurgedCase(Base):
    """What is left of a case removed by the retention purge: its number, so numbering stays explainable."""

    __tablename__ = "purged_cases"

    case_number: Mapped[str] = mapped_column(String(40), primary_key=True)
    office: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    purged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    audit_seq: Mapped[int] = mapped_column(Integer)
    # HMAC of the row under the integrity key (records.sealing; revision 0006).
    mac: Mapped[str | None] = mapped_column(String(64))


class AuditEvent(Base):
    """One link of the audit hash chain (see :mod:`records.audit`)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_case_id", "case_id"),
        Index("ix_audit_events_action_at", "action", "at"),  # the daily report (migration 0005)
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(64))
    counter: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int | None] = mapped_column(Integer)
    case_number: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The newest link of the chain: one row, locked by every writer (serialises the chain)."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class Meta(Base):
    """Settings of the database itself, e.g. which data key encrypts it."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    # HMAC of the row under the integrity key (records.sealing; revision 0006).
    mac: Mapped[str | None] = mapped_column(String(64))


# Tables kept in modules of their own register with Base when imported here
# (the migrations must build exactly Base.metadata).
from records import district as _district  # noqa: E402, F401  (issue 24: case facts)
from records import fleet as _fleet  # noqa: E402, F401  (issue 14: counter heartbeats)
