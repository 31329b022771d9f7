"""``counter-app devices list|watch``, ``seal extract`` and ``documents pages``."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from app.cli import main
from decoding.calibration import TEST_PAYLOAD
from drivers.simulate import seal_impression, write_qr_video
from tests.drivers.conftest import PtyScanner

A = "MW1:6BFOXN*TS0BI$ZDFRH"
B = "MW1:NCFOXN*TS0BI$ZDYYY"


def _lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_devices_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["devices", "list", "--json"]) == 0
    devices = _lines(capsys.readouterr().out)
    assert {"source": "keyboard", "kind": "keyboard"}.items() <= devices[-1].items()
    assert all({"source", "kind", "usable", "reason"} <= d.keys() for d in devices)
    assert main(["devices", "list"]) == 0
    assert "keyboard" in capsys.readouterr().out


def test_watch_fake_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scans = tmp_path / "scans.txt"
    scans.write_text(f"{A}\n{B}\n", encoding="utf-8")
    source = f"fake:{scans}?interval=0&delay=0"
    assert main(["devices", "watch", source, "--count", "2", "--timeout", "5"]) == 0
    events = _lines(capsys.readouterr().out)
    assert [e["text"] for e in events if e["event"] == "scan"] == [A, B]
    assert events[0] == {
        "event": "state", "source": source, "state": "connected", "reason": "", "transient": False
    }


def test_watch_video_camera(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    video = write_qr_video(tmp_path / "cam.avi", [A])
    assert main(["devices", "watch", f"camera:{video}?fps=0", "--count", "1", "--timeout", "5"]) == 0
    assert [e.get("text") for e in _lines(capsys.readouterr().out)][-1] == A


def test_watch_serial_pty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pty = PtyScanner(tmp_path / "ttyScan")
    done = threading.Event()

    def scanner() -> None:
        # the port is opened by the CLI at some moment: keep scanning until it has printed
        while not done.wait(0.2):
            pty.write(A.encode() + b"\r\n")

    writer = threading.Thread(target=scanner, name="test pty writer")
    writer.start()
    try:
        code = main(["devices", "watch", f"serial:{pty.link}?term=crlf", "--count", "1",
                     "--timeout", "5"])
    finally:
        done.set()
        writer.join(5)
        pty.close()
    assert code == 0
    events = _lines(capsys.readouterr().out)
    assert events[0]["state"] == "connected"
    assert events[-1]["text"] == A


def test_watch_timeout_before_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    assert main(["devices", "watch", f"fake:{empty}", "--count", "1", "--timeout", "0.3"]) == 1
    assert "only 0 of 1" in capsys.readouterr().err


def test_watch_bad_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["devices", "watch", "usb:7"]) == 2
    assert "스캐너 이름" in capsys.readouterr().err


def test_seal_extract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    photo = tmp_path / "도장.jpg"
    cv2.imwrite(str(tmp_path / "seal.jpg"), seal_impression("clear", seed=2))
    (tmp_path / "seal.jpg").rename(photo)
    out = tmp_path / "seal.png"
    assert main(["seal", "extract", str(photo), str(out)]) == 0
    result = _lines(capsys.readouterr().out)[0]
    assert result["ok"] is True and result["kind"] == "seal"
    png = cv2.imread(str(out), cv2.IMREAD_UNCHANGED)
    assert png.shape[2] == 4 and png[0, 0, 3] == 0


@pytest.mark.parametrize(("variant", "code"), [("doubled", "doubled"), ("none", "none")])
def test_seal_extract_rejects(
    variant: str, code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = tmp_path / "photo.png"
    cv2.imwrite(str(photo), seal_impression(variant, seed=3))  # type: ignore[arg-type]
    out = tmp_path / "seal.png"
    assert main(["seal", "extract", str(photo), str(out)]) == 1
    result = _lines(capsys.readouterr().out)[0]
    assert result["ok"] is False and result["error"] == code
    assert not out.exists()


def test_seal_extract_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["seal", "extract", str(tmp_path / "no.jpg"), str(tmp_path / "o.png")]) == 1
    assert "파일이 없습니다" in _lines(capsys.readouterr().out)[0]["message"]  # type: ignore[operator]


def test_documents_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheets = [Image.fromarray(np.full((400, 300), v, np.uint8)) for v in (250, 240)]
    pdf = tmp_path / "scan.pdf"
    sheets[0].save(pdf, save_all=True, append_images=sheets[1:])
    out = tmp_path / "pages"
    assert main(["documents", "pages", str(pdf), "--out", str(out)]) == 0
    lines = _lines(capsys.readouterr().out)
    assert [(d["page"], d["pages"]) for d in lines] == [(1, 2), (2, 2)]
    assert sorted(p.name for p in out.iterdir()) == ["scan-p1.png", "scan-p2.png"]
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    assert main(["documents", "pages", str(bad)]) == 1


def _watch_keyboard(typed: str, config: Path, monkeypatch: pytest.MonkeyPatch,
                    capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    """``devices watch keyboard`` reading ``typed`` from a pipe (all at once, then its end,
    which settles a scan without Enter): the exit code, the scans' texts, stderr."""
    read_fd, write_fd = os.pipe()
    os.write(write_fd, typed.encode())
    os.close(write_fd)
    with open(read_fd, encoding="utf-8") as stdin:
        monkeypatch.setattr("sys.stdin", stdin)
        code = main(["devices", "watch", "keyboard", "--config", str(config), "--count", "1",
                     "--timeout", "5"])
    captured = capsys.readouterr()
    scans = [str(e["text"]) for e in _lines(captured.out) if e["event"] == "scan"]
    return code, scans, captured.err


@pytest.mark.parametrize(("suffix", "unset"), [
    ("#", A),  # outside Base45: taken off without a set-up too
    ("END", A + "END"),  # made of Base45 characters: only the set-up knows it is not data
])
def test_watch_keyboard_uses_the_scanner_set_up(
    suffix: str, unset: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    calibrated, fresh = tmp_path / "calibrated.toml", tmp_path / "fresh.toml"
    calibrated.write_text('data_dir = "calibrated"\n', encoding="utf-8")
    fresh.write_text('data_dir = "fresh"\n', encoding="utf-8")
    scan = tmp_path / "scan.txt"
    scan.write_text(f"{TEST_PAYLOAD}{suffix}\n", encoding="utf-8")
    assert main(["devices", "calibrate", "--config", str(calibrated), "--text-file",
                 str(scan)]) == 0
    assert json.loads(capsys.readouterr().out)["profile"]["suffix"] == suffix
    code, scans, err = _watch_keyboard(A + suffix, calibrated, monkeypatch, capsys)
    assert (code, scans) == (0, [A]), err
    assert f"suffix {suffix!r}" in err  # what it recognises is said
    assert _watch_keyboard(A + suffix, fresh, monkeypatch, capsys)[:2] == (0, [unset])


def test_watch_keyboard_with_a_damaged_set_up_or_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "counter.toml"
    config.write_text('data_dir = "data"\n', encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "scanner-profile.json").write_text("{broken", encoding="utf-8")
    code, scans, err = _watch_keyboard(A + "\n", config, monkeypatch, capsys)
    assert (code, scans) == (0, [A]) and "CAL_PROFILE" in err and "calibrate again" in err
    for bad in (tmp_path / "missing.toml", tmp_path / "data"):
        assert main(["devices", "watch", "keyboard", "--config", str(bad), "--timeout", "1"]) == 2
        out, err = capsys.readouterr()
        answer = json.loads(out)
        assert answer["ok"] is False and answer["error"] == "CONFIG", answer
        assert "설정 파일" in answer["message"] and "Traceback" not in err
