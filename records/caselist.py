"""The supervisor's list at office-server scale: a :class:`CaseQuery` counted and read a page
at a time.

A range of Korean days and the filters on it (clerk, counter, form, status,
origin, hour, flags, search words) become one set of SQL conditions, served
by the indexes of migration 0005; the list is counted ("showing N of M") and
read :data:`counter_app.review.PAGE_SIZE` rows at a time. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from records import queries
from records.errors import RecordsError
from records.models import STATUSES, AuditEvent, Case, Correction
from records.views import KST, CaseRow


@dataclass(frozen=True)
class Flag:
    """A filter on what happened to a case: ``where`` is its SQL condition on ``cases``."""

    name: str
    label_ko: str
    label_en: str
    where: Callable[[], ColumnElement[bool]]


def _corrected() -> ColumnElement[bool]:
    return Case.id.in_(select(Correction.case_id))


def _warning_overridden() -> ColumnElement[bool]:
    # The intake event counts the catalogue's warnings the clerk accepted the petition with.
    return exists().where(
        AuditEvent.case_id == Case.id, AuditEvent.action == "intake",
        AuditEvent.detail.like('%"warnings":%'),
        not_(AuditEvent.detail.like('%"warnings":0,%')),
        not_(AuditEvent.detail.like('%"warnings":0}%')),
    )


def _documents_missing() -> ColumnElement[bool]:
    # The counter records the required documents accepted without their page, and the
    # clerk's reason, in the intake event (ui.counter.session: "missing_documents").
    return exists().where(
        AuditEvent.case_id == Case.id, AuditEvent.action == "intake",
        AuditEvent.detail.like('%"missing_documents":[%'),
        not_(AuditEvent.detail.like('%"missing_documents":[]%')),
    )


# The one place to add a flag: name, labels and the SQL condition on ``cases``.
FLAGS: dict[str, Flag] = {f.name: f for f in (
    Flag("corrected", "수정됨", "Corrected", _corrected),
    Flag("warning_overridden", "경고 무시", "Warning overridden", _warning_overridden),
    Flag("documents_missing", "서류 누락", "Documents missing", _documents_missing),
)}


FILTER_FIELDS = ("clerk", "counter", "form", "status", "source", "hour", "reason", "wait")
OTHER_REASON = "기타"
# Seconds from the scan (the QR checked) to the accept, as the chart groups them.
WAIT_BUCKETS: tuple[tuple[float, str, str], ...] = (
    (30, "30초 미만", "< 30 s"),
    (60, "30초–1분", "30 s – 1 min"),
    (120, "1–2분", "1–2 min"),
    (300, "2–5분", "2–5 min"),
    (float("inf"), "5분 이상", "5 min +"),
)


def reason_group(reason: str | None) -> str:
    """A return reason's kind: the words before the first colon ("구비서류 미비: …")."""
    text = (reason or "").strip()
    head = text.split(":", 1)[0].strip() if ":" in text else text
    return head[:40] or OTHER_REASON


def wait_bucket(seconds: float) -> int:
    """The index of the WAIT_BUCKETS entry ``seconds`` falls in."""
    return next(i for i, (limit, _, _) in enumerate(WAIT_BUCKETS) if seconds < limit)


def intake_wait(detail: str | None) -> float | None:
    """Seconds from the check to the accept, as the intake event recorded them."""
    try:
        value = json.loads(detail or "").get("check_to_accept_s")
    except (ValueError, AttributeError):
        return None
    return float(value) if isinstance(value, int | float) and value >= 0 else None


@dataclass(frozen=True)
class CaseQuery:
    """What the supervisor's list shows: a range of Korean days and the filters on it.

    ``words`` are the typed search words, each with the form codes whose titles
    contain it (the catalogue lives above this layer); every word must match.
    ``hour`` is a Korean hour of the day (a bar of the per-hour chart).
    """

    first: dt.date
    last: dt.date | None = None
    office: str | None = None
    clerk: str | None = None
    counter: str | None = None
    form: str | None = None
    status: str | None = None
    source: str | None = None
    hour: int | None = None
    reason: str | None = None  # a return reason's kind (a bar of the reasons chart)
    wait: int | None = None  # a scan-to-accept bucket, the index in WAIT_BUCKETS
    forms: tuple[str, ...] = ()  # one of these forms (a chart's "그 외 N" bar)
    clerks: tuple[str, ...] = ()  # one of these clerks (the same, of the clerks chart)
    flags: frozenset[str] = frozenset()
    words: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def days(self) -> tuple[dt.date, dt.date]:
        return self.first, max(self.first, self.last or self.first)

    def unfiltered(self) -> CaseQuery:
        return CaseQuery(self.first, self.last, self.office)

    def is_filtered(self) -> bool:
        return self != self.unfiltered()

    def needs_session(self) -> bool:
        """Whether its conditions are found by reading rows (a reason's kind, a wait)."""
        return self.reason is not None or self.wait is not None

    def described(self) -> dict[str, object]:
        """The filters in force, for the audit trail: the search words are counted, not
        written (a word may be a name)."""
        out: dict[str, object] = {name: value for name in FILTER_FIELDS
                                  if (value := getattr(self, name)) is not None}
        for name in ("forms", "clerks"):
            if getattr(self, name):
                out[name] = list(getattr(self, name))
        if self.flags:
            out["flags"] = sorted(self.flags)
        if self.words:
            out["words"] = len(self.words)
        return out


MAX_HOUR_DAYS = 366  # the hour filter spells out one time range per day (SQL depth stays small)


def conditions(q: CaseQuery, s: Session | None = None) -> list[ColumnElement[bool]]:
    """The SQL conditions of ``q``; a reason's kind or a wait needs the session ``s`` (they
    are told by reading the rows, as the charts that offer them counted them)."""
    first, last = q.days
    start, end = queries.day_bounds(first, last)
    conds: list[ColumnElement[bool]] = [Case.received_at >= start, Case.received_at < end]
    if q.needs_session():
        if s is None:
            raise ValueError("a reason or wait filter is read with a session")
        conds.append(Case.id.in_(_read_ids(s, q, conds)))
    if q.forms:
        conds.append(Case.form_code.in_(q.forms))
    if q.clerks:
        conds.append(Case.clerk.in_(q.clerks))
    if q.office:
        conds.append(Case.office == q.office)
    for column, value in ((Case.clerk, q.clerk), (Case.counter, q.counter),
                          (Case.form_code, q.form), (Case.status, q.status),
                          (Case.source, q.source)):
        if value:
            conds.append(column == value)
    if q.hour is not None:
        days = (last - first).days + 1
        if days > MAX_HOUR_DAYS or not 0 <= q.hour < 24:
            raise RecordsError(
                f"시간대로 거르기는 {MAX_HOUR_DAYS}일 이내의 기간에서 0–23시로만 됩니다",
                f"the hour filter takes an hour 0-23 over at most {MAX_HOUR_DAYS} days")
        spans = []
        for n in range(days):
            at = dt.datetime.combine(first + dt.timedelta(days=n), dt.time(q.hour), KST)
            spans.append(and_(Case.received_at >= at.astimezone(dt.UTC),
                              Case.received_at < (at + dt.timedelta(hours=1)).astimezone(dt.UTC)))
        conds.append(or_(*spans))
    for name in sorted(q.flags):
        flag = FLAGS.get(name)
        if flag is None:
            raise ValueError(f"unknown flag: {name}")
        conds.append(flag.where())
    for typed, codes in q.words:
        # control characters (a pasted NUL would end SQLite's pattern early) are not searched for
        word = "".join(ch for ch in typed if ch.isprintable())
        if not word:
            continue
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        # Hangul and digits have no case: plain LIKE (SQLite's ilike wraps every value in lower())
        folded = any(ch.isascii() and ch.isalpha() for ch in word)
        alts = [c.ilike(pattern, escape="\\") if folded else c.like(pattern, escape="\\") for c in (
            Case.case_number, Case.applicant_name, Case.delegate_name, Case.clerk, Case.counter,
            Case.form_codes)]
        if codes:
            alts.append(Case.form_code.in_(codes))
        conds.append(or_(*alts))
    return conds


def _read_ids(s: Session, q: CaseQuery, base: list[ColumnElement[bool]]) -> list[int]:
    """The cases in the days ``base`` of the reason kind and the wait bucket ``q`` names."""
    ids: set[int] | None = None
    if q.reason is not None:
        rows = s.execute(select(Case.id, Case.status_reason)
                         .where(*base, Case.status == "returned"))
        ids = {i for i, r in rows if reason_group(r) == q.reason}
    if q.wait is not None:
        rows = s.execute(select(AuditEvent.case_id, AuditEvent.detail)
                         .join(Case, Case.id == AuditEvent.case_id)
                         .where(*base, AuditEvent.action == "intake"))
        waited = {i for i, d in rows if (w := intake_wait(d)) is not None and wait_bucket(w) == q.wait}
        ids = waited if ids is None else ids & waited
    return sorted(ids or ())


def count(s: Session, q: CaseQuery) -> int:
    return int(s.execute(select(func.count()).select_from(Case).where(*conditions(q, s))).scalar_one())


def page(s: Session, q: CaseQuery, offset: int, limit: int) -> list[CaseRow]:
    """Rows ``offset``..``offset+limit`` of the list, oldest first."""
    # The ids first: an OFFSET over an index holding them (received_at, then the row id) skips
    # rows without reading them, so the last page of a busy day costs what the first does.
    ids = (select(Case.id).where(*conditions(q, s))
           .order_by(Case.received_at, Case.id).offset(offset).limit(limit))
    stmt = select(*queries.ROW_COLUMNS).where(Case.id.in_(ids)).order_by(Case.received_at, Case.id)
    return [CaseRow(*cast(Any, r)) for r in s.execute(stmt)]


def position(s: Session, q: CaseQuery, case_id: int) -> int:
    """Where a case is in the list (its row), or -1 when the filters leave it out."""
    found = s.execute(select(Case.received_at).where(Case.id == case_id, *conditions(q, s))).first()
    if found is None:
        return -1
    at = found[0]
    before = or_(Case.received_at < at, and_(Case.received_at == at, Case.id < case_id))
    return int(s.execute(select(func.count()).select_from(Case)
                         .where(*conditions(q, s), before)).scalar_one())


def choices(s: Session, q: CaseQuery) -> dict[str, list[str]]:
    """The clerks, counters and forms found in the range: what the filter lists offer."""
    conds = conditions(q.unfiltered())
    out: dict[str, list[str]] = {}
    for name, column in (("clerk", Case.clerk), ("counter", Case.counter),
                         ("form", Case.form_code)):
        out[name] = sorted(str(v) for v in s.execute(select(column).where(*conds).distinct()).scalars())
    return out


def counts_by_status(s: Session, q: CaseQuery) -> dict[str, int]:
    counts: Counter[str] = Counter({st: 0 for st in STATUSES})
    for status, n in s.execute(select(Case.status, func.count()).where(*conditions(q, s))
                               .group_by(Case.status)):
        counts[str(status)] += int(n)
    return dict(counts)
