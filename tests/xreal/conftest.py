"""Fixtures for the real-X tests: an X session (Xvfb + openbox) and the real window in it.

Skipped, with the reason, where Xvfb/openbox/xdotool are missing; in CI
(``CI`` set) a missing tool fails the run instead, so the cases always run there.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.xreal.xserver import XSession, missing_tools, wait_until

REPO = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("XREAL_SHOTS", REPO / "build" / "xreal-shots"))


def x_session(tmp_path_factory: pytest.TempPathFactory, size: str = "1366x768x24") -> Iterator[XSession]:
    """An X session of ``size`` (a module's ``xsession`` fixture may ask for another)."""
    missing = missing_tools()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"real-X tests need {missing} (./dev test installs them)")
        pytest.skip(f"real-X tests need {missing} (apt-get install xvfb openbox xdotool)")
    x = XSession(tmp_path_factory.mktemp("x"), size)
    x.start()
    x.set_autorepeat()
    try:
        yield x
    finally:
        x.stop()


@pytest.fixture(scope="module")
def xsession(tmp_path_factory: pytest.TempPathFactory) -> Iterator[XSession]:
    """A counter PC's screen, 1366×768."""
    yield from x_session(tmp_path_factory)


class RealWindow:
    """The program's window in the X session, a remote to read its state, and its database."""

    def __init__(self, x: XSession, kind: str, folder: Path, language: str = "ko") -> None:
        self.x, self.kind, self.folder = x, kind, folder
        env = x.env
        env["COUNTER_APP_DATA"] = str(folder / "appdata")
        env["COUNTER_APP_CONFIG"] = str(folder / "counter.toml")
        self.log = open(folder / f"{kind}.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.xreal.driver", kind, str(folder), language], cwd=REPO,
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
        )
        ready = self._read(120)
        assert ready.get("ready"), "the window did not start"
        self.db_path = Path(ready["db"])
        self.window_id = x.find_window("민원" if language == "ko" else "")
        x.activate(self.window_id)
        wait_until(lambda: self.state().get("active"), 20, "the window to be active")

    def _read(self, timeout: float) -> dict[str, Any]:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError(f"no answer from the window in {timeout} s; log: {self.log_text()}")
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the window exited ({self.proc.poll()}); log: {self.log_text()}")
        out: dict[str, Any] = json.loads(line)
        return out

    def log_text(self) -> str:
        self.log.flush()
        return (self.folder / f"{self.kind}.log").read_text(errors="replace")[-4000:]

    def command(self, line: str, timeout: float = 30) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()
        out = self._read(timeout)
        if "error" in out:
            raise RuntimeError(out["error"])
        return out

    def state(self) -> dict[str, Any]:
        return self.command("state")

    def widgets(self) -> dict[str, Any]:
        return self.command("widgets")["widgets"]  # type: ignore[no-any-return]

    def focus(self, attr: str) -> dict[str, Any]:
        return self.command(f"focus {attr}")

    def wait(self, cond: Any, what: str, timeout: float = 30) -> dict[str, Any]:
        """Until ``cond(state)`` holds; returns that state."""
        box: list[dict[str, Any]] = []

        def check() -> bool:
            box[:] = [self.state()]
            return bool(cond(box[0]))

        try:
            wait_until(check, timeout, what, step=0.1)
        except TimeoutError as exc:
            raise TimeoutError(f"{exc}; last state: {box[0] if box else None}") from None
        return box[0]

    def idle(self, settle: float = 0.4) -> dict[str, Any]:
        """No scan being checked, nothing held; then a little longer for late effects."""
        self.wait(lambda s: not s.get("pending"), "the window to be idle")
        time.sleep(settle)
        return self.wait(lambda s: not s.get("pending"), "the window to be idle")

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.x.screenshot(path)
        return path

    # --- the case database, read as the supervisor would -----------------------

    def db(self, sql: str, *args: object) -> list[tuple[Any, ...]]:
        path = self.db_path
        if not path.exists():
            return []
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def cases(self) -> list[tuple[Any, ...]]:
        return self.db("SELECT case_number, status, applicant_name, form_code FROM cases ORDER BY id")

    def audit(self, action: str | None = None) -> list[tuple[Any, ...]]:
        if action is None:
            return self.db("SELECT action, case_number, detail FROM audit_events ORDER BY seq")
        return self.db("SELECT action, case_number, detail FROM audit_events WHERE action = ? ORDER BY seq",
                       action)

    def sample(self, name: str) -> list[str]:
        text = (self.folder / "samples" / f"{name}.txt").read_text(encoding="utf-8")
        return [t for t in text.splitlines() if t.strip() and not t.startswith("#")]

    def close(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(RuntimeError, TimeoutError, OSError):
                self.command("quit", timeout=10)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        for f in (self.proc.stdin, self.proc.stdout):
            if f is not None:
                f.close()
        self.log.close()


def _opened(xsession: XSession, tmp_path: Path, kind: str) -> Iterator[RealWindow]:
    w = RealWindow(xsession, kind, tmp_path)
    try:
        yield w
    finally:
        w.close()


@pytest.fixture
def review_window(xsession: XSession, tmp_path: Path) -> Iterator[RealWindow]:
    """The supervisor's review window on a day of five cases."""
    yield from _opened(xsession, tmp_path, "review")


@pytest.fixture
def counter_window(xsession: XSession, tmp_path: Path) -> Iterator[RealWindow]:
    """The demo counter window (``counter-app demo``'s wiring) with a fresh database."""
    yield from _opened(xsession, tmp_path, "counter")


@pytest.fixture
def locking_counter(xsession: XSession, tmp_path: Path) -> Iterator[RealWindow]:
    """The demo counter signed in as demo-clerk, with the idle lock (Ctrl+Shift+L)."""
    yield from _opened(xsession, tmp_path, "counter-lock")
