"""The keyboard-wedge filter fed key events as a real USB scanner sends them.

A scanner in keyboard mode presses Shift (a key event of its own, with no
text) around every upper-case letter and shifted symbol, and the QR text has
spaces. The real-X version of these cases is ``tests/xreal``; these are the
same cases at unit level, through Qt's event delivery.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.ui.helpers import focused_edit
from ui.counter.wedge_filter import WedgeFilter

WAIT = 5000
QR = "MW1:W50337 KM8N0FZR:26SG1NCQM/TSEQ79IDF2V05L651.H5IV%NA7XL*R $+-"
_SHIFTED = set(":$%*+")


def _send(widget: QWidget, etype: QEvent.Type, key: int, mods: Qt.KeyboardModifier, text: str,
          repeat: bool = False) -> None:
    QApplication.sendEvent(widget, QKeyEvent(etype, key, mods, text, repeat))


def scanner_types(widget: QWidget, text: str, caps_lock: bool = False, suffix: str = "\r") -> None:
    """Key events as X delivers a scanner's keys: Shift down, key, key up, Shift up."""
    press, release = QEvent.Type.KeyPress, QEvent.Type.KeyRelease
    no, shift = Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier
    if caps_lock:
        _send(widget, press, Qt.Key.Key_CapsLock, no, "")
        _send(widget, release, Qt.Key.Key_CapsLock, no, "")
    for ch in text:
        shifted = ch.isupper() or ch in _SHIFTED
        key = ord(ch.upper())
        typed = ch.lower() if caps_lock and ch.isalpha() else ch
        if shifted:
            _send(widget, press, Qt.Key.Key_Shift, no, "")
        mods = shift if shifted else no
        _send(widget, press, key, mods, typed)
        _send(widget, release, key, mods, typed)
        if shifted:
            _send(widget, release, Qt.Key.Key_Shift, shift, "")
    if suffix:
        _send(widget, press, Qt.Key.Key_Return, no, suffix)
        _send(widget, release, Qt.Key.Key_Return, no, suffix)


def _scans(qtbot: QtBot, wedge: WedgeFilter, widget: QWidget, **kw: bool) -> list[str]:
    got: list[str] = []
    wedge.scanned.connect(lambda text, _src: got.append(text))
    widget.setFocus()
    scanner_types(widget, QR, **kw)
    qtbot.wait_until(lambda: bool(got) and not wedge.detector.pending, timeout=WAIT)
    qtbot.wait(300)  # nothing more comes of it
    return got


def test_scan_with_shift_on_a_focused_button_presses_nothing(qtbot: QtBot, wedge: WedgeFilter) -> None:
    button = QPushButton("접수")
    qtbot.addWidget(button)
    button.show()
    clicks: list[bool] = []
    button.clicked.connect(lambda: clicks.append(True))
    assert _scans(qtbot, wedge, button) == [QR]
    assert clicks == []  # the spaces in the QR did not press it


def test_scan_with_shift_into_a_field_leaves_it_empty(qtbot: QtBot, wedge: WedgeFilter) -> None:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    assert _scans(qtbot, wedge, edit) == [QR]
    assert edit.text() == ""


def test_scan_with_shift_on_a_list_moves_nothing(qtbot: QtBot, wedge: WedgeFilter) -> None:
    lst = QListWidget()
    lst.addItems(["MW 하나", "KM 둘", "W5 셋"])
    lst.setCurrentRow(0)
    qtbot.addWidget(lst)
    lst.show()
    assert _scans(qtbot, wedge, lst) == [QR]
    assert lst.currentRow() == 0  # keyboard search did not jump


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform says so for dialogs
def test_scan_into_a_dialog_does_not_close_it(qtbot: QtBot, wedge: WedgeFilter) -> None:
    dlg = QDialog()
    lay = QVBoxLayout(dlg)
    edit, ok = QLineEdit(), QPushButton("확인")
    ok.setDefault(True)
    ok.clicked.connect(dlg.accept)
    lay.addWidget(edit)
    lay.addWidget(ok)
    qtbot.addWidget(dlg)
    dlg.show()
    assert _scans(qtbot, wedge, edit) == [QR]
    assert dlg.isVisible() and edit.text() == ""  # Enter (the suffix) did not press 확인


def test_scan_with_caps_lock_is_repaired_into_one_scan(qtbot: QtBot, wedge: WedgeFilter) -> None:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    dropped: list[str] = []
    wedge.dropped.connect(dropped.append)
    assert _scans(qtbot, wedge, edit, caps_lock=True) == [QR]
    assert dropped == [] and edit.text() == ""


def test_a_key_held_down_is_typing_not_a_scan(qtbot: QtBot, wedge: WedgeFilter) -> None:
    """Auto-repeat: the first press then repeated presses ~33 ms apart, all the same key."""
    edit = focused_edit(qtbot)
    got: list[str] = []
    wedge.scanned.connect(lambda text, _src: got.append(text))
    no = Qt.KeyboardModifier.NoModifier
    _send(edit, QEvent.Type.KeyPress, Qt.Key.Key_A, no, "a")
    for _ in range(12):
        qtbot.wait(10)
        _send(edit, QEvent.Type.KeyRelease, Qt.Key.Key_A, no, "a", repeat=True)
        _send(edit, QEvent.Type.KeyPress, Qt.Key.Key_A, no, "a", repeat=True)
    _send(edit, QEvent.Type.KeyRelease, Qt.Key.Key_A, no, "a")
    qtbot.wait_until(lambda: edit.text() == "a" * 13, timeout=WAIT)
    assert got == []


def test_shift_typing_by_a_person_is_given_back(qtbot: QtBot, wedge: WedgeFilter) -> None:
    edit = focused_edit(qtbot)
    for ch in "Kim":
        scanner_types(edit, ch, suffix="")
        qtbot.wait(80)  # a person's pace
    qtbot.wait_until(lambda: edit.text() == "Kim", timeout=WAIT)


def test_a_busy_gui_thread_does_not_tear_a_scan(qtbot: QtBot, wedge: WedgeFilter) -> None:
    """The keys carry the window system's time stamps (2 ms apart, as the scanner sent them);
    the GUI thread is busy for 0.35 s halfway through (drawing the previous petition), so
    the second half is handled late, all at once. Still one scan."""
    import time

    edit = focused_edit(qtbot)
    got: list[str] = []
    wedge.scanned.connect(lambda text, _src: got.append(text))
    stamp = 1_000_000
    no = Qt.KeyboardModifier.NoModifier
    for i, ch in enumerate(QR + "\r"):
        if i == len(QR) // 2:
            time.sleep(0.35)  # the GUI thread busy: these keys wait in the queue
        key = Qt.Key.Key_Return if ch == "\r" else ord(ch.upper())
        for etype in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            ev = QKeyEvent(etype, key, no, ch)
            ev.setTimestamp(stamp)
            QApplication.sendEvent(edit, ev)
        stamp += 2
    qtbot.wait_until(lambda: bool(got) and not wedge.detector.pending, timeout=WAIT)
    qtbot.wait(300)
    assert got == [QR] and edit.text() == ""


def test_keypad_digits_with_numlock_off_stay_in_the_scan(qtbot: QtBot, wedge: WedgeFilter) -> None:
    """A scanner typing its digits on the keypad with NumLock off sends End, Down, PageDown…:
    inside a burst they are the digits, not keys that tear the scan and move the focus."""
    edit = focused_edit(qtbot)
    press, release = QEvent.Type.KeyPress, QEvent.Type.KeyRelease
    keypad = {"0": Qt.Key.Key_Insert, "1": Qt.Key.Key_End, "2": Qt.Key.Key_Down,
              "3": Qt.Key.Key_PageDown, "4": Qt.Key.Key_Left, "5": Qt.Key.Key_Clear,
              "6": Qt.Key.Key_Right, "7": Qt.Key.Key_Home, "8": Qt.Key.Key_Up,
              "9": Qt.Key.Key_PageUp, ".": Qt.Key.Key_Delete}
    kp, shift = Qt.KeyboardModifier.KeypadModifier, Qt.KeyboardModifier.ShiftModifier
    with qtbot.wait_signal(wedge.scanned, timeout=WAIT) as blocker:
        for ch in QR:
            if ch in keypad:
                _send(edit, press, keypad[ch], kp, "")
                _send(edit, release, keypad[ch], kp, "")
            else:
                mods = shift if ch.isupper() or ch in _SHIFTED else Qt.KeyboardModifier.NoModifier
                _send(edit, press, ord(ch.upper()), mods, ch)
                _send(edit, release, ord(ch.upper()), mods, ch)
        _send(edit, press, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r")
    assert blocker.args[0] == QR
    assert edit.text() == ""
    # outside a burst the keypad's arrows are the clerk's
    _send(edit, press, Qt.Key.Key_Left, kp, "")
    assert not wedge.detector.pending
