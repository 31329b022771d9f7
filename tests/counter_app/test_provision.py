from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from counter_app.config import load_settings
from decoding.keys import KeyRing, generate_keypair, read_passphrase

CSV = """counter,clerk,scanners,seal_scanner,document_camera,document_folder
민원1,kim,serial:/dev/ttyACM0 keyboard,camera:1,camera:2,C:/scans/1
민원2,,hid:0c2e:0b61,,,
"""


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path, Path]:
    pass_file = tmp_path / "pass.txt"
    pass_file.write_text("s3cret\n")
    new, _, _ = generate_keypair(tmp_path / "k", read_passphrase(pass_file), name="office-2026")
    old, _, _ = generate_keypair(tmp_path / "k", read_passphrase(pass_file), name="office-2025")
    return new, old, pass_file


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_provision_writes_a_working_config_per_counter(
    tmp_path: Path, keys: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    new, old, pass_file = keys
    (tmp_path / "counters.csv").write_text("\ufeff" + CSV, encoding="utf-8")
    code, result = run(
        capsys, "provision", "--office", "3210000", "--counters", str(tmp_path / "counters.csv"),
        "--key", str(new), "--key", str(old), "--passphrase-file", str(pass_file),
        "--out", str(tmp_path / "out"),
    )
    assert code == 0 and len(result["counters"]) == 2
    settings = load_settings(Path(result["counters"][0]))
    assert (settings.office, settings.counter, settings.clerk) == ("3210000", "민원1", "kim")
    assert settings.scanners == ["serial:/dev/ttyACM0", "keyboard"]
    assert settings.seal_scanner == "camera:1"
    assert settings.document_camera == "camera:2"
    assert settings.passphrase_file is not None
    ring = KeyRing.from_files(settings.keys, read_passphrase(settings.passphrase_file))
    assert len(ring) == 2
    second = load_settings(Path(result["counters"][1]))
    assert second.scanners == ["hid:0c2e:0b61"] and second.seal_scanner is None
    assert second.document_camera is None
    code, shown = run(capsys, "config", "show", "--config", result["counters"][1])
    assert code == 0 and shown["settings"]["counter"] == "민원2"


@pytest.mark.parametrize(
    ("csv_text", "problem"),
    [
        ("counter,scanners\n민원1,bluetooth:x\n", ":2:"),
        ("counter,scanners\n민원1,keyboard\n민원1,keyboard\n", "duplicate"),
        ("clerk\nkim\n", "column 'counter'"),
        ("counter\n", "no counters"),
    ],
)
def test_a_bad_row_writes_nothing(
    tmp_path: Path,
    keys: tuple[Path, Path, Path],
    capsys: pytest.CaptureFixture[str],
    csv_text: str,
    problem: str,
) -> None:
    new, _, pass_file = keys
    (tmp_path / "counters.csv").write_text(csv_text, encoding="utf-8")
    code, result = run(
        capsys, "provision", "--office", "3210000", "--counters", str(tmp_path / "counters.csv"),
        "--key", str(new), "--passphrase-file", str(pass_file), "--out", str(tmp_path / "out"),
    )
    assert code == 2 and problem in result["message"]
    assert not (tmp_path / "out").exists()


def test_wrong_passphrase_and_bad_office(
    tmp_path: Path, keys: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    new, _, _ = keys
    (tmp_path / "counters.csv").write_text(CSV, encoding="utf-8")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("nope\n")
    base = [
        "provision",
        "--counters",
        str(tmp_path / "counters.csv"),
        "--key",
        str(new),
        "--out",
        str(tmp_path / "out"),
    ]
    code, result = run(capsys, *base, "--office", "3210000", "--passphrase-file", str(wrong))
    assert code == 2 and "passphrase" in result["message"]
    code, result = run(capsys, *base, "--office", "321")
    assert code == 2 and "7 digits" in result["message"]
    assert not (tmp_path / "out").exists()


def test_the_install_note_says_the_same_in_korean_and_english_about_the_keys_folder() -> None:
    from counter_app.provision import INSTALL_NOTE

    step = INSTALL_NOTE.split("\n3.")[1].split("\n4.")[0]
    korean, english = step.split("Make the keys folder")
    assert "창구 직원 계정" in korean and "관리자" in korean  # the clerk and administrators
    assert "clerk's account" in english and "administrators" in english
