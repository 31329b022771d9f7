"""``counter-app cases export``: a date range of cases as CSV or XLSX, masked, audited.

Exports carry masked RRNs only, and no cell can act as a formula: a value
that a spreadsheet would take as one (starting with ``= + - @``, a tab or a
carriage return, or their full-width forms) is written with a leading
apostrophe in CSV and as a plain text cell in XLSX; control and bidi
characters are removed (:func:`records.sheets.safe_cell`, the one spreadsheet writer). Exports carry masked RRNs only; the export itself is an audit event (who,
when, which range, how many cases, which format). The file is written to a
temporary name and renamed, so a full disk never leaves half a report that
looks whole.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from records import queries
from records.sheets import FORMULA_STARTS, Sheet, safe_cell, write_sheets
from records.store import CaseStore
from records.views import CaseRow, kst

HEADER = (
    "접수번호 case number", "접수일시 received (KST)", "상태 status", "서식 forms",
    "민원인 applicant", "주민등록번호 RRN (masked)", "대리인 delegate", "담당자 clerk",
    "창구 counter", "구분 source",
)


def _cells(r: CaseRow) -> list[object]:
    """A case's row as it is; :func:`records.sheets.write_sheets` makes each cell safe."""
    return [r.case_number, kst(r.received_at), r.status, r.form_codes, r.applicant_name,
            r.applicant_rrn_masked or "", r.delegate_name or "", r.clerk, r.counter, r.source]


def export(
    store: CaseStore, first: dt.date, last: dt.date, fmt: str, out: Path, *,
    clerk: str, counter: str, office: str | None = None, reason: str | None = None,
) -> int:
    """Write the cases received from ``first`` to ``last`` (Korean days) to ``out``; the count."""
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown export format {fmt!r}")
    with store.read() as s:
        rows = (_cells(r) for r in queries.iter_between(s, first, last, office))
        count = write_sheets(out, fmt, [Sheet("cases", itertools.chain([HEADER], rows))]) - 1
    store.log("export", None, clerk=clerk, counter=counter, detail={
        "from": first.isoformat(), "to": last.isoformat(), "format": fmt, "cases": count,
        "file": out.name, **({"reason": reason} if reason is not None else {}),
    })
    return count


__all__ = ["FORMULA_STARTS", "HEADER", "export", "safe_cell"]
