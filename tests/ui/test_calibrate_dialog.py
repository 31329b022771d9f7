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


def shown_dialog(qtbot: QtBot, wedge: WedgeFilter, data_dir: Path) -> CalibrateDialog:
    dialog = CalibrateDialog(wedge, data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform says so for dialogs
def test_the_dialog_learns_a_custom_suffix_and_then_it_is_taken_off(
    qtbot: QtBot, wedge: WedgeFilter, tmp_path: Path
) -> None:
    dialog = shown_dialog(qtbot, wedge, tmp_path)
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
    dialog = shown_dialog(qtbot, wedge, tmp_path)
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


def _codes_in(pdf_path: Path) -> list[str]:
    import numpy as np
    import pypdfium2 as pdfium

    from decoding.qrimage import read_qr_texts

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        assert len(pdf) == 1
        return read_qr_texts(np.array(pdf[0].render(scale=2).to_pil()))
    finally:
        pdf.close()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_dialog_prints_the_test_code_for_a_scanner_that_cannot_read_a_screen(
    qtbot: QtBot, wedge: WedgeFilter, tmp_path: Path
) -> None:
    from PySide6.QtGui import QPageSize
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QPushButton

    dialog = shown_dialog(qtbot, wedge, tmp_path)
    out = tmp_path / "printed.pdf"

    def pdf_printer() -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setOutputFileName(str(out))
        return printer

    dialog.choose_printer = pdf_printer
    button = next(b for b in dialog.findChildren(QPushButton) if "인쇄" in b.text())
    button.click()
    assert out.exists() and "인쇄했습니다" in dialog.status.text()
    codes = _codes_in(out)
    assert codes == [TEST_PAYLOAD, TEST_PAYLOAD]  # the large code and the small one
    dialog.choose_printer = lambda: None  # the print dialog cancelled: nothing, no word
    out.unlink()
    button.click()
    assert not out.exists()
    # the printed code, scanned, is learned like the one on the screen
    scanner_types(dialog, codes[0])
    qtbot.wait_until(lambda: dialog.profile is not None, timeout=WAIT)


def test_the_command_line_writes_the_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from app.cli import main

    out = tmp_path / "sheet" / "test-code.pdf"
    assert main(["devices", "calibrate", "--pdf", str(out)]) == 0
    assert json.loads(capsys.readouterr().out)["pdf"] == str(out)
    assert _codes_in(out) == [TEST_PAYLOAD, TEST_PAYLOAD]
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert main(["devices", "calibrate", "--pdf", str(blocker / "x.pdf")]) == 1
    res = json.loads(capsys.readouterr().out)
    assert res["error"] == "CAL_SAVE" and "test-code sheet" in res["message_en"]
