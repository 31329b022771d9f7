"""Read-only queries for the supervisor's review window that the store does not offer.

A case's own audit events (who opened, revealed, corrected, returned it and
when), the day's counts by status, and the audit chain verdict. Nothing here
writes; every function opens its own read session through the store, so a
worker thread may call them while the window stays responsive.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from records import check, queries
from records.check import CheckReport
from records.models import STATUSES, AuditEvent, Case
from records.store import CaseStore


@dataclass(frozen=True)
class AuditView:
    """One audit event as the review window lists it (no personal data: see records.audit)."""

    seq: int
    at: dt.datetime
    actor: str
    counter: str
    action: str
    detail: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "at": self.at.isoformat(), "actor": self.actor,
                "counter": self.counter, "action": self.action, "detail": self.detail}


def _parse_at(text: str) -> dt.datetime:
    """The chain stores ``2026-11-25T08:01:02.123456Z``; aware UTC back."""
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def _detail(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:  # an edited event: show what is there, verify() names it
        return {"raw": text}
    return value if isinstance(value, dict) else {"value": value}


def case_audit(store: CaseStore, case_id: int) -> list[AuditView]:
    """The audit events of one case, oldest first."""
    with store.read() as s:
        rows = s.execute(
            select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.seq)
        ).scalars()
        return [
            AuditView(e.seq, _parse_at(e.at), e.actor, e.counter, e.action, _detail(e.detail))
            for e in rows
        ]


def status_counts(store: CaseStore, day: dt.date, office: str | None = None) -> dict[str, int]:
    """How many of the Korean day's cases are received, returned and completed."""
    start, end = queries.day_bounds(day)
    q = (select(Case.status, func.count())
         .where(Case.received_at >= start, Case.received_at < end)
         .group_by(Case.status))
    if office:
        q = q.where(Case.office == office)
    counts: Counter[str] = Counter({s: 0 for s in STATUSES})
    with store.read() as s:
        for status, n in s.execute(q):
            counts[str(status)] += int(n)
    return dict(counts)


def verify_chain(store: CaseStore) -> CheckReport:
    """The window's 감사 기록 검증: the one checker of ``db check`` and ``audit verify``."""
    return check.check(store)
