"""``devices list``, ``devices watch``, ``devices calibrate`` (``app.cli.calibrate``),
``seal extract`` and ``documents pages``.

For IT staff setting up a counter: what is attached and usable (and why not),
what a scanner sends, whether a seal photo gives a clean impression, and what
pages a scanned document gives. ``devices watch`` prints one JSON object per
line (``{"event": "scan", "text": ...}`` or ``{"event": "state", ...}``) until
interrupted, or until ``--count`` scans or ``--timeout`` seconds. ``devices watch
keyboard`` recognises scans as the counter window does: with the prefix and suffix
the scanner set-up (``devices calibrate``) saved for the counter of ``--config``.
"""

from __future__ import annotations

import argparse
import queue
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.codec import print_json
from app.cli.common import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, positive_int, seconds
from app.cli.terminal import terminal_keys
from drivers.base import DeviceState, Scan
from drivers.errors import DriverError, SourceNameError

if TYPE_CHECKING:
    from drivers.keyboard import WedgeDetector

_print_json = print_json  # the one strict, terminal-safe printer


def register(sub: Any) -> None:
    devices = sub.add_parser("devices", help="스캐너 확인 / scanners: list, watch")
    dsub = devices.add_subparsers(dest="devices_command", metavar="ACTION", required=True)
    p = dsub.add_parser("list", help="연결된 장치 / what is attached and usable")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=run_list)
    p = dsub.add_parser("watch", help="스캔 내용 보기 / print each scan as a JSON line")
    p.add_argument("source", help="serial:PORT, hid:VID:PID, camera:N, keyboard or fake:NAME")
    p.add_argument("--count", type=positive_int, help="stop after this many scans")
    p.add_argument("--timeout", type=seconds, help="stop after this many seconds")
    p.add_argument("--config", type=Path,
                   help="counter.toml (keyboard: its scanner set-up's prefix and suffix)")
    p.set_defaults(func=run_watch)
    p = dsub.add_parser("calibrate", help="스캐너 설정 / scan the test code: learn the scanner's settings")
    p.add_argument("--show", action="store_true", help="only print the test QR code (to print it)")
    p.add_argument("--pdf", type=Path, metavar="FILE",
                   help="only write the test-code sheet (A4 PDF) to FILE, for scanners that cannot read a screen")
    p.add_argument("--text-file", type=Path, help="read the scan from this file, not stdin")
    p.add_argument("--config", type=Path, help="counter.toml (where the profile is saved)")
    p.add_argument("--timeout", type=seconds, default=60.0,
                   help="seconds to wait for the scan at a terminal (default 60)")
    p.set_defaults(func=run_calibrate)

    seal = sub.add_parser("seal", help="도장 이미지 / seal impressions")
    ssub = seal.add_subparsers(dest="seal_command", metavar="ACTION", required=True)
    p = ssub.add_parser("extract", help="도장 추출 / cut the impression out as a transparent PNG")
    p.add_argument("input", help="photo, folder (newest image) or camera:N")
    p.add_argument("output", type=Path, help="PNG to write")
    p.add_argument("--timeout", type=seconds, default=10.0, help="seconds to try a camera")
    p.set_defaults(func=run_seal_extract)

    docs = sub.add_parser("documents", help="구비서류 / supporting documents")
    dosub = docs.add_subparsers(dest="documents_command", metavar="ACTION", required=True)
    p = dosub.add_parser("pages", help="문서를 쪽 이미지로 / split documents into page images")
    p.add_argument("inputs", nargs="+", help="JPEG, PNG, TIFF or PDF files, or camera:N")
    p.add_argument("--out", type=Path, help="folder to write the page images to")
    p.set_defaults(func=run_document_pages)


def run_list(args: argparse.Namespace) -> int:
    from drivers.sources import list_devices

    devices = list_devices()
    for d in devices:
        if args.json:
            _print_json(
                {
                    "source": d.source,
                    "kind": d.kind,
                    "description": d.description,
                    "usable": d.usable,
                    "reason": f"{d.reason_ko} / {d.reason_en}" if d.reason_ko else "",
                }
            )
        else:
            mark = "사용 가능 / usable" if d.usable else f"사용 불가 / unusable: {d.reason_ko} / {d.reason_en}"
            print(f"{d.source:<28} {d.description:<40} {mark}")
    return EXIT_OK


def _keyboard_detector(data_dir: Path) -> WedgeDetector:
    """The detector the counter window uses on this PC: the scanner set-up's prefix and
    suffix (what is used is said on stderr; a damaged profile too)."""
    from counter_app.scanner_profile import detector_for, load_profile
    from decoding.calibration import CalibrationError

    try:
        profile = load_profile(data_dir)
    except CalibrationError as exc:
        profile = None
        print(f"{exc.code}: {exc.message_ko} / {exc.message_en}; 흔한 설정으로 인식합니다 / "
              "the common settings are recognised", file=sys.stderr)
    else:
        if profile is not None:
            ko, en = profile.summary()
            print(f"스캐너 설정: {ko} / scanner set-up: {en}", file=sys.stderr)
    return detector_for(profile)


def run_watch(args: argparse.Namespace) -> int:
    from counter_app.config import ConfigError, load_settings
    from drivers.sources import open_source

    keyboard = args.source.strip() == "keyboard"
    detector = None
    if keyboard or args.config is not None:  # only the keyboard reads the counter's settings
        try:
            settings = load_settings(args.config)
        except ConfigError as exc:
            _print_json(exc.to_json())
            return EXIT_USAGE
        if keyboard:
            detector = _keyboard_detector(settings.data_dir)
    events: queue.Queue[Scan | DeviceState] = queue.Queue()
    deadline = time.monotonic() + args.timeout if args.timeout else None
    scans = 0
    with terminal_keys(keyboard) as keys:
        try:
            source = open_source(args.source, events.put, events.put, keyboard_stream=keys,
                                 keyboard_detector=detector)
        except SourceNameError as exc:
            print(exc.message, file=sys.stderr)
            return EXIT_USAGE
        with source:
            while args.count is None or scans < args.count:
                wait = 0.5 if deadline is None else deadline - time.monotonic()
                if wait <= 0:
                    break
                try:
                    event = events.get(timeout=min(wait, 0.5))
                except queue.Empty:
                    continue
                if isinstance(event, Scan):
                    scans += 1
                    _print_json(
                        {"event": "scan", "source": event.source, "text": event.text,
                         "time": round(event.time, 3)}
                    )
                else:
                    _print_json(
                        {"event": "state", "source": event.source, "state": event.state,
                         "reason": event.reason, "transient": event.transient}
                    )
    if args.count is not None and scans < args.count:
        print(f"스캔 {scans}/{args.count} 건만 받았습니다 / only {scans} of {args.count} scans "
              "before the timeout", file=sys.stderr)
        return EXIT_REJECTED
    return EXIT_OK


def run_calibrate(args: argparse.Namespace) -> int:
    from app.cli.calibrate import calibrate

    return calibrate(args)


def run_seal_extract(args: argparse.Namespace) -> int:
    from drivers.camera import camera_target
    from drivers.seal import capture_seal, extract_seal_file

    try:
        if args.input.startswith("camera:"):
            seal = capture_seal(camera_target(args.input.removeprefix("camera:")), args.timeout)
        else:
            seal = extract_seal_file(args.input)
        seal.save(args.output)
    except DriverError as exc:
        code = getattr(exc, "code", "error")
        _print_json({"ok": False, "error": code, "message": exc.message})
        return EXIT_REJECTED
    except OSError as exc:
        _print_json({"ok": False, "error": "write", "message": f"저장할 수 없습니다 / cannot write: {exc}"})
        return EXIT_REJECTED
    x, y, w, h = seal.bbox
    _print_json(
        {"ok": True, "kind": seal.kind, "output": str(args.output), "bbox": [x, y, w, h],
         "angle": round(seal.angle, 1)}
    )
    return EXIT_OK


def run_document_pages(args: argparse.Namespace) -> int:
    from drivers.camera import camera_target
    from drivers.documents import Page, capture_document, load_pages, save_page

    status = EXIT_OK
    for item in args.inputs:
        try:
            if item.startswith("camera:"):
                pages: list[Page] = [capture_document(camera_target(item.removeprefix("camera:")))]
            else:
                pages = load_pages(item)
        except DriverError as exc:
            _print_json({"ok": False, "input": item, "message": exc.message})
            status = EXIT_REJECTED
            continue
        for page in pages:
            written = save_page(page, args.out).path if args.out else None
            _print_json(
                {"ok": True, "input": item, "page": page.index + 1, "pages": page.page_count,
                 "width": page.width, "height": page.height, "format": page.format,
                 "output": str(written) if written else None}
            )
    return status
