"""Every input bounded (issue 18): the classes of hostile input the walk in
test_cli_hostile.py does not reach by bad values alone, each a clear message, never a
traceback, never a shorter password, never a live formula or a raw escape.
"""

from __future__ import annotations

import json
import sqlite3
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from decoding import payload
from decoding.keys import load_public_key
from decoding.payload import encode
from tests.records.support import KEY_PATH, PUB_PATH, document


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err, (argv, out, err)
    return code, out + err


def qr(tmp: Path, name: str = "qr.txt", doc: dict[str, Any] | None = None,
       parts: int | None = None, version: int = 2) -> Path:
    path = tmp / name
    texts = encode(doc or document(), load_public_key(PUB_PATH), parts, version=version)
    path.write_text("\n".join(texts) + "\n")
    return path


def png_declaring(path: Path, width: int, height: int) -> Path:
    """A valid PNG of a few hundred bytes whose header declares ``width`` x ``height``."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                     + chunk(b"IDAT", zlib.compress(b"\0" * 4096)) + chunk(b"IEND", b""))
    return path


@pytest.fixture
def office(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """A database with one case (received in set-up mode), an admin (boss) and a clerk (kim)."""
    db = f"sqlite:///{tmp_path / 'cases.db'}"
    common = ["--db", db, "--key", str(KEY_PATH)]
    code, out = run(capsys, "intake", *common, str(qr(tmp_path)))
    assert code == 0, out
    number = json.loads(out.splitlines()[0])["case_number"]
    pw = {}
    for name, role, text in (("boss", "admin", "Admin-pass-1"), ("kim", "clerk", "Clerk-pass-1")):
        pw[name] = tmp_path / f"{name}.pw"
        pw[name].write_text(text + "\n", encoding="utf-8")
        by = ["--as", "boss", "--password-file", str(pw["boss"])] if name != "boss" else []
        code, out = run(capsys, "users", "add", name, "--role", role, "--new-password-file",
                        str(pw[name]), *common, *by)
        assert code == 0, out
    return {"db": db, "file": tmp_path / "cases.db", "common": common,
            "as": ["--as", "kim", "--password-file", str(pw["kim"])], "case": number}


@pytest.mark.parametrize("cut", ["\u2028", "\x85", "\x0b", "\x0c", "\u2029", "\x1c", "\r"])
def test_a_password_file_is_not_cut_short(office: dict[str, Any], tmp_path: Path, cut: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """"Admin-pass-1<sep>rest": str.splitlines would sign in with "Admin-pass-1"."""
    longer = tmp_path / "longer.pw"
    longer.write_text(f"Admin-pass-1{cut}rest\n", encoding="utf-8", newline="")
    code, out = run(capsys, "users", "list", *office["common"], "--as", "boss",
                    "--password-file", str(longer))
    assert code == 1 and "AUTH_DENIED" in out, out
    # a CRLF file (Notepad) still works: only the final line end is taken off
    crlf = tmp_path / "crlf.pw"
    crlf.write_bytes("\ufeffAdmin-pass-1\r\n".encode())
    code, out = run(capsys, "users", "list", *office["common"], "--as", "boss",
                    "--password-file", str(crlf))
    assert code == 0, out


def test_endless_and_huge_files_are_refused(office: dict[str, Any], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(17 * 1024 * 1024)  # sparse: 17 MiB of zeros, over every text bound
    for argv in (
        ["users", "list", *office["common"], "--as", "boss", "--password-file", "/dev/zero"],
        ["users", "list", *office["common"], "--as", "boss", "--password-file", str(big)],
        ["audit", "verify", *office["common"], "--checkpoint-file", "/dev/zero"],
        ["decode", "--key", str(KEY_PATH), "/dev/zero"],
        ["decode", "--key", str(KEY_PATH), str(big)],
        ["decode", "--key", "/dev/zero", str(big)],
        ["intake", *office["common"], *office["as"], "--image", "/dev/zero"],
        ["seal", "extract", "/dev/zero", str(tmp_path / "seal.png")],
        ["encode", "--key", str(PUB_PATH), str(big)],
    ):
        code, out = run(capsys, *argv)
        assert code in (1, 2), (argv, out)
        assert "too large" in out or "너무 큽니다" in out, (argv, out)


def test_images_declaring_huge_sizes_are_refused_before_decoding(
    office: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for w, h in ((50_000, 50_000), (9_000, 8_000)):
        bomb = png_declaring(tmp_path / f"bomb-{w}.png", w, h)
        assert bomb.stat().st_size < 1000
        for argv in (["decode", "--key", str(KEY_PATH), "--image", str(bomb)],
                     ["intake", *office["common"], *office["as"], "--image", str(bomb)],
                     ["seal", "extract", str(bomb), str(tmp_path / "seal.png")],
                     ["documents", "pages", str(bomb), "--out", str(tmp_path / "pages")]):
            code, out = run(capsys, *argv)
            assert code in (1, 2), (argv, out)
            assert "too large" in out or "너무 큽니다" in out, (argv, out)


def test_decode_prints_strict_json(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A number too large for a float (1e999) inside a petition is refused, never printed as
    Infinity (which no strict JSON reader takes)."""
    real = json.dumps

    class Shim:
        @staticmethod
        def dumps(obj: Any, **kw: Any) -> str:
            return real(obj, **kw).replace('"__HUGE__"', "1e999")

    doc = document()
    doc["forms"][0]["fields"]["copies"] = "__HUGE__"
    monkeypatch.setattr(payload, "json", Shim)
    path = qr(tmp_path, doc=doc, version=1)  # version 1 carries the document as JSON text
    monkeypatch.undo()
    code, out = run(capsys, "decode", "--key", str(KEY_PATH), str(path))
    assert code == 1 and "MW_JSON" in out and "Infinity" not in out, out
    for line in out.splitlines():
        json.loads(line, parse_constant=lambda c: pytest.fail(f"non-strict JSON: {c}"))


def test_decode_refuses_a_conflicting_part_after_the_set_is_complete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = qr(tmp_path, "a.txt", parts=2).read_text().splitlines()
    other = qr(tmp_path, "b.txt", parts=2).read_text().splitlines()
    both = tmp_path / "mixed.txt"
    both.write_text("\n".join([*first, first[0], other[1]]) + "\n")
    code, out = run(capsys, "decode", "--key", str(KEY_PATH), str(both))
    assert code == 1 and "MW_PART" in out, out
    again = tmp_path / "again.txt"
    again.write_text("\n".join([*first, first[1], first[0]]) + "\n")  # repeats are harmless
    code, out = run(capsys, "decode", "--key", str(KEY_PATH), str(again))
    assert code == 0, out


def test_encode_scale_is_bounded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps(document()), encoding="utf-8")
    for scale in ("0", "-1", "41", "99999999999", "x"):
        code, out = run(capsys, "encode", "--key", str(PUB_PATH), "--png", str(tmp_path / "png"),
                        "--scale", scale, str(doc))
        assert code == 2 and "--scale" in out, (scale, out)
    assert not (tmp_path / "png").exists()


def test_a_symlinked_attachment_is_not_stored(office: dict[str, Any], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG not meant for the case file")
    link = tmp_path / "page.png"
    link.symlink_to(secret)
    code, out = run(capsys, "intake", *office["common"], *office["as"], "--attach", str(link),
                    str(qr(tmp_path, "new.txt")))
    assert code == 2 and "symbolic link" in out, out
    files = Path(str(office["file"]).replace("cases.db", "cases-attachments"))
    assert not any(p.is_file() and p.read_bytes() == secret.read_bytes() for p in files.rglob("*"))


def test_a_missing_forms_folder_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["validate", "--key", str(KEY_PATH), "--forms-dir", str(tmp_path / "nowhere"),
                  str(qr(tmp_path))],
                 ["forms", "list", "--forms-dir", str(tmp_path / "nowhere")]):
        code, out = run(capsys, *argv)
        assert code == 2 and "form folder" in out and "MW_FORM_UNKNOWN" not in out, out


def test_garbage_in_a_date_column_is_db_damaged_naming_the_row(
    office: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(office["file"]) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("UPDATE cases SET received_at = 'yesterday' WHERE case_number = ?",
                     (office["case"],))
    for argv in (["cases", "show", office["case"], *office["common"], *office["as"]],
                 ["db", "check", *office["common"]]):
        code, out = run(capsys, *argv)
        answer = json.loads(out.splitlines()[0])
        assert code == 1 and answer["error"] == "DB_DAMAGED", (argv, answer)
        assert answer["details"]["table"] == "cases" and answer["details"]["column"] == "received_at"
        assert office["case"] in answer["message"]


def test_a_rewound_number_counter_is_named_at_intake(
    office: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(office["file"]) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("UPDATE case_counters SET last_serial = 0")
    code, out = run(capsys, "intake", *office["common"], *office["as"], str(qr(tmp_path, "n.txt")))
    answer = json.loads(out.splitlines()[0])
    assert code == 1 and answer["error"] == "DB_TAMPERED", answer
    assert answer["details"]["table"] == "case_counters" and "IntegrityError" not in out


def test_fleet_lists_every_counter_past_a_bad_heartbeat_row(
    office: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    cols = ("office, counter, host, version, config_hash, checks_failed, checks_warned, "
            "doctor_summary, last_scan_at, seen_at, clock_skew_s")
    good = ("3210000", "민원1", "pc1", "1.0", "h", 0, 0, "[]", None, "2026-12-07 08:00:00.000000", 0)
    rows = [
        good,
        ("3210000", "bad-date", "pc2", "1.0", "h", 0, 0, "[]", None, "yesterday", 0),
        ("3210000", "text-count", "pc3", "1.0", "h", "many", 0, "[]", None, good[9], 0),
        ("3210000", "deep-json", "pc4", "1.0", "h", 1, 0, "[" * 100_000 + "]" * 100_000, None,
         good[9], 0),
        ("3210000", "esc\x1b[2J\x07\u202e", "pc5", "1.0\x1b]0;x\x07", "h", 1, 0,
         json.dumps([{"id": "a", "status": "fail", "detail": "\x1b[31mred"}, 5]), None, good[9], 0),
    ]
    with sqlite3.connect(office["file"]) as conn:
        conn.executemany(f"INSERT INTO counter_heartbeats ({cols}) VALUES ({', '.join('?' * 11)})",
                         rows)
    code, out = run(capsys, "fleet", "--db", office["db"])
    assert code == 1
    for name in ("민원1", "bad-date", "text-count", "deep-json", "esc\\x1b[2J\\x07\\u202e"):
        assert name in out, (name, out)
    assert not any(c in out for c in "\x1b\x07\u202e"), out
    assert "damaged heartbeat row" in out
    code, out = run(capsys, "fleet", "--db", office["db"], "--json")
    answer = json.loads(out)
    assert len(answer["counters"]) == 5 and not any(c in out for c in "\x1b\x07\u202e")
