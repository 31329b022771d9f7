"""The review window without a mouse: rows not cells, Enter into a case, tabs, reveal, 반려 dialog."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton, QTabBar
from pytestqt.qtbot import QtBot

from app.review_demo import DemoDay
from decoding.forms.catalogue import Catalogue
from tests.ui.helpers import WAIT, audit_actions, idle, open_review, select_case
from ui.review.dialogs import ReturnDialog
from ui.review.window import ReviewWindow


@pytest.fixture
def window(qtbot: QtBot, day: DemoDay, catalogue: Catalogue) -> Iterator[ReviewWindow]:
    w = open_review(qtbot, day, catalogue)
    yield w
    w.shutdown()


def focused() -> object:
    return QApplication.focusWidget()


def test_tab_leaves_the_table_and_opens_nothing(qtbot: QtBot, window: ReviewWindow, day: DemoDay) -> None:
    w = window
    w.activateWindow()
    w.select_row(0)
    qtbot.wait_until(lambda: w.bundle is not None, timeout=WAIT)
    idle(qtbot, w)
    w.table.setFocus()
    views = audit_actions(day).count("view")
    opened = w.case_id
    qtbot.keyClick(w.table, Qt.Key.Key_Tab)
    idle(qtbot, w)
    assert focused() is not w.table  # out of the table, not to its next cell
    assert w.case_id == opened and w.table.currentIndex().row() == 0
    assert audit_actions(day).count("view") == views  # nothing more opened, nothing audited


def test_arrows_walk_cases_and_enter_goes_into_one(qtbot: QtBot, window: ReviewWindow) -> None:
    w = window
    w.activateWindow()
    w.select_row(0)
    idle(qtbot, w)
    w.table.setFocus()
    first = w.case_id
    qtbot.keyClick(w.table, Qt.Key.Key_Down)
    qtbot.wait_until(lambda: w.bundle is not None and w.bundle.detail.row.id != first, timeout=WAIT)
    idle(qtbot, w)
    assert w.table.currentIndex().row() == 1
    qtbot.keyClick(w.table, Qt.Key.Key_Return)
    assert w.detail.isAncestorOf(focused())  # type: ignore[arg-type]
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)  # type: ignore[arg-type]
    assert focused() is w.table


def test_detail_tabs_and_reveal_by_keyboard(qtbot: QtBot, window: ReviewWindow, day: DemoDay) -> None:
    w = window
    w.activateWindow()
    receipt = day.receipts["proxy-resident-copy"]
    select_case(qtbot, w, receipt.case_id)
    w.table.setFocus()
    qtbot.keyClick(w.table, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert w.detail.tabs.currentIndex() == 2  # 수정 내역
    qtbot.keyClick(w.table, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert w.detail.tabs.currentIndex() == 0
    button = focused()
    assert isinstance(button, QPushButton) and button.objectName().startswith("reveal:")
    w.confirm = lambda title, text: True
    qtbot.keyClick(button, Qt.Key.Key_Space)
    qtbot.wait_until(lambda: bool(w.detail.revealed), timeout=WAIT)
    idle(qtbot, w)
    assert audit_actions(day, receipt.case_number).count("reveal_rrn") == 1
    # the tab bar is a Tab stop of its own, reached from the case's buttons
    w.detail.enter()
    for _ in range(6):
        if isinstance(focused(), QTabBar):
            break
        w.focusNextChild()
    assert isinstance(focused(), QTabBar)


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_return_dialog_tab_moves_and_enter_submits(qtbot: QtBot) -> None:
    dlg = ReturnDialog("3210000-2026-000001")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.wait_until(lambda: focused() is dlg.text, timeout=WAIT)
    qtbot.keyClick(dlg.text, Qt.Key.Key_Return)  # nothing written: nothing happens
    assert dlg.isVisible() and dlg.reason() == ""
    qtbot.keyClicks(dlg.text, "no id")
    qtbot.keyClick(dlg.text, Qt.Key.Key_Tab)
    assert "\t" not in dlg.text.toPlainText() and focused() is not dlg.text
    dlg.text.setFocus()
    qtbot.keyClick(dlg.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert dlg.isVisible() and "\n" in dlg.text.toPlainText()
    with qtbot.wait_signal(dlg.accepted, timeout=WAIT):
        qtbot.keyClick(dlg.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dlg.reason().startswith("no id")
    assert dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
