"""What the clerk has seen, in a real X session: a petition scanned under a dialog (the paper
petition, the scanner set-up, the return reason) or the lock is not accepted by a Ctrl+Enter
pressed as the dialog closes or the lock opens, nor is the next one after a return; a scan on
the sign-in screen is never typed into its fields. Outcomes from the database."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.xreal.conftest import REPO, RealWindow
from tests.xreal.xserver import XSession, wait_until

pytestmark = pytest.mark.slow


def test_a_scan_under_the_paper_dialog_is_not_accepted_by_esc_then_ctrl_enter(
    counter_window: RealWindow,
) -> None:
    w = counter_window
    w.x.key("ctrl+n")  # the citizen at the counter brought a paper form
    w.wait(lambda s: s["modal"], "the paper-petition dialog")
    for text in w.sample("mail-order"):  # meanwhile a QR is scanned
        w.x.scan(text)
    # the citizen at the counter keeps their place: the QR waits behind the paper petition
    st = w.wait(lambda s: "waiting" in s["queue"] and not s["pending"], "the scan waiting")
    assert st["modal"] and st["current"] is None and "inactive" in st["covers"], st
    time.sleep(1.5)  # longer than the guard: unseen time does not count
    # the paper petition is cancelled, the QR comes up; Ctrl+Enter 0.15 s later
    w.x.key("Escape", "ctrl+Return", delay_ms=150)
    st = w.idle(1.0)
    assert w.cases() == [] and not st["modal"] and st["current"] is not None, st
    assert st["banner"] is not None and "방금" in st["banner"]["text"], st
    time.sleep(1.5)  # now it has been seen
    w.x.key("ctrl+Return")
    w.wait(lambda s: s["current"] is None and not s["pending"], "accepted")
    assert [c[1] for c in w.cases()] == ["received"]


def test_a_scan_under_the_scanner_set_up_is_kept_and_not_accepted_by_esc_then_ctrl_enter(
    counter_window: RealWindow,
) -> None:
    """The set-up waits for its test code; a citizen's QR scanned meanwhile is not taken as a
    wrong test code (it was lost), it comes up behind the dialog and waits for a look."""
    w = counter_window
    w.x.key("ctrl+shift+k")
    w.wait(lambda s: s["modal"].get("window") == "스캐너 설정", "the set-up dialog")
    for text in w.sample("mail-order"):
        w.x.scan(text)
    st = w.wait(lambda s: s["current"] is not None and not s["pending"], "the petition behind it")
    assert st["modal"].get("window") == "스캐너 설정" and "inactive" in st["covers"], st
    assert not (w.folder / "data" / "scanner-profile.json").exists()
    time.sleep(1.5)
    w.x.key("Escape", "ctrl+Return", delay_ms=150)
    st = w.idle(1.0)
    assert w.cases() == [] and not st["modal"], st
    time.sleep(1.5)
    w.x.key("ctrl+Return")
    w.wait(lambda s: s["current"] is None and not s["pending"], "accepted")
    assert [c[1:] for c in w.cases()] == [("received", "김민원", "MAIL_ORDER_REPORT")]


def test_the_return_dialog_covers_and_the_next_petition_is_new_to_the_clerk(
    counter_window: RealWindow,
) -> None:
    """Ctrl+R's reason dialog covers the petition: a scan under it waits; Esc then Ctrl+Enter
    0.15 s later accepts nothing; the petition that comes up after a return is new too."""
    w = counter_window
    w.x.scan(w.sample("resident-copy")[0])
    w.wait(lambda s: s["current"] is not None and not s["pending"], "the first petition")
    time.sleep(1.5)  # seen
    w.x.key("ctrl+r")
    w.wait(lambda s: s["modal"], "the reason dialog")
    for text in w.sample("mail-order"):  # the next citizen scans meanwhile
        w.x.scan(text)
    st = w.wait(lambda s: "waiting" in s["queue"] and not s["pending"], "the scan waiting")
    assert st["modal"] and st["focus"].get("text", "") == "", st  # nothing typed as the reason
    w.x.key("Escape", "ctrl+Return", delay_ms=150)
    st = w.idle(1.0)
    assert w.cases() == [] and st["current"] == "김민원", st
    w.x.key("ctrl+r")
    w.wait(lambda s: s["modal"], "the reason dialog again")
    w.x.type_as_person("no ID")
    w.x.key("Return", "ctrl+Return", delay_ms=150)  # returned; the next comes up; Ctrl+Enter
    w.wait(lambda s: [c[1] for c in w.cases()] == ["returned"] and not s["pending"], "returned")
    st = w.idle(1.0)
    assert [c[1] for c in w.cases()] == ["returned"] and st["current"] is not None, st
    time.sleep(1.5)
    w.x.key("ctrl+Return")
    w.wait(lambda s: s["current"] is None and not s["pending"], "the second accepted")
    assert [c[1:] for c in w.cases()] == [("returned", "김민원", "RESIDENT_CERT_ISSUE"),
                                           ("received", "김민원", "MAIL_ORDER_REPORT")]
    assert w.db("SELECT status_reason FROM cases ORDER BY id")[0] == ("no ID",)


def test_a_scan_under_the_lock_is_queued_and_not_accepted_right_after_the_unlock(
    locking_counter: RealWindow,
) -> None:
    w = locking_counter
    w.x.key("ctrl+shift+l")  # the clerk leaves the desk
    st = w.wait(lambda s: s["locked"], "the lock")
    assert st["focus"].get("name") == "signin-password", st
    for text in w.sample("mail-order"):  # a citizen scans their QR at the locked counter
        w.x.scan(text)
    st = w.wait(lambda s: s["current"] is not None and not s["pending"], "the scan queued under the lock")
    assert st["locked"] and st["focus"].get("text") == "", st  # nothing typed into the password
    w.shot("scan-under-lock")
    time.sleep(1.5)
    w.x.type_as_person("demo-1234")
    w.x.key("Return", "ctrl+Return", delay_ms=150)  # unlock, and Ctrl+Enter 0.15 s later
    st = w.wait(lambda s: not s["locked"], "the unlock")
    st = w.idle(1.0)
    assert w.cases() == [] and st["current"] is not None, st
    time.sleep(1.5)
    w.x.key("ctrl+Return")
    w.wait(lambda s: s["current"] is None and not s["pending"], "accepted")
    assert [c[1] for c in w.cases()] == ["received"]


def test_scans_on_the_sign_in_screen_are_never_typed_into_its_fields(
    xsession: XSession, tmp_path: Path,
) -> None:
    """Six scans into 계정 이름 and 비밀번호: no attempt audited, no lock-out; the clerk signs in."""
    x = xsession
    folder = tmp_path / "demo"
    db = folder / "cases.db"

    def signins() -> list[dict[str, object]]:
        if not db.exists():
            return []
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        try:
            rows = con.execute("SELECT actor, detail FROM audit_events WHERE action = 'signin' "
                               "ORDER BY seq").fetchall()
        except sqlite3.OperationalError:
            return []
        finally:
            con.close()
        return [{"actor": a, **json.loads(d)} for a, d in rows]

    app = subprocess.Popen([sys.executable, "-m", "app", "demo", "--dir", str(folder)], cwd=REPO,
                           env={**x.env, "PYTHONPATH": str(REPO)}, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    try:
        sign = x.find_window("로그인")
        x.activate(sign)
        time.sleep(2)  # the database opens, the name field takes the focus
        # (the demo's samples are made after sign-in; what the sign-in screen does with a scan
        # does not depend on its content)
        text = "MW1:" + "6BFOXN*TS0BI$ZDFRH" * 12
        x.scan(text)  # into 계정 이름
        x.type_as_person("demo-clerk")
        x.key("Return")  # the name was not spoiled: Enter goes to the password
        for _ in range(5):  # five scans into 비밀번호 (the lock-out count)
            x.scan(text)
        time.sleep(1)
        x.screenshot(REPO / "build" / "xreal-shots" / "signin-scan-refused.png")
        x.type_as_person("demo-1234")
        x.key("Return")
        wait_until(lambda: any(s.get("ok") for s in signins()), 60, "the clerk signed in")
    finally:
        app.terminate()
        try:
            _out, err = app.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            app.kill()
            _out, err = app.communicate()
    got = [(s["actor"], s["ok"]) for s in signins()]
    assert got == [("demo-clerk", True)], (got, err)
    assert "Traceback" not in err
