"""Citizen text in exports and on the terminal: no live formula, no escape sequence."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from app.cli import main
from records import export
from records.models import Case
from records.store import CaseStore
from records.views import KST
from tests.records.support import KEY_PATH, applicant, document, new_case, payload_id

NAMES = ['=HYPERLINK("http://evil.example","보기")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
         "＝1+1", " =1+1"]


def _record(store: CaseStore, name: str) -> str:
    pid = payload_id()
    doc = document(pid)
    doc["applicant"] = applicant(name=name)
    return store.record(new_case(pid, document=doc)).case_number


def test_exports_neutralise_formulas(store: CaseStore, tmp_path: Path) -> None:
    for name in NAMES:
        _record(store, name)
    today = dt.datetime.now(KST).date()
    out_csv, out_xlsx = tmp_path / "d.csv", tmp_path / "d.xlsx"
    export.export(store, today, today, "csv", out_csv, clerk="kim", counter="민원1")
    export.export(store, today, today, "xlsx", out_xlsx, clerk="kim", counter="민원1")
    rows = list(csv.reader(out_csv.read_text(encoding="utf-8-sig").splitlines()))[1:]
    assert sorted(r[4] for r in rows) == sorted("'" + n for n in NAMES)
    for r in rows:
        assert not any(c.lstrip().startswith(("=", "+", "-", "@", "＝")) for c in r), r
    wb = load_workbook(out_xlsx)
    cells = [c for row in wb.active.iter_rows(min_row=2) for c in row]
    # text is text whatever it holds; only the two time columns are date cells
    dates = {c.column_letter for c in cells if c.data_type == "d"}
    assert dates <= {"B", "L"} and all(isinstance(c.value, dt.datetime) for c in cells if c.data_type == "d")
    text = {c.data_type for c in cells if c.value is not None and c.column_letter not in ("B", "L")}
    assert text == {"s"}, {(c.data_type, c.value) for c in cells}
    assert sorted(c.value for c in wb.active["E"][1:]) == sorted("'" + n for n in NAMES)
    with zipfile.ZipFile(out_xlsx) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet  # no formula element anywhere


def test_cases_list_strips_terminal_escapes(
    store: CaseStore, capsys: pytest.CaptureFixture[str]
) -> None:
    number = _record(store, "홍길동")
    with store.engine.begin() as conn:  # an edited row: the reader would have refused it
        conn.execute(update(Case).values(applicant_name="홍\x1b]0;pwned\x07\x1b[2J길동\u202e",
                                         clerk="kim\x9b31m"))
    today = dt.datetime.now(KST).date().isoformat()
    args = ["--db", store.url, "--files", str(store.files.root), "--key", str(KEY_PATH),
            "--data-key", str(store.key_file)]
    assert main(["cases", "list", "--date", today, *args]) == 0
    out = capsys.readouterr().out
    assert number in out and "홍길동" in out
    assert not any(c in out for c in "\x1b\x07\x9b\u202e")
    assert main(["cases", "list", "--date", today, "--json", *args]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in "\x1b\x07\x9b\u202e") and "\\u001b" in out
    assert main(["cases", "show", number, *args]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in "\x1b\x07\x9b\u202e")
