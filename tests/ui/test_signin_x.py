"""The demo's sign-in and lock in a real X server (Xvfb + openbox), typed with xdotool as a person.

Skipped where Xvfb, openbox or xdotool are missing (``./dev`` installs xvfb; the
others come with the test packages of the X harness).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.xreal.xserver import XSession

REPO = Path(__file__).resolve().parents[2]
TOOLS = ("Xvfb", "openbox", "xdotool")

pytestmark = pytest.mark.skipif(any(shutil.which(t) is None for t in TOOLS),
                                reason="needs Xvfb, openbox and xdotool")


@pytest.fixture
def xserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The real-X tests' session (Xvfb, then openbox, each waited for until it answers: a
    window manager started before the X server took connections died silently, 1 run in 5,
    and then no window ever had the keyboard)."""
    x = XSession(tmp_path_factory.mktemp("x"))
    x.start()
    try:
        yield x.env
    finally:
        x.stop()


def _until(cond: Callable[[], bool], seconds: float = 30) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.2)
    return cond()


def test_demo_sign_in_and_lock_typed_in_a_real_x_server(xserver: dict[str, str], tmp_path: Path) -> None:
    env = xserver

    def xdo(*args: str) -> str:
        return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True,
                              timeout=30).stdout.strip()

    def window(name: str) -> str:
        found = xdo("search", "--name", name).splitlines()
        return found[0] if found else ""

    def typed(text: str) -> None:
        # a person's pace, not a scanner's (the keyboard-wedge filter takes fast bursts as scans)
        xdo("type", "--delay", "120", text)
        xdo("key", "Return")

    db = tmp_path / "demo" / "cases.db"

    def signins() -> list[dict[str, object]]:
        if not db.exists():
            return []
        con = sqlite3.connect(db)
        try:
            rows = con.execute("SELECT actor, counter, detail FROM audit_events "
                               "WHERE action = 'signin' ORDER BY seq").fetchall()
        except sqlite3.OperationalError:
            return []
        finally:
            con.close()
        return [{"actor": a, "counter": c, **json.loads(d)} for a, c, d in rows]

    app = subprocess.Popen([sys.executable, "-m", "app", "demo", "--dir", str(tmp_path / "demo")],
                           cwd=REPO, env={**env, "PYTHONPATH": str(REPO)},
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert _until(lambda: bool(window("로그인"))), "no sign-in window"
        xdo("windowactivate", "--sync", window("로그인"))
        time.sleep(1)
        typed("demo-clerk")  # the name field has the focus; Enter goes to the password
        typed("wrong-pass1")
        assert _until(lambda: len(signins()) >= 1), "the wrong password was not checked"
        time.sleep(2)  # the pause after a failure (0.5 s), then the person reads the message
        typed("demo-1234")  # the name stays, the password field has the focus again
        assert _until(lambda: bool(window("DEMO"))), "the counter window never came"
        assert not window("로그인")  # the sign-in screen is gone
        # the counter has the keyboard at once, nobody clicks it
        assert _until(lambda: "DEMO" in xdo("getactivewindow", "getwindowname")), "not active"
        time.sleep(1)
        xdo("key", "ctrl+shift+l")  # leaving the desk: lock now
        assert _until(lambda: any(s.get("op") == "lock" for s in signins()))
        time.sleep(0.5)
        typed("demo-1234")
        assert _until(lambda: len(signins()) >= 4)
    finally:
        app.terminate()
        try:
            _out, err = app.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            app.kill()
            _out, err = app.communicate()
    got = [(s["actor"], s["counter"], s.get("op"), s["ok"], s.get("reason")) for s in signins()]
    assert got == [("demo-clerk", "민원1", "signin", False, "wrong_password"),
                   ("demo-clerk", "민원1", "signin", True, None),
                   ("demo-clerk", "민원1", "lock", True, None),
                   ("demo-clerk", "민원1", "signin", True, None)], err
    assert "Traceback" not in err
