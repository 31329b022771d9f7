"""Shared test set-up, and the one leak guard of the whole suite.

Qt needs a platform: with no display and none set, it aborts the whole run,
so the offscreen platform is set before anything imports Qt.

The leak guard (napari's ``_dangling_qthreads``/``_dangling_qtimers`` idea,
for every test: window, driver, command line, database): a test fails when
it leaves running a thread it started, an active QTimer it started, a
top-level widget it showed, or work in Qt's global thread pool, and the
failure names where each one was started.
"""

from __future__ import annotations

import gc
import os
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QEvent, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QWidget

REPO = Path(__file__).resolve().parent.parent
VECTORS_DIR = REPO / "tests" / "vectors"  # the MW1 test vectors (their provenance: README.md there)
LEAK_GRACE = 3.0  # seconds a stopped thread may take to end


@pytest.fixture(scope="session")
def vectors_dir() -> Path:
    if not VECTORS_DIR.is_dir():
        pytest.fail(f"test vectors not found at {VECTORS_DIR}")
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


def _where() -> str:
    """The test's frames of the current stack (where a thread, timer or widget was started)."""
    frames = [f for f in traceback.extract_stack()[:-2] if "/_pytest/" not in f.filename
              and "/pluggy/" not in f.filename and f.filename != __file__]
    return "".join(traceback.format_list(frames[-6:]))


class _Started:
    """Records, during one test, what is started: threads, QTimers, top-level widgets shown."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.threads: list[tuple[threading.Thread, str]] = []
        self.timers: list[tuple[QTimer, str]] = []
        self.widgets: dict[int, str] = {}
        thread_start, timer_start, widget_show = threading.Thread.start, QTimer.start, QWidget.show

        def start_thread(thread: threading.Thread) -> None:
            self.threads.append((thread, _where()))
            thread_start(thread)

        def start_timer(timer: QTimer, *args: Any) -> None:
            self.timers.append((timer, _where()))
            timer_start(timer, *args)

        def show(widget: QWidget) -> None:
            self.widgets.setdefault(id(widget), _where())
            widget_show(widget)

        monkeypatch.setattr(threading.Thread, "start", start_thread)
        monkeypatch.setattr(QTimer, "start", start_timer)
        monkeypatch.setattr(QWidget, "show", show)

    def timers_left(self) -> list[str]:
        left = []
        for timer, where in self.timers:
            try:
                if timer.isActive():
                    left.append(f"QTimer started at:\n{where}")
                    timer.stop()
            except RuntimeError:  # the C++ timer is gone: fine
                pass
        return left

    def threads_left(self) -> list[str]:
        deadline = time.monotonic() + LEAK_GRACE
        while True:
            alive = [(t, w) for t, w in self.threads if t.is_alive()]
            if not alive or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        return [f"thread {t.name!r} started at:\n{w}" for t, w in alive]

    def widgets_left(self, before: set[int]) -> list[str]:
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return []
        left = []
        for w in app.topLevelWidgets():
            try:
                if w.isVisible() and id(w) not in before:
                    where = self.widgets.get(id(w), "(shown without show())\n")
                    left.append(f"{type(w).__name__} {w.objectName()!r} open, shown at:\n{where}")
                    w.close()
            except RuntimeError:
                pass
        return left


def _visible_widgets() -> set[int]:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return set()
    return {id(w) for w in app.topLevelWidgets() if w.isVisible()}


def _collect_garbage() -> None:
    """Delete what the test closed (deleteLater) and collect its garbage now, between tests,
    while none of its workers runs, rather than at a random moment of the next test."""
    app = QApplication.instance()
    if app is not None:
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.fixture(autouse=True)
def _leak_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    before = _visible_widgets()
    started = _Started(monkeypatch)
    yield
    monkeypatch.undo()
    # The test's threads end first, then its garbage is collected: a collection on this (the
    # GUI) thread while one of its workers still runs (a database being migrated, with
    # imports through PySide's import hook) crashed the run about once in ten.
    threads = started.threads_left()
    if started.threads or started.timers or started.widgets:
        _collect_garbage()
    left = started.timers_left() + started.widgets_left(before) + threads
    assert not left, "left running by this test:\n" + "\n".join(left)
    assert QThreadPool.globalInstance().waitForDone(3000), "Qt's global thread pool still busy"
