"""``counter-app cases export`` and the review window's 내보내기: the list of cases, masked, audited.

An export is what the supervisor's list shows (:func:`export_query`: its days,
filters, flags and search words), one row a case with the form titles, status,
origin and return reason in Korean and the times as date cells; a workbook
keeps its header in view with an autofilter. It goes through the one
spreadsheet writer (:func:`records.sheets.write_sheets`): masked RRNs only, no
cell a formula, control and bidi characters removed, written whole or not at
all. The export itself is an audit event (who, when, which range and filters,
how many cases, which format, the reason).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

from sqlalchemy import select

from records import queries
from records.caselist import CaseQuery, conditions
from records.models import Case
from records.sheets import FORMULA_STARTS, Sheet, safe_cell, write_sheets
from records.store import CaseStore
from records.views import KST, CaseRow

HEADER = (
    "접수번호", "접수일시", "상태", "서식", "민원인", "주민등록번호(가림)", "대리인",
    "담당자", "창구", "접수 방법", "반려 사유", "처리 일시",
)
WIDTHS = (20, 17, 6, 30, 10, 16, 10, 10, 10, 8, 30, 17)
STATUS_KO = {"received": "접수", "returned": "반려", "completed": "완료"}
SOURCE_KO = {"qr": "QR", "paper": "종이"}
ROW = (*queries.ROW_COLUMNS, Case.status_reason, Case.closed_at)


def _kst(when: dt.datetime | None) -> dt.datetime | None:
    """A stored time as the Korean wall-clock time a spreadsheet shows (it has no zones)."""
    return None if when is None else when.astimezone(KST).replace(tzinfo=None)


def _values(r: CaseRow, reason: Any, closed: Any, title_of: Callable[[str], str]) -> list[object]:
    titles = " · ".join(title_of(code) for code in r.form_codes.split(",") if code)
    return [r.case_number, _kst(r.received_at), STATUS_KO.get(r.status, r.status), titles,
            r.applicant_name, r.applicant_rrn_masked or "", r.delegate_name or "", r.clerk,
            r.counter, SOURCE_KO.get(r.source, r.source), reason or "", _kst(closed)]


def export(
    store: CaseStore, first: dt.date, last: dt.date, fmt: str, out: Path, *,
    clerk: str, counter: str, office: str | None = None, reason: str | None = None,
    title_of: Callable[[str], str] = str,
) -> int:
    """Write the cases received from ``first`` to ``last`` (Korean days) to ``out``; the count."""
    return export_query(store, CaseQuery(first, last, office), fmt, out, clerk=clerk,
                        counter=counter, reason=reason, title_of=title_of)


def export_query(
    store: CaseStore, q: CaseQuery, fmt: str, out: Path, *, clerk: str, counter: str,
    reason: str | None = None, title_of: Callable[[str], str] = str,
) -> int:
    """Write the cases the list ``q`` shows (its days, filters, flags and words) to ``out``.

    One row a case in the list's order: forms by their titles (``title_of``), status,
    origin and return reason in Korean, times as date cells (Korean time); a workbook has
    its header frozen and an autofilter on it. The export is an audit event naming the
    range, the filters, the count and the reason. Returns the count.
    """
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown export format {fmt!r}")
    with store.read() as s:
        stmt = select(*ROW).where(*conditions(q, s)).order_by(Case.received_at, Case.id)
        rows: Iterator[list[object]] = (
            _values(CaseRow(*cast(Any, r[:-2])), r[-2], r[-1], title_of) for r in s.execute(stmt))
        sheet = Sheet("접수 목록", itertools.chain([HEADER], rows), table=True, widths=WIDTHS)
        count = write_sheets(out, fmt, [sheet]) - 1
    first, last = q.days
    store.log("export", None, clerk=clerk, counter=counter, detail={
        "from": first.isoformat(), "to": last.isoformat(), "format": fmt, "cases": count,
        "file": out.name, **({"filters": q.described()} if q.is_filtered() else {}),
        **({"reason": reason} if reason is not None else {}),
    })
    return count


__all__ = ["FORMULA_STARTS", "HEADER", "export", "export_query", "safe_cell"]
