"""Helpers for the driver tests: a callback recorder and a pty serial scanner (the guard
against device threads left running is the whole suite's, in ``tests/conftest.py``)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from drivers.base import DeviceState, Scan

WAIT = 5.0  # seconds: every wait in these tests is bounded



class Recorder:
    """Collects on_scan / on_state calls from a device thread; wait() with a timeout."""

    def __init__(self) -> None:
        self.scans: list[Scan] = []
        self.states: list[DeviceState] = []
        self._cond = threading.Condition()

    def on_scan(self, scan: Scan) -> None:
        with self._cond:
            self.scans.append(scan)
            self._cond.notify_all()

    def on_state(self, state: DeviceState) -> None:
        with self._cond:
            self.states.append(state)
            self._cond.notify_all()

    @property
    def texts(self) -> list[str]:
        with self._cond:
            return [s.text for s in self.scans]

    def state_names(self) -> list[str]:
        with self._cond:
            return [s.state for s in self.states if not s.transient]

    def problems(self) -> list[DeviceState]:
        with self._cond:
            return [s for s in self.states if s.transient]

    def wait(self, predicate: Callable[[Recorder], bool], timeout: float = WAIT) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: predicate(self), timeout):
                raise AssertionError(
                    f"timed out after {timeout} s; scans={[s.text for s in self.scans]} "
                    f"states={[(s.state, s.reason_en) for s in self.states]}"
                )

    def wait_state(self, state: str, count: int = 1, timeout: float = WAIT) -> None:
        self.wait(lambda r: r.state_names().count(state) >= count, timeout)

    def wait_scans(self, count: int, timeout: float = WAIT) -> None:
        self.wait(lambda r: len(r.scans) >= count, timeout)


def wait_until(condition: Callable[[], bool], timeout: float = WAIT) -> None:
    """Poll a condition another thread makes true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(0.005)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


class PtyScanner:
    """A serial scanner simulated by a pty pair, reached through a symlink that
    replug() re-points at a fresh pty (the source reopens it by path)."""

    def __init__(self, link: Path) -> None:
        self.link = link
        self.master: int | None = None
        self.plug()

    def plug(self) -> None:
        master, slave = os.openpty()
        slave_name = os.ttyname(slave)
        os.close(slave)  # the pts lives as long as the master; the source opens it by name
        self.master = master
        tmp = self.link.with_suffix(".new")
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(slave_name)
        os.replace(tmp, self.link)

    def unplug(self) -> None:
        if self.master is not None:
            os.close(self.master)
            self.master = None

    def write(self, data: bytes) -> None:
        assert self.master is not None
        os.write(self.master, data)

    def close(self) -> None:
        self.unplug()


@pytest.fixture
def pty_scanner(tmp_path: Path) -> Iterator[PtyScanner]:
    scanner = PtyScanner(tmp_path / "ttyScanner")
    yield scanner
    scanner.close()
