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
from pathlib import Path
from typing import Any

from decoding.text import display_text
from records import queries
from records.atomic import atomic_path
from records.redact import mask_text
from records.store import CaseStore
from records.views import CaseRow, kst

HEADER = (
    "접수번호 case number", "접수일시 received (KST)", "상태 status", "서식 forms",
    "민원인 applicant", "주민등록번호 RRN (masked)", "대리인 delegate", "담당자 clerk",
    "창구 counter", "구분 source",
)


# What makes a spreadsheet read a cell as a formula (or a DDE command, ``cmd|...``).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: object) -> str:
    """A cell's text with control/bidi characters removed and any formula defused
    (a leading apostrophe: what Excel and LibreOffice show as plain text)."""
    text = mask_text(display_text(value))
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _cells(r: CaseRow) -> list[str]:
    return [safe_cell(v) for v in (
        r.case_number, kst(r.received_at), r.status, r.form_codes, r.applicant_name,
        r.applicant_rrn_masked or "", r.delegate_name or "", r.clerk, r.counter, r.source)]


def _text_cells(ws: Any, values: list[str]) -> list[Any]:
    """XLSX cells that are text whatever they hold (openpyxl makes "=..." a formula)."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for v in values:
        cell = WriteOnlyCell(ws, value=v)
        cell.data_type = "s"
        cells.append(cell)
    return cells


def export(
    store: CaseStore, first: dt.date, last: dt.date, fmt: str, out: Path, *,
    clerk: str, counter: str, office: str | None = None, reason: str | None = None,
) -> int:
    """Write the cases received from ``first`` to ``last`` (Korean days) to ``out``; the count."""
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown export format {fmt!r}")
    count = 0
    with atomic_path(out) as tmp, store.read() as s:
        rows = queries.iter_between(s, first, last, office)
        if fmt == "csv":
            # utf-8-sig: Excel on a Korean Windows PC opens it without mojibake.
            with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
                w = csv.writer(f)
                w.writerow(HEADER)
                for r in rows:
                    w.writerow(_cells(r))
                    count += 1
        else:
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            ws = wb.create_sheet("cases")
            ws.append(list(HEADER))
            for r in rows:
                ws.append(_text_cells(ws, _cells(r)))
                count += 1
            wb.save(tmp)
    store.log("export", None, clerk=clerk, counter=counter, detail={
        "from": first.isoformat(), "to": last.isoformat(), "format": fmt, "cases": count,
        "file": out.name, **({"reason": reason} if reason is not None else {}),
    })
    return count
