"""Retention purge: ``counter-app db purge --before DATE``.

Closed cases (returned or completed) whose closing day is before ``DATE``
are removed with their history, corrections and attachment rows; files no
other case shares are overwritten and deleted. What remains is a tombstone
per case number (so the numbering still adds up) and one audit event naming
the numbers removed. Audit events themselves are never purged here: the law
asks for them to be kept at least two years, and they hold no personal data.

SQLite runs with ``secure_delete`` (freed pages are zeroed) and is
checkpointed afterwards so the WAL file keeps no copy; on PostgreSQL a
``VACUUM`` of the purged tables follows so dead rows do not linger.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from records import audit, sealing
from records.files import is_content_hash
from records.models import (
    CLOSED_STATUSES,
    Attachment,
    Case,
    Correction,
    PurgedCase,
    StatusChange,
)
from records.queries import day_bounds
from records.store import CaseStore

_BATCH = 500


@dataclass
class PurgeResult:
    before: dt.date
    case_numbers: list[str] = field(default_factory=list)
    files_removed: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"ok": True, "before": self.before.isoformat(),
                "cases_removed": len(self.case_numbers), "files_removed": self.files_removed}


def purge(store: CaseStore, before: dt.date, *, clerk: str, counter: str) -> PurgeResult:
    """Remove closed cases closed before the Korean day ``before``, unrecoverably."""
    cutoff, _ = day_bounds(before)
    result = PurgeResult(before)
    candidates: set[str] = set()
    ikey = store.integrity_key()
    while True:
        def work(s: Session) -> tuple[list[str], set[str]]:
            cases = s.execute(
                select(Case).where(Case.status.in_(CLOSED_STATUSES), Case.closed_at < cutoff)
                .order_by(Case.id).limit(_BATCH).with_for_update()
            ).scalars().all()
            if not cases:
                return [], set()
            # A case made purgeable behind the program's back (its closing day or status
            # edited) is not destroyed with the evidence: the purge stops and names it.
            sealing.refuse_unsound_cases(s, ikey, list(cases))
            ids = [c.id for c in cases]
            shas = set(s.execute(
                select(Attachment.sha256).where(Attachment.case_id.in_(ids))).scalars())
            numbers = [c.case_number for c in cases]
            at = store.now()
            event = audit.append(s, action="purge", actor=clerk, counter=counter, at=at, key=ikey,
                                 detail={"before": before.isoformat(), "cases": numbers})
            for c in cases:
                s.add(PurgedCase(case_number=c.case_number, office=c.office, year=c.year,
                                 serial=c.serial, purged_at=at, audit_seq=event.seq))
            for model in (Attachment, StatusChange, Correction):
                s.execute(delete(model).where(model.case_id.in_(ids)))
            s.execute(delete(Case).where(Case.id.in_(ids)))
            return numbers, shas

        numbers, shas = store.write(work)
        if not numbers:
            break
        result.case_numbers.extend(numbers)
        candidates |= shas
    if candidates:
        with store.read() as s:
            still = set(s.execute(
                select(Attachment.sha256).where(Attachment.sha256.in_(candidates))).scalars())
        for sha in sorted(candidates - still):
            if not is_content_hash(sha):
                continue  # an edited row naming a path: never followed (db check reports it)
            store.files.remove(sha)
            result.files_removed += 1
    if result.case_numbers:
        _scrub(store)
    return result


def _scrub(store: CaseStore) -> None:
    """Leave no copy of the deleted rows in the WAL (SQLite) or in dead tuples (PostgreSQL)."""
    if store.engine.dialect.name == "sqlite":
        raw = store.engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
    elif store.engine.dialect.name == "postgresql":
        autocommit = store.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        with autocommit as conn:
            for table in ("cases", "attachments", "status_changes", "corrections"):
                conn.execute(text(f"VACUUM {table}"))
