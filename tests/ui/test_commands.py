"""The window commands through the CLI: the demo's self-test and the screenshots."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import VECTORS_DIR

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_demo_self_test(tmp_path: Path) -> None:
    proc = run("demo", "--self-test", "--dir", str(tmp_path / "demo"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "self-test passed" in proc.stdout
    assert "damaged: refused as MW_DECRYPT" in proc.stdout
    accepted = [line for line in proc.stdout.splitlines() if "in the database with" in line]
    assert len(accepted) == 5 and all(line.startswith("ok") and "'seal'" in line for line in accepted)
    # a page for each required document (필수) and the ID copy: forms with none have one page
    assert proc.stdout.count("in the database with ['page', 'seal']") == 2
    # one sample also took a page through the simulated document camera (F7)
    assert "ok   resident-copy: page from the document camera joined the petition" in proc.stdout
    assert "in the database with ['page', 'page', 'page', 'seal']" in proc.stdout


def test_screenshots(tmp_path: Path) -> None:
    proc = run("screenshot", "--out", str(tmp_path), "--size", "1366x768")
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    assert names == sorted(["1-empty.png", "2-findings.png", "3-proxy.png", "3b-power-of-attorney.png",
                     "4-attachments.png", "5-rejected.png", "6-required-documents.png",
                     "7-database-waiting.png", "8-paper-petition.png", "9-queue-and-seen-guard.png",
                     "10-part-sets.png", "11-scanner-set-up.png", "review-attachments.png", "review-audit.png", "review-corrections.png",
                     "review-day.png", "review-empty.png", "review-error.png",
                     "review-filtered.png", "review-glance.png",
                     "access-review.png", "lock.png", "signin.png"])
    from PIL import Image

    with Image.open(tmp_path / "2-findings.png") as img:
        assert img.size == (1366, 768)


def test_run_without_keys_is_a_usage_error(tmp_path: Path) -> None:
    cfg = tmp_path / "counter.toml"
    cfg.write_text('office = "1"\n', encoding="utf-8")
    proc = run("run", "--config", str(cfg))
    assert proc.returncode == 2 and "keys" in proc.stderr


def test_run_with_a_database_that_cannot_open(tmp_path: Path) -> None:
    """The window comes up, the worker fails to open the database: a clear message, exit 1."""
    bad = tmp_path / "cases.db"
    bad.write_bytes(b"this is not an SQLite database, just text\n" * 50)
    key = VECTORS_DIR / "keys" / "test-p256-1.pem"
    cfg = tmp_path / "counter.toml"
    cfg.write_text(f'keys = ["{key}"]\ndatabase = "sqlite:///{bad}"\ndata_dir = "{tmp_path / "data"}"\n',
                   encoding="utf-8")
    proc = run("run", "--config", str(cfg), "--lang", "ko")
    assert proc.returncode == 1, proc.stderr
    assert "데이터베이스를 열 수 없습니다" in proc.stderr
    assert "Cannot open the case database" in proc.stderr
    assert "file is not a database" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_demo_in_an_unusable_folder_says_why(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    proc = run("demo", "--self-test", "--dir", str(blocker / "demo"))
    assert proc.returncode == 1
    assert "데모 폴더를 쓸 수 없습니다" in proc.stderr and "Traceback" not in proc.stderr
