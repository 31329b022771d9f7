"""``counter-app users`` and ``--as`` on the commands that read personal data or change cases."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from tests.counter_app.test_intake_cli import qr_file
from tests.records.support import KEY_PATH


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.startswith("{") else out)


@pytest.fixture
def office(tmp_path: Path) -> dict[str, Any]:
    pw = {}
    for name, text in (("boss", "Admin-pass-1"), ("kim", "Clerk-pass-1"), ("park", "Chief-pass-1"),
                       ("wrong", "not-the-pass-9")):
        pw[name] = tmp_path / f"{name}.pw"
        pw[name].write_text(text + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'cases.db'}"
    common = ["--db", db, "--files", str(tmp_path / "files"), "--data-key", str(tmp_path / "k"),
              "--key", str(KEY_PATH)]
    return {"pw": pw, "db": db, "common": common, "file": tmp_path / "cases.db"}


def audit_rows(office: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    con = sqlite3.connect(office["file"])
    try:
        rows = con.execute("SELECT actor, counter, action, detail FROM audit_events ORDER BY seq").fetchall()
    finally:
        con.close()
    return [(a, c, x, json.loads(d)) for a, c, x, d in rows]


def as_(office: dict[str, Any], who: str, pw: str | None = None) -> list[str]:
    return ["--as", who, "--password-file", str(office["pw"][pw or who])]


def make_office(capsys: pytest.CaptureFixture[str], office: dict[str, Any]) -> None:
    c = office["common"]
    code, out = run(capsys, "users", "add", "kim", "--role", "clerk", "--new-password-file",
                    str(office["pw"]["kim"]), *c)
    assert code == 1 and "first account must be an admin" in out["message"]
    code, out = run(capsys, "users", "add", "boss", "--role", "admin", "--new-password-file",
                    str(office["pw"]["boss"]), *c)
    assert code == 0 and out["account"]["role"] == "admin"
    code, out = run(capsys, "users", "add", "kim", "--role", "clerk", "--new-password-file",
                    str(office["pw"]["kim"]), *c)
    assert code == 1 and out["error"] == "AUTH_DENIED" and "--as" in out["message"]
    for name, role in (("kim", "clerk"), ("park", "supervisor")):
        code, out = run(capsys, "users", "add", name, "--role", role, "--new-password-file",
                        str(office["pw"][name]), *c, *as_(office, "boss"), "--counter", "IT-1")
        assert code == 0, out


def test_users_add_list_disable_password(capsys: pytest.CaptureFixture[str], office: dict[str, Any]) -> None:
    make_office(capsys, office)
    c = office["common"]
    code, out = run(capsys, "users", "list", "--json", *c, *as_(office, "boss"))
    assert code == 0 and [(a["name"], a["role"], a["active"]) for a in out["accounts"]] == [
        ("boss", "admin", True), ("kim", "clerk", True), ("park", "supervisor", True)]
    assert "password_hash" not in json.dumps(out)
    code, out = run(capsys, "users", "list", *c, *as_(office, "kim"))
    assert code == 1 and "no right to users" in out["message"]
    code, out = run(capsys, "users", "list", *c, *as_(office, "boss", "wrong"))
    assert code == 1 and out["details"]["reason"] == "wrong_password"
    code, out = run(capsys, "users", "disable", "kim", "--reason", "전출", *c, *as_(office, "boss"))
    assert code == 0
    code, out = run(capsys, "cases", "list", "--date", "2026-11-25", *c, *as_(office, "kim"))
    assert code == 1 and out["details"]["reason"] == "disabled" and "사용 중지" in out["message_ko"]
    # a user changes their own password; an admin resets another's
    new = office["pw"]["park"].with_name("new.pw")
    new.write_text("Chief-pass-2\n")
    code, out = run(capsys, "users", "password", "park", "--new-password-file", str(new), *c,
                    *as_(office, "park"))
    assert code == 0
    code, out = run(capsys, "users", "list", *c, *as_(office, "park"))
    assert code == 1  # old password gone (and a supervisor cannot manage accounts anyway)
    rows = audit_rows(office)
    accounts_ev = [(a, d["op"], d["account"]) for a, _c, x, d in rows if x == "account"]
    assert accounts_ev == [("boss", "add", "boss"), ("boss", "add", "kim"), ("boss", "add", "park"),
                           ("boss", "disable", "kim"), ("park", "password", "park")]
    assert [c for a, c, x, d in rows if x == "account"][1:3] == ["IT-1", "IT-1"]
    failed = [d for a, c, x, d in rows if x == "signin" and not d["ok"]]
    assert {d["reason"] for d in failed} == {"no_right", "wrong_password", "disabled"}
    # every account event and sign-in (refusals included) is a keyed link of the chain
    code, out = run(capsys, "audit", "verify", *c)
    assert code == 0 and out["ok"] is True, out
    code, out = run(capsys, "audit", "verify", *c[:-2], "--key", str(office["pw"]["boss"]))
    assert code == 2, out  # the chain cannot be checked without the office key


def test_commands_act_as_an_account(capsys: pytest.CaptureFixture[str], office: dict[str, Any],
                                    tmp_path: Path) -> None:
    c = office["common"]
    # set-up mode: no accounts yet, the command works as before (the configured/--clerk name)
    code, out = run(capsys, "intake", *c, "--clerk", "setup",
                    str(qr_file(tmp_path, "a.txt")))
    assert code == 0
    make_office(capsys, office)
    qr = qr_file(tmp_path, "b.txt")
    code, out = run(capsys, "intake", *c, str(qr))
    assert code == 1 and "--as" in out["message"]
    code, out = run(capsys, "intake", *c, "--counter", "민원7",
                    *as_(office, "kim"), str(qr))
    assert code == 0, out
    number = out["case_number"]
    code, out = run(capsys, "cases", "show", number, "--json", *c, *as_(office, "kim"), "--counter", "민원7")
    assert code == 0 and out["case"]["case_number"] == number
    code, out = run(capsys, "cases", "export", "--from", "2020-01-01", "--to", "2030-01-01",
                    "--format", "csv", "--out", str(tmp_path / "x.csv"), "--reason", "월간 통계",
                    *c, *as_(office, "kim"))
    assert code == 1 and "no right to export" in out["message"] and not (tmp_path / "x.csv").exists()
    code, out = run(capsys, "cases", "export", "--from", "2020-01-01", "--to", "2030-01-01",
                    "--format", "csv", "--out", str(tmp_path / "x.csv"), *c, *as_(office, "park"))
    assert code == 2 and "--reason" in out["message"]
    code, out = run(capsys, "cases", "export", "--from", "2020-01-01", "--to", "2030-01-01",
                    "--format", "csv", "--out", str(tmp_path / "x.csv"), "--reason", "월간 통계",
                    *c, *as_(office, "park"))
    assert code == 0 and out["cases"] == 2
    code, out = run(capsys, "cases", "return", number, "--reason", "서류 미비", *c,
                    *as_(office, "kim", "wrong"))
    assert code == 1 and out["details"]["reason"] == "wrong_password"
    code, out = run(capsys, "db", "purge", "--before", "2020-01-01", *c, *as_(office, "kim"))
    assert code == 1 and "no right to purge" in out["message"]
    code, out = run(capsys, "db", "purge", "--before", "2020-01-01", *c, *as_(office, "park"))
    assert code == 0
    code, out = run(capsys, "cases", "show", number, *c, "--clerk", "someone", *as_(office, "kim"))
    assert code == 1 and "--clerk" in out["message"]
    rows = audit_rows(office)
    work = [(a, cn, x) for a, cn, x, d in rows if x in ("intake", "view", "export", "purge")]
    assert work == [("setup", "counter-1", "intake"), ("kim", "민원7", "intake"),
                    ("kim", "민원7", "view"), ("park", "counter-1", "export")]  # nothing to purge
    export_ev = next(d for a, cn, x, d in rows if x == "export")
    assert export_ev["reason"] == "월간 통계"
    # audit access: a supervisor sees it all, with the refusals
    code, out = run(capsys, "audit", "access", "--from", "2020-01-01", "--to", "2030-01-01",
                    "--json", *c, *as_(office, "park"))
    assert code == 0
    actions = {e["action"] for e in out["events"]}
    assert {"intake", "view", "export", "signin", "account"} <= actions
    code, out = run(capsys, "audit", "access", "--from", "2020-01-01", "--to", "2030-01-01",
                    "--json", *c, *as_(office, "kim"))
    assert code == 1
    code, out = run(capsys, "audit", "verify", *c)
    assert code == 0 and out["ok"] is True, out


def test_as_on_a_database_without_accounts_is_refused(capsys: pytest.CaptureFixture[str],
                                                      office: dict[str, Any]) -> None:
    assert run(capsys, "db", "upgrade", *office["common"])[0] == 0
    code, out = run(capsys, "cases", "list", "--date", "2026-11-25", *office["common"],
                    *as_(office, "kim"))
    assert code == 1 and "users add" in out["message"]


def test_audit_access_records_the_review_and_writes_xlsx_and_pdf(
    capsys: pytest.CaptureFixture[str], office: dict[str, Any], tmp_path: Path
) -> None:
    make_office(capsys, office)
    c = office["common"]
    xlsx, pdf = tmp_path / "a.xlsx", tmp_path / "a.pdf"
    code, out = run(capsys, "audit", "access", "--from", "2020-01-01", "--to", "2030-01-01",
                    "--json", "--reviewed", "--findings", "이상 없음", "--out", str(xlsx), *c,
                    *as_(office, "park"))
    assert code == 0 and out["recorded"]["reviewer"] == "park" and xlsx.stat().st_size > 0
    code, out = run(capsys, "audit", "access", "--from", "2020-01-01", "--to", "2030-01-01",
                    "--user", "boss", "--action", "account", "--out", str(pdf), "--json", *c,
                    *as_(office, "boss"))
    assert code == 0 and {e["actor"] for e in out["events"]} == {"boss"}
    assert [r["findings"] for r in out["reviews"]] == ["이상 없음"]
    assert pdf.read_bytes().startswith(b"%PDF")
    rows = audit_rows(office)
    assert [x for _a, _c, x, _d in rows].count("access_review") == 1
    exports = [d for _a, _c, x, d in rows if x == "export"]
    assert [(e["what"], e["format"]) for e in exports] == [("access log", "xlsx"), ("access log", "pdf")]
