"""``devices calibrate``: the scanner set-up without the window.

Shows the test QR code (``decoding.calibration.TEST_PAYLOAD``) in the terminal,
reads one scan (a keyboard-wedge scanner types into the terminal; or
``--text-file``), learns what the scanner adds and changes, saves it to
``DATA/scanner-profile.json`` and prints it as JSON. ``--show`` only prints the
code in the terminal; ``--pdf FILE`` only writes the A4 test-code sheet
(``ui.printing.test_code``) for scanners that cannot read a screen.

At a terminal (POSIX) the keys are read as they come (cbreak mode,
``app.cli.terminal``), each with its time, so the scanner's speed is learned too;
the scan ends at Enter, after a second of silence (a Tab suffix, none, a custom
one), or after ``--timeout`` seconds. A pipe, a file, or a Windows console: one
line, untimed.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

import segno

from app.cli.codec import print_json
from app.cli.common import EXIT_OK, EXIT_REJECTED, EXIT_USAGE
from app.cli.terminal import read_timed_scan, terminal_keys
from counter_app.config import ConfigError, load_settings
from counter_app.scanner_profile import save_profile
from decoding.calibration import TEST_PAYLOAD, CalibrationError, learn

MAX_LINE = 4096


def _error(code: str, ko: str, en: str) -> dict[str, object]:
    return {"ok": False, "error": code, "message": f"{ko} ({en})", "message_ko": ko,
            "message_en": en}


def test_code_text() -> str:
    out = io.StringIO()
    segno.make_qr(TEST_PAYLOAD, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def _prompt(timeout: float | None) -> None:
    print(test_code_text(), file=sys.stderr)
    wait_ko = f" ({timeout:g}초 안에)" if timeout is not None else ""
    wait_en = f" (within {timeout:g} s)" if timeout is not None else ""
    print(f"위 시험 코드를 스캔하세요{wait_ko} / scan the test code above{wait_en}", file=sys.stderr)


def _read_scan(args: argparse.Namespace) -> tuple[str, list[float] | None]:
    """The scan as typed (its suffix included) and, read at a terminal, each key's time (ms)."""
    if args.text_file is not None:
        with open(args.text_file, encoding="utf-8") as f:
            return f.readline(MAX_LINE), None
    if sys.stdin is None:
        return "", None
    with terminal_keys() as fd:
        if fd is not None and os.name == "posix" and os.isatty(fd):
            _prompt(args.timeout)
            return read_timed_scan(fd, args.timeout, limit=MAX_LINE)
    if sys.stdin.isatty():  # a Windows console: one line, untimed
        _prompt(None)
    return sys.stdin.readline(MAX_LINE), None


def _write_sheet(out: Path) -> int:
    from ui.printing.test_code import make_test_code_sheet

    try:
        make_test_code_sheet(out)
    except OSError as exc:
        print_json(_error("CAL_SAVE", "시험 코드 PDF를 쓸 수 없습니다", f"cannot write the test-code sheet: {exc}"))
        return EXIT_REJECTED
    print_json({"ok": True, "pdf": str(out)})
    return EXIT_OK


def calibrate(args: argparse.Namespace) -> int:
    if args.show:
        print(test_code_text())
        return EXIT_OK
    if args.pdf is not None:
        return _write_sheet(args.pdf)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print_json(exc.to_json())
        return EXIT_USAGE
    try:
        observed, key_times_ms = _read_scan(args)
    except (OSError, UnicodeDecodeError) as exc:
        print_json(_error("CAL_READ", "스캔 내용을 읽을 수 없습니다", f"cannot read the scan: {exc}"))
        return EXIT_USAGE
    if not observed:
        timed = key_times_ms is not None  # read at a terminal, for --timeout seconds
        print_json(_error(
            "CAL_NO_SCAN",
            f"스캔이 없습니다{f' ({args.timeout:g}초 동안)' if timed else ''}. 시험 코드를 스캔하세요",
            f"no scan was read{f' within {args.timeout:g} s' if timed else ''}: scan the test code"))
        return EXIT_REJECTED
    try:
        profile = learn(observed, key_times_ms=key_times_ms)
    except CalibrationError as exc:
        print_json(exc.to_json())
        return EXIT_REJECTED
    try:
        path = save_profile(settings.data_dir, profile)
    except OSError as exc:
        print_json(_error("CAL_SAVE", "스캐너 설정을 저장할 수 없습니다",
                          f"cannot save the scanner profile: {exc}"))
        return EXIT_REJECTED
    ko, en = profile.summary()
    print_json({"ok": True, "profile": profile.to_json(), "saved": str(path),
                "summary_ko": ko, "summary_en": en,
                "problems": [f"{k} / {e}" for k, e in profile.problems()]})
    return EXIT_OK
