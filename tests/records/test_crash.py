"""SIGKILL at random moments during 100 intakes: nothing printed "ok" is lost, nothing is torn.

A counter process takes 100 QR petitions (real decode, catalogue check, two
pages and a seal each) and is killed at random moments, then started again
until all 100 are in; a few real ``counter-app intake`` processes are killed
the same way. Afterwards ``db check`` and ``audit verify`` pass, every case
whose intake printed ok is present, and no petition was recorded twice.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from records import check
from records.models import Case
from tests.records.support import KEY_PATH, open_test_store
from tests.records.test_concurrency import REPO, _qr_file, cli_intake

INTAKES = 100
CLI_RUNS = 3


def _ok_lines(out: str) -> list[dict[str, object]]:
    # the last line may be cut short by the kill
    found = []
    for line in out.splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if obj.get("ok"):
            found.append(obj)
    return found


def _kill_after(p: subprocess.Popen[str], delay: float) -> str:
    try:
        out, _ = p.communicate(timeout=delay)
        return out
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGKILL)
        out, _ = p.communicate(timeout=30)
        return out


def _kill_when_busy(p: subprocess.Popen[str], after: int, delay: float) -> str:
    """Let the worker start (it prints "ready") and take ``after`` intakes, then kill it
    ``delay`` seconds later: a random moment inside the next intake, however fast they run."""
    assert p.stdout is not None
    watchdog = threading.Timer(60, p.kill)  # a stuck worker must not hang the test
    watchdog.start()
    out = ""
    try:
        for _ in range(after + 1):  # "ready" and ``after`` ok lines
            line = p.stdout.readline()
            out += line
            if not line:
                break
    finally:
        watchdog.cancel()
    return out + _kill_after(p, delay)


@pytest.mark.slow
def test_sigkill_during_intakes(db_url: str, tmp_path: Path) -> None:
    rng = random.Random(20261125)
    qr_file = _qr_file(tmp_path / "qr.txt", INTAKES + CLI_RUNS)
    lines = qr_file.read_text().splitlines()
    loop_file = tmp_path / "loop.txt"
    loop_file.write_text("\n".join(lines[:INTAKES]) + "\n")
    printed: list[dict[str, object]] = []
    kills = 0
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        p = subprocess.Popen(
            [sys.executable, "-m", "tests.records.worker", "qr", db_url, str(tmp_path),
             str(loop_file)],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        out = _kill_when_busy(p, rng.randint(0, 25), rng.uniform(0.0, 0.03))
        printed.extend(_ok_lines(out))
        if p.returncode == 0:
            break
        assert p.returncode == -signal.SIGKILL
        kills += 1
    else:
        pytest.fail("the intakes did not finish in time")
    assert kills >= 1, "the worker was never killed: the test proved nothing"
    for line in lines[INTAKES:]:
        p = cli_intake(db_url, tmp_path, line)
        printed.extend(_ok_lines(_kill_after(p, rng.uniform(0.3, 1.5))))

    with open_test_store(db_url, tmp_path) as store:
        with store.read() as s:
            present = set(s.execute(select(Case.case_number)).scalars())
            payloads = list(s.execute(select(Case.payload_id)).scalars())
        assert {str(o["case_number"]) for o in printed} <= present
        assert len(payloads) == len(set(payloads))
        qr_cases = len([o for o in printed if "line" in o])
        assert len(present) >= INTAKES and qr_cases <= INTAKES
        # the files of killed intakes are all found through their pending markers
        store.cleanup(grace=0)
        assert check.check(store).orphans == []
    for command in (["db", "check", "--files", str(tmp_path / "files")], ["audit", "verify"]):
        r = subprocess.run([sys.executable, "-m", "app", *command, "--db", db_url,
                            "--key", str(KEY_PATH), "--data-key", str(tmp_path / "data.key")],
                           cwd=REPO, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr
        assert json.loads(r.stdout)["ok"] is True
