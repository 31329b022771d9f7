"""The review window's questions: a return reason, a confirmation, a file to export to."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.widgets import ok_cancel
from ui.widgets.i18n import tr

# The reasons a petition is most often returned for; the supervisor may write any other.
COMMON_REASONS = (
    "구비서류 미비",
    "본인 또는 대리인 확인 불가",
    "위임장 내용 불충분",
    "신청 내용 불명확",
    "수수료 미납",
)


class ReturnDialog(QDialog):
    """Asks why a case is returned; OK stays disabled until a reason is written.

    Keyboard: the cursor starts in the reason; Tab moves on (it does not type a
    tab), Enter or Ctrl+Enter returns the case once a reason is written
    (Shift+Enter starts a new line), Esc cancels.
    """

    def __init__(self, case_number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("민원 반려"))
        lay = QVBoxLayout(self)
        head = QLabel(f"{case_number} — {tr('반려 사유를 적어 주세요. 민원인에게 안내되는 내용입니다.')}")
        head.setWordWrap(True)
        lay.addWidget(head)
        self.common = QComboBox()
        self.common.addItem(tr("— 자주 쓰는 사유 —"), "")
        for reason in COMMON_REASONS:
            self.common.addItem(tr(reason), reason)
        self.common.activated.connect(self._pick)
        lay.addWidget(self.common)
        self.text = QPlainTextEdit()
        self.text.setObjectName("return-reason")
        self.text.setPlaceholderText(tr("반려 사유"))
        self.text.setMinimumHeight(100)
        self.text.setTabChangesFocus(True)
        self.text.installEventFilter(self)
        self.text.textChanged.connect(self._changed)
        lay.addWidget(self.text)
        self.buttons = ok_cancel(self.accept, self.reject)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("반려"))
        ok.setProperty("kind", "danger")
        lay.addWidget(self.buttons)
        self.resize(520, 300)
        self._changed()
        self.text.setFocus()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.text and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                if self.reason():
                    self.accept()
                return True  # an empty reason: Enter does nothing (OK is disabled too)
        return super().eventFilter(obj, event)

    def _pick(self, index: int) -> None:
        reason = self.common.itemData(index)
        if reason:
            self.text.setPlainText(reason)

    def _changed(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.reason()))

    def reason(self) -> str:
        return self.text.toPlainText().strip()


def ask_reason(parent: QWidget, case_number: str) -> str | None:
    dlg = ReturnDialog(case_number, parent)
    try:
        return dlg.reason() if dlg.exec() == QDialog.DialogCode.Accepted and dlg.reason() else None
    finally:
        dlg.deleteLater()


def confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_export_path(parent: QWidget, day: dt.date) -> Path | None:
    default = str(Path.home() / f"민원-{day.isoformat()}.xlsx")
    name, chosen = QFileDialog.getSaveFileName(
        parent, tr("하루치 내보내기"), default, "Excel (*.xlsx);;CSV (*.csv)")
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        path = path.with_suffix(".csv" if "csv" in chosen.lower() else ".xlsx")
    return path
