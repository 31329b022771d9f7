"""Several counters at once: 4 processes x 250 intakes, plus real CLI intakes, on one database.

Numbers must come out unique and gapless, every case must be there, and the
audit chain must stay one unbroken line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from decoding.keys import load_public_key
from decoding.payload import encode, make_document
from records import audit, check
from records.models import Case
from tests.records.support import (
    KEY_PATH,
    OFFICE,
    PUB_PATH,
    applicant,
    open_test_store,
    resident_copy_form,
)

REPO = Path(__file__).resolve().parents[2]
WORKERS = 4
PER_WORKER = 250
CLI_INTAKES = 4


def _qr_file(path: Path, count: int) -> Path:
    pub = load_public_key(PUB_PATH)
    lines = []
    for _ in range(count):
        texts = encode(make_document(applicant(), [resident_copy_form()]), pub)
        assert len(texts) == 1
        lines.append(texts[0])
    path.write_text("\n".join(lines) + "\n")
    return path


def cli_intake(url: str, folder: Path, qr_line: str, *extra: str) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "app", "intake", "--db", url, "--key", str(KEY_PATH),
            "--files", str(folder / "files"), "--data-key", str(folder / "data.key"),
            "--office", OFFICE, "--clerk", "cli", *extra, "-"]
    p = subprocess.Popen(args, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    assert p.stdin is not None
    p.stdin.write(qr_line + "\n")
    p.stdin.close()
    p.stdin = None  # written and closed: communicate() must not touch it again
    return p


def finish(procs: list[subprocess.Popen[str]], timeout: float) -> list[tuple[int, str, str]]:
    """Wait for every process; on any failure or timeout, kill the rest (no test leaves one)."""
    results = []
    try:
        for p in procs:
            out, err = p.communicate(timeout=timeout)
            results.append((p.returncode, out, err))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.communicate(timeout=10)
    return results


@pytest.mark.slow
def test_four_counters_at_once(db_url: str, tmp_path: Path) -> None:
    qr_lines = _qr_file(tmp_path / "qr.txt", CLI_INTAKES).read_text().splitlines()
    page = tmp_path / "page.png"
    page.write_bytes(b"\x89PNG" + os.urandom(2000))
    # All start on an empty database: creating the schema and the data key races too.
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.records.worker", "bulk", db_url, str(tmp_path),
             str(PER_WORKER), f"w{i}"],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(WORKERS)
    ]
    time.sleep(0.5)
    clis = [cli_intake(db_url, tmp_path, line, "--attach", str(page)) for line in qr_lines]
    printed: list[dict[str, object]] = []
    for code, out, err in finish(workers + clis, timeout=240):
        assert code == 0, err[-3000:]
        printed.extend(json.loads(line) for line in out.splitlines())
    total = WORKERS * PER_WORKER + CLI_INTAKES
    assert len(printed) == total and all(o["ok"] for o in printed)
    numbers = [str(o["case_number"]) for o in printed]
    assert len(set(numbers)) == total
    with open_test_store(db_url, tmp_path) as store:
        with store.read() as s:
            serials = sorted(s.execute(select(Case.serial)).scalars())
            assert serials == list(range(1, total + 1))
            assert s.execute(select(func.count()).select_from(Case)).scalar_one() == total
            assert set(s.execute(select(Case.case_number)).scalars()) == set(numbers)
            verdict = audit.verify(s, store.integrity_key())
            assert verdict.ok and verdict.events == total, verdict.message
        report = check.check(store)
        assert report.ok, report.to_json()
