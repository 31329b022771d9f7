"""Shared test set-up.

Qt needs a platform: with no display and none set, it aborts the whole run,
so the offscreen platform is set before anything imports Qt.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
VECTORS_DIR = SHARED / "spec" / "vectors"


@pytest.fixture(scope="session")
def vectors_dir() -> Path:
    if not VECTORS_DIR.is_dir():
        pytest.fail(f"test vectors not found at {VECTORS_DIR} (../shared must sit beside the repo)")
    return VECTORS_DIR


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's real folders: data and config point at a temp dir."""
    base = tmp_path_factory.mktemp("counter-home")
    monkeypatch.setenv("COUNTER_APP_DATA", str(base / "data"))
    # An empty settings file (a COUNTER_APP_CONFIG naming a missing file is an error).
    config = base / "config" / "counter.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("COUNTER_APP_CONFIG", str(config))
