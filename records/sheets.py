"""The one writer of spreadsheets (CSV and XLSX): no cell can act as a formula.

Every table the program writes for a spreadsheet -- the case export, the
access review -- goes through :func:`write_sheets`. A value a spreadsheet
would take as a formula (starting with ``= + - @``, a tab or a carriage
return, or their full-width forms; ``=HYPERLINK(...)`` in a return reason) is
written with a leading apostrophe in CSV and as a plain text cell in XLSX;
control and bidi characters are removed and RRNs masked (:func:`safe_cell`).
Numbers stay numbers. The file is written through :func:`records.atomic.atomic_path`, so a full
disk never leaves half a file that looks whole.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from decoding.text import display_text
from records.atomic import atomic_path
from records.redact import mask_text

# What makes a spreadsheet read a cell as a formula (or a DDE command, ``cmd|...``).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

Cell = str | int | None
DATE_FORMAT = "yyyy-mm-dd hh:mm"  # a time in a workbook: a date cell, Korean wall-clock time


def safe_cell(value: object) -> str:
    """A cell's text with control/bidi characters removed and any formula defused
    (a leading apostrophe: what Excel and LibreOffice show as plain text)."""
    text = mask_text(display_text(value))
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _cell(value: object) -> str | int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value  # a count or a sequence number: a number cell, never a formula
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")  # CSV: the time as Korean offices write it
    return safe_cell("" if value is None else value)


@dataclass
class Sheet:
    """One sheet: its name (XLSX only) and its rows; the first rows are usually headings.

    ``table``: the first row is a header to keep in view (frozen) with an autofilter on
    it, as a list a supervisor sorts and filters; ``widths``: the columns' widths.
    A :class:`datetime.datetime` (naive, Korean time) is a date cell in XLSX.
    """

    name: str
    rows: Iterable[Sequence[object]]
    table: bool = False
    widths: Sequence[int] = ()


def write_sheets(out: Path, fmt: str, sheets: Sequence[Sheet]) -> int:
    """Write ``sheets`` to ``out`` as ``fmt`` ("csv": the first sheet only; "xlsx"); rows written.

    CSV is UTF-8 with a byte order mark, so Excel on a Korean Windows PC opens it
    without mojibake.
    """
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown spreadsheet format {fmt!r}")
    count = 0
    with atomic_path(out) as tmp:
        if fmt == "csv":
            with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
                w = csv.writer(f)
                for row in sheets[0].rows:
                    w.writerow([_cell(v) for v in row])
                    count += 1
        else:
            from openpyxl import Workbook
            from openpyxl.cell import WriteOnlyCell
            from openpyxl.utils import get_column_letter

            # The file is opened first: a folder that cannot be written fails before openpyxl
            # has started its row writers (left open, they complain when collected).
            with open(tmp, "wb") as f:
                wb = Workbook(write_only=True)
                try:
                    for sheet in sheets:
                        ws = wb.create_sheet(sheet.name)
                        if sheet.table:
                            ws.freeze_panes = "A2"
                        for col, width in enumerate(sheet.widths, start=1):
                            ws.column_dimensions[get_column_letter(col)].width = width
                        n = wide = 0
                        for row in sheet.rows:
                            cells: list[Any] = []
                            for v in row:
                                if isinstance(v, dt.datetime):
                                    cell = WriteOnlyCell(ws, value=v)
                                    cell.number_format = DATE_FORMAT
                                else:
                                    cell = WriteOnlyCell(ws, value=_cell(v))
                                    if isinstance(cell.value, str):
                                        cell.data_type = "s"  # openpyxl makes "=..." a formula otherwise
                                cells.append(cell)
                            ws.append(cells)
                            n, wide = n + 1, max(wide, len(cells))
                        if sheet.table and n and wide:
                            ws.auto_filter.ref = f"A1:{get_column_letter(wide)}{n}"
                        count += n
                    wb.save(f)
                except BaseException:
                    for ws in wb.worksheets:
                        with contextlib.suppress(Exception):
                            ws.close()
                    raise
    return count
