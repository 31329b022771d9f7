"""The seen guard on every path that makes a petition visible (ui/counter/seen.py): a scan, the
next waiting, a dialog closing, another window leaving; the restore and the unlock are in
test_window.py and test_signin.py, the real-X versions in tests/xreal/test_seen_x.py."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.compose import CounterParts
from counter_app.demo import DemoKit
from tests.ui.helpers import look
from tests.ui.test_window import WAIT, scan, shown
from ui.counter.paper import PaperEntryDialog
from ui.counter.seen import SeenGuard


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_guard_runs_only_while_nothing_covers_the_petition() -> None:
    clock = Clock()
    g = SeenGuard(1.2, clock)
    g.restart("scan")
    assert not g.ready() and g.remaining() == 1.2
    clock.now += 1.0
    g.cover("dialog")  # a dialog over it: the time stops and is lost
    clock.now += 5.0
    assert not g.ready() and g.why_not()[0] == "대화상자가 열려 있습니다"
    g.cover("locked")
    g.uncover("dialog")  # still locked
    assert not g.ready()
    g.uncover("locked")  # uncovered: from zero
    assert g.restarts[-1] == "uncovered:locked" and g.remaining() == 1.2
    clock.now += 1.19
    assert not g.ready() and "Ctrl+Enter" in g.why_not()[0]
    clock.now += 0.01
    assert g.ready() and g.why_not() == ("", "")
    g.uncover("dialog")  # not covering: changes nothing
    assert g.ready()
    g.restart("queue")  # the next petition
    assert not g.ready()


def test_a_scan_is_not_accepted_before_it_was_seen(qtbot: QtBot, counter: CounterParts, kit: DemoKit) -> None:
    s, w = counter.session, counter.window
    scan(counter, kit.sample("mail-order").texts)
    shown(qtbot, counter, looked=False)
    assert s.seen.restarts[-1] == "test" and s.too_new() > 0
    with qtbot.assert_not_emitted(s.accepted, wait=100):
        w.accept()
    assert w.banner.kind == "info" and "방금" in w.banner.text.text()
    look(counter)
    with qtbot.wait_signal(s.accepted, timeout=WAIT):
        w.accept()


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform says so for dialogs
def test_a_petition_uncovered_by_a_dialog_closing_is_not_yet_seen(
    qtbot: QtBot, counter: CounterParts, kit: DemoKit
) -> None:
    """The paper-petition dialog is open; a QR scanned meanwhile comes up behind it; the dialog
    closes (Esc) and a Ctrl+Enter right after accepts nothing."""
    s, w = counter.session, counter.window
    w.activateWindow()
    qtbot.wait_until(w.isActiveWindow, timeout=WAIT)
    dlg = PaperEntryDialog(counter.catalogue, w)
    dlg.open()  # modal, as Ctrl+N opens it
    qtbot.wait_until(lambda: "inactive" in s.seen.covers, timeout=WAIT)
    scan(counter, kit.sample("mail-order").texts)
    shown(qtbot, counter, looked=False)
    look(counter)  # the time it spent behind the dialog counts for nothing
    assert s.too_new() > 0
    dlg.reject()
    dlg.deleteLater()
    w.activateWindow()  # the window manager gives the window back its activation
    qtbot.wait_until(lambda: not s.seen.covers, timeout=WAIT)
    assert s.seen.restarts[-1] == "uncovered:inactive" and s.too_new() > 0
    with qtbot.assert_not_emitted(s.accepted, wait=100):
        w.accept()
    look(counter)
    with qtbot.wait_signal(s.accepted, timeout=WAIT):
        w.accept()


def test_a_dialog_about_the_petition_on_screen_does_not_restart_the_look() -> None:
    """The warnings question, a missing document's reason, a correction: the clerk is looking
    at this petition, so Ctrl+Enter, Enter (the warning's 확인) accepts at once."""
    clock = Clock()
    g = SeenGuard(1.2, clock)
    g.restart("scan")
    clock.now += 1.5
    with g.own_dialog():
        g.cover("inactive")  # the question takes the activation
        clock.now += 0.1
    g.uncover("inactive")  # and gives it back
    assert g.ready() and g.restarts == ["scan"]
    with g.own_dialog():
        g.cover("locked")  # the lock is never the petition's own
    assert not g.ready()
