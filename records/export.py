"""``counter-app cases export``: a date range of cases as CSV or XLSX, masked, audited.

Exports carry masked RRNs only, and no cell can act as a formula: a value
that a spreadsheet would take as one (starting with ``= + - @``, a tab or a
carriage return, or their full-width forms) is written with a leading
apostrophe in CSV and as a plain text cell in XLSX; control and bidi
characters are removed (:func:`safe_cell`). Exports carry masked RRNs only; the export itself is an audit event (who,
when, which range, how many cases, which format). The file is written to a
temporary name and renamed, so a full disk never leaves half a report that
looks whole.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

from sqlalchemy import select

from decoding.text import display_text
from records import queries
from records.atomic import atomic_path
from records.caselist import CaseQuery, conditions
from records.models import Case
from records.redact import mask_text
from records.store import CaseStore
from records.views import KST, CaseRow

HEADER = (
    "접수번호", "접수일시", "상태", "서식", "민원인", "주민등록번호(가림)", "대리인",
    "담당자", "창구", "접수 방법", "반려 사유", "처리 일시",
)
DATE_COLUMNS = (1, 11)  # 접수일시, 처리 일시: date-and-time cells in a workbook
DATE_FORMAT = "yyyy-mm-dd hh:mm"
STATUS_KO = {"received": "접수", "returned": "반려", "completed": "완료"}
SOURCE_KO = {"qr": "QR", "paper": "종이"}
ROW = (*queries.ROW_COLUMNS, Case.status_reason, Case.closed_at)


# What makes a spreadsheet read a cell as a formula (or a DDE command, ``cmd|...``).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: object) -> str:
    """A cell's text with control/bidi characters removed and any formula defused
    (a leading apostrophe: what Excel and LibreOffice show as plain text)."""
    text = mask_text(display_text(value))
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _kst(when: dt.datetime | None) -> dt.datetime | None:
    """A stored time as the Korean wall-clock time a spreadsheet shows (it has no zones)."""
    return None if when is None else when.astimezone(KST).replace(tzinfo=None)


def _values(r: CaseRow, reason: str | None, closed: dt.datetime | None,
            title_of: Callable[[str], str]) -> list[object]:  # fmt: skip
    titles = " · ".join(title_of(code) for code in r.form_codes.split(",") if code)
    return [r.case_number, _kst(r.received_at), STATUS_KO.get(r.status, r.status), titles,
            r.applicant_name, r.applicant_rrn_masked or "", r.delegate_name or "", r.clerk,
            r.counter, SOURCE_KO.get(r.source, r.source), reason or "", _kst(closed)]  # fmt: skip


def _csv_cell(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return safe_cell("" if value is None else value)


def _sheet_cells(ws: Any, values: list[object]) -> list[Any]:
    """XLSX cells: times as date cells, everything else text whatever it holds (openpyxl
    would make "=..." a formula)."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for v in values:
        if isinstance(v, dt.datetime):
            cell = WriteOnlyCell(ws, value=v)
            cell.number_format = DATE_FORMAT
        else:
            cell = WriteOnlyCell(ws, value=safe_cell("" if v is None else v))
            cell.data_type = "s"
        cells.append(cell)
    return cells


def export(
    store: CaseStore, first: dt.date, last: dt.date, fmt: str, out: Path, *,
    clerk: str, counter: str, office: str | None = None, reason: str | None = None,
    title_of: Callable[[str], str] = str,
) -> int:
    """Write the cases received from ``first`` to ``last`` (Korean days) to ``out``; the count."""
    return export_query(store, CaseQuery(first, last, office), fmt, out, clerk=clerk,
                        counter=counter, reason=reason, title_of=title_of)  # fmt: skip


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
    count = 0
    with atomic_path(out) as tmp, store.read() as s:
        stmt = select(*ROW).where(*conditions(q, s)).order_by(Case.received_at, Case.id)
        rows: Iterator[tuple[CaseRow, Any, Any]] = (
            (CaseRow(*cast(Any, r[:-2])), r[-2], r[-1]) for r in s.execute(stmt))
        if fmt == "csv":
            # utf-8-sig: Excel on a Korean Windows PC opens it without mojibake.
            with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
                w = csv.writer(f)
                w.writerow(HEADER)
                for row, why, closed in rows:
                    w.writerow([_csv_cell(v) for v in _values(row, why, closed, title_of)])
                    count += 1
        else:
            from openpyxl import Workbook
            from openpyxl.utils import get_column_letter

            wb = Workbook(write_only=True)
            ws = wb.create_sheet("접수 목록")
            ws.freeze_panes = "A2"
            for col, width in enumerate((20, 17, 6, 30, 10, 16, 10, 10, 10, 8, 30, 17), start=1):
                ws.column_dimensions[get_column_letter(col)].width = width
            ws.append(list(HEADER))
            for row, why, closed in rows:
                ws.append(_sheet_cells(ws, _values(row, why, closed, title_of)))
                count += 1
            ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADER))}{count + 1}"
            wb.save(tmp)
    first, last = q.days
    store.log("export", None, clerk=clerk, counter=counter, detail={
        "from": first.isoformat(), "to": last.isoformat(), "format": fmt, "cases": count,
        "file": out.name, **({"filters": q.described()} if q.is_filtered() else {}),
        **({"reason": reason} if reason is not None else {}),
    })
    return count
