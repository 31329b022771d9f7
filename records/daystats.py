"""The day at a glance: what the supervisor's charts and the daily report show.

Counts of a range of Korean days by hour, form, clerk, origin (QR or paper)
and status; how long the clerks took from the scan to the accept; the
returned cases with their reasons; and who revealed, printed or exported
personal data. No personal data is read: case numbers, forms, clerks,
reasons and counts only.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from records import queries
from records.caselist import (
    WAIT_BUCKETS,
    CaseQuery,
    conditions,
    count,
    intake_wait,
    reason_group,
    wait_bucket,
)
from records.models import STATUSES, AuditEvent, Case
from records.views import KST

ACCESS_ACTIONS = ("reveal_rrn", "print", "export")


@dataclass(frozen=True)
class Returned:
    case_number: str
    at: dt.datetime
    form_code: str
    clerk: str
    counter: str
    reason: str


@dataclass(frozen=True)
class Access:
    """One reveal, print or export: who, when, where, which case (if one) and what."""

    at: dt.datetime
    actor: str
    counter: str
    action: str
    case_number: str | None
    detail: dict[str, object]


@dataclass(frozen=True)
class DayStats:
    first: dt.date
    last: dt.date
    total: int
    by_status: dict[str, int]
    by_hour: list[tuple[int, int]]  # Korean hour, cases; office hours always shown
    by_form: list[tuple[str, int]]  # most first
    by_clerk: list[tuple[str, int]]
    by_source: dict[str, int]  # "qr", "paper"
    waits: list[int] = field(default_factory=list)  # cases per WAIT_BUCKETS entry
    wait_median_s: float | None = None
    reasons: list[tuple[str, int]] = field(default_factory=list)  # return reasons, grouped
    returned: list[Returned] = field(default_factory=list)
    access: list[Access] = field(default_factory=list)
    corrected: int = 0
    warnings_accepted: int = 0  # accepted with the catalogue's warnings (the clerk's decision)
    documents_missing: int = 0  # accepted without a required document's page (with a reason)
    complete_median_s: float | None = None  # received → completed, of the cases completed


def _grouped(s: Session, q: CaseQuery, column: InstrumentedAttribute[str]) -> list[tuple[str, int]]:
    rows = s.execute(select(column, func.count()).where(*conditions(q, s))
                     .group_by(column).order_by(func.count().desc(), column))
    return [(str(k), int(n)) for k, n in rows]


def _iso(when: dt.datetime) -> str:
    """A time as the audit chain stores it (text that sorts as time does)."""
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def day_stats(s: Session, first: dt.date, last: dt.date | None = None,
              office: str | None = None) -> DayStats:
    q = CaseQuery(first, last, office)
    first, last = q.days
    by_status = {st: 0 for st in STATUSES} | dict(_grouped(s, q, Case.status))
    hours: Counter[int] = Counter()
    for (at,) in s.execute(select(Case.received_at).where(*conditions(q, s))):
        hours[at.astimezone(KST).hour] += 1
    shown = sorted(set(range(9, 18)) | set(hours))  # office hours, and any case outside them
    start, end = queries.day_bounds(first, last)
    at_range = (AuditEvent.at >= _iso(start), AuditEvent.at < _iso(end))
    # the waits of the cases in the list (their intake events), as the wait filter reads them
    waits = [w for (detail,) in s.execute(
        select(AuditEvent.detail).join(Case, Case.id == AuditEvent.case_id)
        .where(*conditions(q, s), AuditEvent.action == "intake"))
        if (w := intake_wait(detail)) is not None]
    buckets = [0] * len(WAIT_BUCKETS)
    for w in waits:
        buckets[wait_bucket(w)] += 1
    returned = [Returned(number, closed or received, form, clerk, counter, reason or "")
                for number, closed, received, form, clerk, counter, reason in s.execute(
        select(Case.case_number, Case.closed_at, Case.received_at, Case.form_code, Case.clerk,
               Case.counter, Case.status_reason)
        .where(*conditions(CaseQuery(first, last, office, status="returned"), s))
        .order_by(Case.received_at, Case.id))]
    reasons = Counter(reason_group(r.reason) for r in returned)
    events = [(e, _detail(e.detail)) for e in s.execute(
        select(AuditEvent).where(AuditEvent.action.in_(ACCESS_ACTIONS), *at_range)
        .order_by(AuditEvent.seq)).scalars()]
    # a reveal at the counter names the petition's payload: the case it became, if it did
    payloads = {str(d["payload_id"]) for e, d in events if e.case_number is None and d.get("payload_id")}
    became = dict(s.execute(select(Case.payload_id, Case.case_number)
                            .where(Case.payload_id.in_(sorted(payloads))))) if payloads else {}
    access = [Access(_parse_at(e.at), e.actor, e.counter, e.action,
                     e.case_number or became.get(str(d.get("payload_id"))), d) for e, d in events]

    def flagged(name: str) -> int:
        return count(s, CaseQuery(first, last, office, flags=frozenset({name})))

    done = [(closed - received).total_seconds() for received, closed in s.execute(
        select(Case.received_at, Case.closed_at)
        .where(*conditions(CaseQuery(first, last, office, status="completed"), s)))
        if closed is not None and closed >= received]
    return DayStats(
        first=first, last=last, total=sum(by_status.values()), by_status=by_status,
        by_hour=[(h, hours[h]) for h in shown],
        by_form=_grouped(s, q, Case.form_code), by_clerk=_grouped(s, q, Case.clerk),
        by_source={"qr": 0, "paper": 0} | dict(_grouped(s, q, Case.source)),
        waits=buckets, wait_median_s=statistics.median(waits) if waits else None,
        reasons=sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])),
        returned=returned, access=access, corrected=flagged("corrected"),
        warnings_accepted=flagged("warning_overridden"),
        documents_missing=flagged("documents_missing"),
        complete_median_s=statistics.median(done) if done else None,
    )


def _detail(text: str) -> dict[str, object]:
    try:
        value = json.loads(text)
    except ValueError:
        return {"raw": text}
    return value if isinstance(value, dict) else {"value": value}
