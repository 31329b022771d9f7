"""Fixtures for the window tests: a demo kit, a counter on tmp_path, leak guards.

Leak guards (napari's ``_dangling_qthreads``/``_dangling_qtimers`` idea): a
test that leaves a device thread, a worker thread of a pool or an active
QTimer started during the test fails, naming what was left.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool, QTimer

from counter_app.demo import DemoKit, build_demo
from decoding.forms.catalogue import Catalogue, default_catalogue

DEVICE_THREAD_PREFIXES = ("scanner ", "hid-io", "documents ", "seal ", "draft writer",
                          "window worker", "image loader")


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return default_catalogue()


@pytest.fixture(scope="session")
def kit(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> DemoKit:
    return build_demo(tmp_path_factory.mktemp("demo"), catalogue)


@pytest.fixture(autouse=True)
def _leak_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    started: list[tuple[QTimer, str]] = []
    original = QTimer.start

    def start(self: QTimer, *args: object) -> None:
        started.append((self, "".join(traceback.format_stack(limit=6)[:-1])))
        original(self, *args)

    monkeypatch.setattr(QTimer, "start", start)
    before = set(threading.enumerate())
    yield
    monkeypatch.setattr(QTimer, "start", original)
    left = []
    for timer, where in started:
        try:
            if timer.isActive():
                left.append(where)
                timer.stop()
        except RuntimeError:  # the C++ timer is gone: fine
            pass
    assert not left, "QTimer left running, started at:\n" + "\n".join(left)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        threads = [t.name for t in threading.enumerate() if t not in before and t.is_alive()
                   and t.name.startswith(DEVICE_THREAD_PREFIXES)]  # fmt: skip
        if not threads:
            break
        time.sleep(0.02)
    assert not threads, f"device threads left running: {threads}"
    assert QThreadPool.globalInstance().waitForDone(3000), "global thread pool still busy"


class Pty:
    """A serial scanner simulated by a pty pair (the serial source opens the slave by name)."""

    def __init__(self) -> None:
        self.master, slave = os.openpty()
        self.name = os.ttyname(slave)
        os.close(slave)

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> None:
        os.close(self.master)


@pytest.fixture
def pty() -> Iterator[Pty]:
    p = Pty()
    yield p
    p.close()


def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"
