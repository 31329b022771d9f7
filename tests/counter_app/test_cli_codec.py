"""``counter-app keys generate | encode | decode`` through the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from decoding.payload import make_document
from tests.decoding.test_payload import load_cases

REPO = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    lines = [line for line in out.splitlines() if line.strip()]
    return code, lines, err


def test_every_vector_through_the_cli(
    vectors_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for i, case in enumerate(load_cases(vectors_dir)):
        texts = [case["qr"]] if "qr" in case else case["parts"]
        src = tmp_path / f"case{i}.txt"
        src.write_text("\r\n".join(texts) + "\r\n", encoding="utf-8")
        code, lines, _ = run(
            capsys,
            "decode",
            "--key",
            str(vectors_dir / case["key"]),
            "--now",
            str(case["now"]),
            str(src),
        )
        assert len(lines) == 1, case["name"]
        result = json.loads(lines[0])
        expect = case["expect"]
        assert result["ok"] == expect["ok"], case["name"]
        if expect["ok"]:
            assert code == 0 and result["document"] == expect["document"]
        else:
            assert code == 1 and result["error"] == expect["error"]
            assert result["message"]


def test_keys_encode_decode_png_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pass_file = tmp_path / "pass.txt"
    pass_file.write_text("correct horse\n")
    code, lines, _ = run(
        capsys,
        "keys",
        "generate",
        "--out",
        str(tmp_path / "k"),
        "--passphrase-file",
        str(pass_file),
    )
    assert code == 0
    info = json.loads(lines[0])
    assert len(info["kid"]) == 8
    assert b"ENCRYPTED" in Path(info["private_key"]).read_bytes()
    doc = make_document({"name": "김민원"}, [{"code": "X", "ver": 1, "fields": {"a": "b" * 1500}}])
    doc_file = tmp_path / "doc.json"
    doc_file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, texts, _ = run(
        capsys, "encode", "--key", info["public_key"], "--parts", "2", "--png", str(tmp_path / "png"),
        str(doc_file),
    )
    assert code == 0 and len(texts) == 2
    pngs = sorted((tmp_path / "png").glob("*.png"))
    assert len(pngs) == 2
    code, lines, _ = run(
        capsys, "decode", "--key", info["private_key"], "--passphrase-file", str(pass_file),
        *[a for p in pngs for a in ("--image", str(p))],
    )
    assert code == 0 and json.loads(lines[0])["document"] == doc
    # Without the passphrase the key cannot be used: a usage error, clearly said.
    code, lines, _ = run(capsys, "decode", "--key", info["private_key"], str(doc_file))
    assert code == 2 and "passphrase" in json.loads(lines[0])["message"]


def test_encode_writes_version_2_and_version_1_with_v1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from decoding.base45 import b45decode
    from tests.records.support import KEY_PATH, PUB_PATH

    doc = make_document({"name": "김민원", "rrn": "9001011234568"},
                        [{"code": "RESIDENT_CERT_ISSUE", "ver": 1, "fields": {"cert_kind": "등본"}}])
    src = tmp_path / "doc.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    sizes = {}
    for flags, version in (([], 2), (["--v1"], 1)):
        code, texts, _ = run(capsys, "encode", "--key", str(PUB_PATH), *flags, str(src))
        assert code == 0 and len(texts) == 1
        assert b45decode(texts[0][4:])[0] == version
        sizes[version] = len(texts[0])
        qr = tmp_path / f"v{version}.txt"
        qr.write_text(texts[0] + "\n", encoding="utf-8")
        code, lines, _ = run(capsys, "decode", "--key", str(KEY_PATH), str(qr))
        assert code == 0 and json.loads(lines[0])["document"] == doc
    assert sizes[2] < sizes[1] / 2


def test_missing_parts_at_end_of_input(
    vectors_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = next(c for c in load_cases(vectors_dir) if "parts" in c)
    src = tmp_path / "half.txt"
    src.write_text(case["parts"][0] + "\n")
    code, lines, _ = run(
        capsys,
        "decode",
        "--key",
        str(vectors_dir / case["key"]),
        "--now",
        str(case["now"]),
        str(src),
    )
    result = json.loads(lines[0])
    assert code == 1 and result["error"] == "MW_PART"
    assert result["details"]["missing"]


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = run(capsys, "decode", "--key", str(tmp_path / "nope.pem"), "-")
    assert code == 2 and json.loads(lines[0])["ok"] is False
    with pytest.raises(SystemExit) as info:
        main(["decode"])
    assert info.value.code == 2


def test_real_process_reads_stdin(vectors_dir: Path) -> None:
    case = load_cases(vectors_dir)[0]
    proc = subprocess.run(
        [sys.executable, "-m", "app", "decode", "--key", str(vectors_dir / case["key"]),
         "--now", str(case["now"])],
        input=case["qr"] + "\r\n", capture_output=True, text=True, cwd=REPO, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"ok": True, "document": case["expect"]["document"]}
