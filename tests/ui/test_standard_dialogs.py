"""Qt's own dialogs and buttons speak the window's language (qtbase_ko)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from ui.widgets.qtapp import install_qt_translations


@pytest.fixture
def korean(qapp: QApplication) -> Iterator[None]:
    assert install_qt_translations("ko")
    yield
    install_qt_translations("en")
    QLocale.setDefault(QLocale.c())


def test_standard_buttons_and_file_dialog_are_korean(korean: None) -> None:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.No
                           | QDialogButtonBox.StandardButton.Cancel)
    texts = sorted(b.text() for b in box.buttons())
    assert texts == sorted(["예(&Y)", "아니요(&N)", "취소"]), texts
    assert QCoreApplication.translate("QFileDialog", "Look in:") != "Look in:"
    assert QCoreApplication.translate("QPrintDialog", "Print") != "Print"
    assert QLocale().language() == QLocale.Language.Korean


def test_english_window_keeps_qt_english(qapp: QApplication) -> None:
    assert install_qt_translations("en")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Yes)
    assert box.buttons()[0].text() == "&Yes"
    QLocale.setDefault(QLocale.c())


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_power_of_attorney_fits_the_screen_and_prints(qapp: QApplication, tmp_path: Path) -> None:
    from PySide6.QtGui import QPdfWriter

    from ui.counter.paper import HtmlDialog

    printed: list[str] = []
    dlg = HtmlDialog("위임장", "<h1>위 임 장</h1><p>위임인 김민원</p>", tmp_path, on_printed=printed.append)
    dlg.show()
    screen = dlg.screen().availableGeometry()
    assert dlg.frameGeometry().height() <= screen.height()
    assert dlg.print_button.isVisible() and dlg.print_button.text().startswith("인쇄")
    out = tmp_path / "poa.pdf"
    dlg.ask_printer = lambda: QPdfWriter(str(out))
    dlg.print_button.click()
    assert printed == ["printer"] and out.stat().st_size > 1000
    dlg.close()
    dlg.deleteLater()


def test_receipt_times_are_korean_whatever_the_pc_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt
    import time

    from ui.printing.html import _when

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        assert _when(dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) == "1970-01-01 09:00"  # 09:00 in Seoul
    finally:
        monkeypatch.undo()
        time.tzset()

