"""The suite's leak guard (tests/conftest.py) fails a test that leaves something running,
and says where it was started."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = (Path(__file__).parent / "conftest.py").read_text(encoding="utf-8")


def run(pytester: pytest.Pytester, body: str) -> pytest.RunResult:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_leaky=body)
    return pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")


def test_a_thread_left_running_fails_naming_where(pytester: pytest.Pytester) -> None:
    result = run(pytester, '''
import threading

stop = threading.Event()


def start_device():
    threading.Thread(target=stop.wait, args=(30,), name="scanner serial:x", daemon=True).start()


def test_leaves_a_thread():
    start_device()


def test_cleans_up():
    stop.set()
''')
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*thread 'scanner serial:x' started at:*", "*in start_device*"])


def test_a_timer_and_a_widget_left_open_fail(pytester: pytest.Pytester) -> None:
    result = run(pytester, '''
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

keep = []


def test_timer(qapp):
    t = QTimer()
    t.start(10_000)
    keep.append(t)


def test_widget(qapp):
    w = QLabel("left open")
    w.setObjectName("forgotten")
    w.show()
    keep.append(w)
''')
    result.assert_outcomes(passed=2, errors=2)
    result.stdout.fnmatch_lines(["*QTimer started at:*", "*QLabel 'forgotten' open, shown at:*"])
