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
    return safe_cell("" if value is None else value)


@dataclass
class Sheet:
    """One sheet: its name (XLSX only) and its rows; the first rows are usually headings."""

    name: str
    rows: Iterable[Sequence[object]]


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

            # The file is opened first: a folder that cannot be written fails before openpyxl
            # has started its row writers (left open, they complain when collected).
            with open(tmp, "wb") as f:
                wb = Workbook(write_only=True)
                try:
                    for sheet in sheets:
                        ws = wb.create_sheet(sheet.name)
                        for row in sheet.rows:
                            cells: list[Any] = []
                            for v in row:
                                cell = WriteOnlyCell(ws, value=_cell(v))
                                if isinstance(cell.value, str):
                                    cell.data_type = "s"  # openpyxl makes "=..." a formula otherwise
                                cells.append(cell)
                            ws.append(cells)
                            count += 1
                    wb.save(f)
                except BaseException:
                    for ws in wb.worksheets:
                        with contextlib.suppress(Exception):
                            ws.close()
                    raise
    return count
