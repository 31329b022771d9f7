"""``counter-app intake``, ``cases list|show|export``, ``db upgrade``: the JSON they print."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app.cli import main
from decoding.keys import load_public_key
from decoding.payload import encode
from decoding.qrimage import qr_png
from records.views import KST
from tests.records.support import KEY_PATH, PUB_PATH, db_url, document

__all__ = ["db_url"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.startswith("{") else out)


def qr_file(tmp_path: Path, name: str = "qr.txt", doc: dict[str, Any] | None = None) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(encode(doc or document(), load_public_key(PUB_PATH))) + "\n")
    return path


def test_intake_prints_one_json_object(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "p1.png"
    page.write_bytes(b"\x89PNG page")
    files = ["--files", str(tmp_path / "files"), "--data-key", str(tmp_path / "k")]
    qr = qr_file(tmp_path)
    code, out = run(capsys, "intake", "--db", db_url, "--key", str(KEY_PATH), *files,
                    "--attach", str(page), "--seal", str(page), "--clerk", "kim",
                    "--office", "3210000", str(qr))
    assert code == 0
    assert set(out) == {"ok", "case_number", "case_id"} and out["ok"] is True
    year = dt.datetime.now(KST).year
    assert out["case_number"] == f"3210000-{year}-000001"

    code, again = run(capsys, "intake", "--db", db_url, "--key", str(KEY_PATH), *files, str(qr))
    assert code == 1 and again["ok"] is False and again["error"] == "MW_REPLAY"
    assert again["details"]["case_number"] == out["case_number"]
    assert again["details"]["clerk"] == "kim"

    # a rejection looks exactly as `decode` prints it
    bad = tmp_path / "bad.txt"
    bad.write_text("MW1:NOT BASE45 ~~~\n")
    code, rejected = run(capsys, "intake", "--db", db_url, "--key", str(KEY_PATH), *files,
                         str(bad))
    code2, decoded = run(capsys, "decode", "--key", str(KEY_PATH), str(bad))
    assert code == code2 == 1 and rejected == decoded and rejected["error"].startswith("MW_")

    code, listing = run(capsys, "cases", "list", "--db", db_url, *files,
                        "--date", dt.datetime.now(KST).date().isoformat(), "--json")
    assert code == 0 and listing["ok"] is True and listing["count"] == 1
    row = listing["cases"][0]
    assert row["case_number"] == out["case_number"] and row["applicant_rrn"] == "900101-1******"

    # every command that writes to the audit trail needs the office key (the chain is keyed)
    keyed = [*files, "--key", str(KEY_PATH)]
    code, shown = run(capsys, "cases", "show", "--db", db_url, *keyed, out["case_number"],
                      "--json")
    assert code == 0 and shown["case"]["case_id"] == out["case_id"]
    assert [a["kind"] for a in shown["case"]["attachments"]] == ["page", "seal"]
    assert "9001011234568" not in json.dumps(shown)

    code, ret = run(capsys, "cases", "return", "--db", db_url, *keyed, out["case_number"],
                    "--reason", "신분증 미지참")
    assert code == 0 and ret == {"ok": True, "case_number": out["case_number"],
                                 "case_id": out["case_id"], "status": "returned"}
    code, again = run(capsys, "cases", "complete", "--db", db_url, *keyed, str(out["case_id"]))
    assert code == 1 and again["error"] == "DB_INVALID_CHANGE"

    code, missing = run(capsys, "cases", "show", "--db", db_url, *keyed, "3210000-1999-000009")
    assert code == 1 and missing["error"] == "DB_CASE_NOT_FOUND"


def test_intake_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'cases.db'}"
    qr = qr_file(tmp_path)
    code, out = run(capsys, "intake", "--db", db, "--key", str(KEY_PATH), "--attach",
                    str(tmp_path / "nope.png"), str(qr))
    assert code == 2 and out["error"] == "USAGE"
    code, out = run(capsys, "intake", "--db", db, "--key", str(tmp_path / "nokey.pem"), str(qr))
    assert code == 2
    # nothing was written by the refused commands
    assert not (tmp_path / "cases.db").exists()
    code, out = run(capsys, "cases", "list", "--db", db, "--date", "2026-01-01")
    assert code == 1 and "not found" in out["message"]


def test_export_and_upgrade(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'cases.db'}"
    code, up = run(capsys, "db", "upgrade", "--db", db)
    assert code == 0 and up["applied"] is True and up["revision"]
    code, up = run(capsys, "db", "upgrade", "--db", db)
    assert code == 0 and up["applied"] is False
    for i in range(3):
        code, _ = run(capsys, "intake", "--db", db, "--key", str(KEY_PATH),
                      str(qr_file(tmp_path, f"q{i}.txt")))
        assert code == 0
    today = dt.datetime.now(KST).date().isoformat()
    out_csv = tmp_path / "cases.csv"
    code, res = run(capsys, "cases", "export", "--db", db, "--from", today, "--to", today,
                    "--format", "csv", "--out", str(out_csv), "--key", str(KEY_PATH))
    assert code == 0 and res == {"ok": True, "cases": 3, "format": "csv", "out": str(out_csv)}
    rows = list(csv.reader(out_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 4 and rows[1][5] == "900101-1******"
    assert "9001011234568" not in out_csv.read_text(encoding="utf-8-sig")
    out_xlsx = tmp_path / "cases.xlsx"
    code, res = run(capsys, "cases", "export", "--db", db, "--from", today, "--to", today,
                    "--format", "xlsx", "--out", str(out_xlsx), "--key", str(KEY_PATH))
    assert code == 0 and res["cases"] == 3
    wb = load_workbook(out_xlsx, read_only=True)
    assert len(list(wb.active.iter_rows())) == 4
    wb.close()
    code, verdict = run(capsys, "audit", "verify", "--db", db, "--key", str(KEY_PATH))
    assert code == 0 and verdict["events"] == 5  # 3 intakes, 2 exports


def test_default_database_lives_in_the_data_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = Path(os.environ["COUNTER_APP_DATA"])  # a temp folder (tests/conftest.py)
    page = tmp_path / "p.png"
    page.write_bytes(b"\x89PNG")
    code, out = run(capsys, "intake", "--key", str(KEY_PATH), "--attach", str(page),
                    str(qr_file(tmp_path)))
    assert code == 0 and out["ok"] is True
    assert (data / "cases.db").exists() and (data / "cases.db.key").exists()
    assert len(list((data / "cases-attachments").glob("??/*"))) == 1
    with sqlite3.connect(data / "cases.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    code, listing = run(capsys, "cases", "list", "--json",
                        "--date", dt.datetime.now(KST).date().isoformat())
    assert code == 0 and listing["count"] == 1


def test_intake_from_a_photo_of_the_qr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    texts = encode(document(), load_public_key(PUB_PATH))
    images = [str(qr_png(t, tmp_path / f"qr{i}.png", scale=4)) for i, t in enumerate(texts)]
    args = [arg for img in images for arg in ("--image", img)]
    code, out = run(capsys, "intake", "--db", f"sqlite:///{tmp_path / 'c.db'}", "--key",
                    str(KEY_PATH), *args)
    assert code == 0 and out["ok"] is True


def test_locked_database_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'cases.db'}"
    assert run(capsys, "db", "upgrade", "--db", db)[0] == 0
    qr = qr_file(tmp_path)
    holder = sqlite3.connect(tmp_path / "cases.db", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another counter mid-write
        code, out = run(capsys, "intake", "--db", db, "--key", str(KEY_PATH), "--wait", "0.2",
                        str(qr))
        assert code == 1 and out["error"] == "DB_LOCKED"
        assert "잠겨" in out["message"] and "locked" in out["message"]
    finally:
        holder.close()
    code, out = run(capsys, "intake", "--db", db, "--key", str(KEY_PATH), str(qr))
    assert code == 0 and out["case_number"].endswith("000001")  # nothing was taken before
