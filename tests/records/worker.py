"""A counter in another process, for the concurrency and crash tests.

    python -m tests.records.worker bulk URL FOLDER COUNT TAG
        record COUNT cases through the store API (no QR decode: fast)
    python -m tests.records.worker qr URL FOLDER QRFILE
        take each line of QRFILE (one MW1 text) through IntakeService.check and
        accept, with two scanned pages and a seal; a line already received
        (MW_REPLAY) is skipped, so a killed run can simply be started again

Each recorded case is printed as one JSON line, after its commit, flushed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from decoding.errors import ErrorCode, PayloadError
from decoding.keys import KeyRing
from tests.records.support import new_case, open_test_store, private_key


def _emit(obj: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def bulk(url: str, folder: Path, count: int, tag: str) -> None:
    with open_test_store(url, folder) as store:
        for i in range(count):
            r = store.record(new_case(clerk=tag, pages=[f"{tag}-{i}".encode()]))
            _emit({"ok": True, "case_number": r.case_number, "case_id": r.case_id})


def qr(url: str, folder: Path, qr_file: Path) -> None:
    from counter_app.intake import IntakeService
    from decoding.forms import default_catalogue

    keyring = KeyRing([private_key()])
    with open_test_store(url, folder) as store:
        service = IntakeService(keyring, store, office="3210000", catalogue=default_catalogue())
        _emit({"ready": True})
        for n, line in enumerate(qr_file.read_text().splitlines()):
            try:
                checked = service.check(line)
            except PayloadError as exc:
                if exc.code == ErrorCode.REPLAY:
                    continue
                raise
            pages = [b"\x89PNG page one of " + line[-20:].encode(), b"\x89PNG page two " * 50]
            r = service.accept(checked, pages, b"\x89PNG seal", clerk="kim", counter="민원1")
            _emit({"ok": True, "case_number": r.case_number, "case_id": r.case_id, "line": n})


def main(argv: list[str]) -> None:
    mode, url, folder = argv[0], argv[1], Path(argv[2])
    if mode == "bulk":
        bulk(url, folder, int(argv[3]), argv[4])
    elif mode == "qr":
        qr(url, folder, Path(argv[3]))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1:])
