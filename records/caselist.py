"""The supervisor's list at office-server scale: a :class:`CaseQuery` counted and read a page
at a time.

A range of Korean days and the filters on it (clerk, counter, form, status,
origin, hour, flags, search words) become one set of SQL conditions, served
by the indexes of migration 0005; the list is counted ("showing N of M") and
read :data:`counter_app.review.PAGE_SIZE` rows at a time. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
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
    )  # fmt: skip


def _documents_missing() -> ColumnElement[bool]:
    # The counter records the required documents accepted without their page, and the
    # clerk's reason, in the intake event (ui.counter.session: "missing_documents").
    return exists().where(
        AuditEvent.case_id == Case.id, AuditEvent.action == "intake",
        AuditEvent.detail.like('%"missing_documents":[%'),
        not_(AuditEvent.detail.like('%"missing_documents":[]%')),
    )  # fmt: skip


# The one place to add a flag: name, labels and the SQL condition on ``cases``.
FLAGS: dict[str, Flag] = {f.name: f for f in (
    Flag("corrected", "수정됨", "Corrected", _corrected),
    Flag("warning_overridden", "경고 무시", "Warning overridden", _warning_overridden),
    Flag("documents_missing", "서류 누락", "Documents missing", _documents_missing),
)}  # fmt: skip


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
    flags: frozenset[str] = frozenset()
    words: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def days(self) -> tuple[dt.date, dt.date]:
        return self.first, max(self.first, self.last or self.first)

    def unfiltered(self) -> CaseQuery:
        return CaseQuery(self.first, self.last, self.office)

    def is_filtered(self) -> bool:
        return self != self.unfiltered()


MAX_HOUR_DAYS = 366  # the hour filter spells out one time range per day (SQL depth stays small)


def conditions(q: CaseQuery) -> list[ColumnElement[bool]]:
    first, last = q.days
    start, end = queries.day_bounds(first, last)
    conds: list[ColumnElement[bool]] = [Case.received_at >= start, Case.received_at < end]
    if q.office:
        conds.append(Case.office == q.office)
    for column, value in ((Case.clerk, q.clerk), (Case.counter, q.counter),
                          (Case.form_code, q.form), (Case.status, q.status),
                          (Case.source, q.source)):  # fmt: skip
        if value:
            conds.append(column == value)
    if q.hour is not None:
        days = (last - first).days + 1
        if days > MAX_HOUR_DAYS or not 0 <= q.hour < 24:
            raise RecordsError(
                f"시간대로 거르기는 {MAX_HOUR_DAYS}일 이내의 기간에서 0–23시로만 됩니다",
                f"the hour filter takes an hour 0-23 over at most {MAX_HOUR_DAYS} days")  # fmt: skip
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
            Case.form_codes)]  # fmt: skip
        if codes:
            alts.append(Case.form_code.in_(codes))
        conds.append(or_(*alts))
    return conds


def count(s: Session, q: CaseQuery) -> int:
    return int(s.execute(select(func.count()).select_from(Case).where(*conditions(q))).scalar_one())


def page(s: Session, q: CaseQuery, offset: int, limit: int) -> list[CaseRow]:
    """Rows ``offset``..``offset+limit`` of the list, oldest first."""
    # The ids first: an OFFSET over an index holding them (received_at, then the row id) skips
    # rows without reading them, so the last page of a busy day costs what the first does.
    ids = (select(Case.id).where(*conditions(q))
           .order_by(Case.received_at, Case.id).offset(offset).limit(limit))
    stmt = select(*queries.ROW_COLUMNS).where(Case.id.in_(ids)).order_by(Case.received_at, Case.id)
    return [CaseRow(*cast(Any, r)) for r in s.execute(stmt)]


def position(s: Session, q: CaseQuery, case_id: int) -> int:
    """Where a case is in the list (its row), or -1 when the filters leave it out."""
    found = s.execute(select(Case.received_at).where(Case.id == case_id, *conditions(q))).first()
    if found is None:
        return -1
    at = found[0]
    before = or_(Case.received_at < at, and_(Case.received_at == at, Case.id < case_id))
    return int(s.execute(select(func.count()).select_from(Case)
                         .where(*conditions(q), before)).scalar_one())  # fmt: skip


def choices(s: Session, q: CaseQuery) -> dict[str, list[str]]:
    """The clerks, counters and forms found in the range: what the filter lists offer."""
    conds = conditions(q.unfiltered())
    out: dict[str, list[str]] = {}
    for name, column in (("clerk", Case.clerk), ("counter", Case.counter),
                         ("form", Case.form_code)):  # fmt: skip
        out[name] = sorted(str(v) for v in s.execute(select(column).where(*conds).distinct()).scalars())
    return out


def counts_by_status(s: Session, q: CaseQuery) -> dict[str, int]:
    counts: Counter[str] = Counter({st: 0 for st in STATUSES})
    for status, n in s.execute(select(Case.status, func.count()).where(*conditions(q))
                               .group_by(Case.status)):  # fmt: skip
        counts[str(status)] += int(n)
    return dict(counts)
