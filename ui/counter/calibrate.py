"""The scanner set-up dialog (Ctrl+Shift+K in the counter window).

Shows the test QR code large (and prints it, Ctrl+P, for scanners that cannot read
a screen: ``ui.printing.test_code``); the clerk scans it with the keyboard-wedge
scanner. The app-wide :class:`ui.counter.wedge_filter.WedgeFilter` hands the
scan over as typed (its ``calibrating`` hook) instead of giving it to the
petition session; ``decoding.calibration.learn`` says what the scanner adds and
changes, the profile is saved (``counter_app.scanner_profile``), the filter's
detector takes the learned prefix/suffix at once, and the dialog shows what was
learned. A scan that is not the test code says so and the dialog keeps waiting; a
petition's QR scanned meanwhile goes on to the counter (it waits behind the dialog).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import segno
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPagedPaintDevice, QPixmap, QShortcut
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from counter_app.scanner_profile import save_profile
from decoding.calibration import TEST_PAYLOAD, CalibrationError, ScannerProfile, learn
from ui.counter.wedge_filter import WedgeFilter
from ui.printing.test_code import draw_test_code_sheet
from ui.widgets.i18n import pick, tr
from ui.widgets.qtcompat import emit

SHORTCUT = "Ctrl+Shift+K"


def _test_code_pixmap() -> QPixmap:
    png = segno.make_qr(TEST_PAYLOAD, error="m").png_data_uri(scale=8, border=4)
    pixmap = QPixmap()
    pixmap.loadFromData(base64.b64decode(png.split(",", 1)[1]), "PNG")
    return pixmap


class CalibrateDialog(QDialog):
    """Waits for one scan of the test code through the wedge filter.

    Signals:
        learned(object): the saved :class:`decoding.calibration.ScannerProfile`.
    """

    learned = Signal(object)

    def __init__(self, wedge: WedgeFilter, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("스캐너 설정"))
        self.setMinimumWidth(460)  # what was learned reads as lines, not a narrow column
        self.wedge = wedge
        self.data_dir = data_dir
        self.profile: ScannerProfile | None = None
        lay = QVBoxLayout(self)
        self.code = QLabel()
        self.code.setPixmap(_test_code_pixmap())
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.code)
        self.status = QLabel(tr("이 시험 코드를 스캐너로 스캔하세요"))
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        # for scanners that cannot read a screen: the same code on paper
        print_button = QPushButton(tr("시험 코드 인쇄 (Ctrl+P)"))
        print_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a scan's spaces must not press it
        print_button.clicked.connect(self.print_sheet)
        lay.addWidget(print_button)
        shortcut = QShortcut(QKeySequence("Ctrl+P"), self)
        shortcut.activated.connect(self.print_sheet)
        # Where the sheet goes: the print dialog's printer (a test hands in a PDF printer).
        self.choose_printer: Callable[[], QPagedPaintDevice | None] = self._ask_printer
        close = QPushButton(tr("닫기 (Esc)"))
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a scan's spaces must not press it
        close.clicked.connect(self.reject)
        lay.addWidget(close)
        self.finished.connect(self._stop)
        wedge.calibrating = self._scanned

    def _ask_printer(self) -> QPagedPaintDevice | None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None

    def print_sheet(self) -> None:
        """Ctrl+P: the test-code sheet (``ui.printing.test_code``) on the printer."""
        printer = self.choose_printer()
        if printer is None:
            return
        draw_test_code_sheet(printer)
        if self.profile is None:
            self.status.setText(tr("시험 코드를 인쇄했습니다: 종이의 큰 코드를 스캔하세요"))

    def _stop(self, _result: int = 0) -> None:
        if self.wedge.calibrating == self._scanned:
            self.wedge.calibrating = None

    def _scanned(self, raw: str, times: list[float], _text: str) -> bool:
        """The wedge filter's hook: True when the scan was the set-up's to take."""
        try:
            profile = learn(raw, [t * 1000.0 for t in times])
        except CalibrationError as exc:
            if exc.code == "CAL_PETITION":  # a citizen's QR scanned meanwhile: it waits
                self.status.setText(tr("민원 QR 코드입니다: 대기 목록에 넣었습니다. 이 시험 코드를 스캔하세요"))
                return False
            self.status.setText(pick(exc.message_ko, exc.message_en))
            return True
        try:
            save_profile(self.data_dir, profile)
        except OSError as exc:
            self.status.setText(tr("스캐너 설정을 저장할 수 없습니다") + f": {exc}")
            return True
        self.profile = profile
        self.wedge.detector.prefix = profile.prefix
        self.wedge.detector.suffix = profile.suffix
        ko, en = profile.summary()
        lines = [tr("스캐너 설정을 저장했습니다"), pick(ko, en)]
        problems = [pick(k, e) for k, e in profile.problems()]
        lines += problems or [tr("이제 민원 QR 코드를 스캔할 수 있습니다. 닫으려면 Esc")]
        self.status.setText("\n".join(lines))
        self._stop()
        emit(self.learned, profile)
        return True


def add_calibration_shortcut(window: QWidget, wedge: WedgeFilter, data_dir: Path) -> QShortcut:
    """Ctrl+Shift+K in ``window`` opens the set-up dialog."""
    shortcut = QShortcut(QKeySequence(SHORTCUT), window)
    shortcut.setContext(Qt.ShortcutContext.WindowShortcut)

    def open_dialog() -> None:
        dialog = CalibrateDialog(wedge, data_dir, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    shortcut.activated.connect(open_dialog)
    return shortcut
