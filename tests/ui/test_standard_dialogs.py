"""Qt's own dialogs and buttons speak the window's language (qtbase_ko)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from ui.app import install_qt_translations


@pytest.fixture
def korean(qapp: QApplication) -> Iterator[None]:
    assert install_qt_translations("ko")
    yield
    install_qt_translations("en")
    QLocale.setDefault(QLocale.c())


def test_standard_buttons_and_file_dialog_are_korean(korean: None) -> None:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.No
                           | QDialogButtonBox.StandardButton.Cancel)  # fmt: skip
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
