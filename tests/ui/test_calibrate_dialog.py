"""The scanner set-up dialog: the clerk scans the test code, the program learns and saves."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from counter_app.demo import DemoKit
from counter_app.scanner_profile import load_profile, save_profile
from decoding.calibration import TEST_PAYLOAD
from decoding.forms.catalogue import Catalogue
from tests.ui.helpers import make_counter
from tests.ui.test_wedge_keys import WAIT, scanner_types
from ui.counter.calibrate import CalibrateDialog
from ui.counter.wedge_filter import WedgeFilter


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform says so for dialogs
def test_the_dialog_learns_a_custom_suffix_and_then_it_is_taken_off(
    qtbot: QtBot, wedge: WedgeFilter, tmp_path: Path
) -> None:
    dialog = CalibrateDialog(wedge, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    passed: list[str] = []
    wedge.scanned.connect(lambda text, _src: passed.append(text))
    # not the test code: said, and the dialog keeps waiting
    scanner_types(dialog, "MW1:NOT THE TEST CODE")
    qtbot.wait_until(lambda: "시험" in dialog.status.text(), timeout=WAIT)
    assert dialog.profile is None and load_profile(tmp_path) is None
    # the scanner adds "]Q1" before and "END" + Enter after; Caps Lock is on
    scanner_types(dialog, "]Q1" + TEST_PAYLOAD + "END", caps_lock=True)
    qtbot.wait_until(lambda: dialog.profile is not None, timeout=WAIT)
    saved = load_profile(tmp_path)
    assert saved == dialog.profile and saved is not None
    assert (saved.prefix, saved.suffix, saved.caps_inverted) == ("]Q1", "END\r", True)
    assert saved.median_gap_ms is not None and saved.max_gap_ms is not None
    assert "저장했습니다" in dialog.status.text() and "뒷붙임" in dialog.status.text()
    assert passed == []  # the test code never reached the petition session
    # from now on, a petition's scan loses the learned suffix although it is Base45
    dialog.close()
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    scanner_types(edit, "]Q1MW1:ABC123END")
    qtbot.wait_until(lambda: bool(passed) and not wedge.detector.pending, timeout=WAIT)
    assert passed == ["MW1:ABC123"] and edit.text() == ""
    assert wedge.calibrating is None


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_counter_window_opens_it_with_its_shortcut(
    qtbot: QtBot, wedge: WedgeFilter, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMainWindow

    from ui.counter.calibrate import SHORTCUT, add_calibration_shortcut

    window = QMainWindow()
    qtbot.addWidget(window)
    shortcut = add_calibration_shortcut(window, wedge, tmp_path)
    assert shortcut.key().toString() == SHORTCUT
    shortcut.activated.emit()
    dialogs = window.findChildren(CalibrateDialog)
    assert len(dialogs) == 1 and wedge.calibrating is not None
    dialogs[0].reject()
    assert wedge.calibrating is None


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_counter_starts_with_the_saved_set_up(
    qtbot: QtBot, tmp_path: Path, kit: DemoKit, catalogue: Catalogue
) -> None:
    from decoding.calibration import learn

    save_profile(tmp_path / "data", learn("S1" + TEST_PAYLOAD + "END\r"))
    parts = make_counter(tmp_path, kit, catalogue)
    try:
        assert parts.wedge is not None
        assert (parts.wedge.detector.prefix, parts.wedge.detector.suffix) == ("S1", "END\r")
    finally:
        parts.close()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_a_petition_scanned_during_the_set_up_goes_on_to_the_counter(
    qtbot: QtBot, wedge: WedgeFilter, tmp_path: Path, kit: DemoKit
) -> None:
    """The set-up waits for its test code; a citizen's QR scanned meanwhile is not lost."""
    dialog = CalibrateDialog(wedge, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    passed: list[str] = []
    wedge.scanned.connect(lambda text, _src: passed.append(text))
    for text in kit.sample("info-request-3parts").texts[:1] + kit.sample("mail-order").texts:
        scanner_types(dialog, text)
    qtbot.wait_until(lambda: len(passed) == 2 and not wedge.detector.pending, timeout=WAIT)
    assert passed == kit.sample("info-request-3parts").texts[:1] + kit.sample("mail-order").texts
    assert "대기 목록" in dialog.status.text() and dialog.profile is None
    assert load_profile(tmp_path) is None and wedge.calibrating is not None  # still waiting
    scanner_types(dialog, TEST_PAYLOAD)
    qtbot.wait_until(lambda: dialog.profile is not None, timeout=WAIT)
    assert len(passed) == 2
