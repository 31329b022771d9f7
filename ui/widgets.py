"""Widgets the counter's windows share: the message banner, the OK/Cancel box, a one-line question."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QWidget,
)

from ui import theme
from ui.i18n import tr


class Banner(QFrame):
    """A message across the top: a rejected scan (error), an accepted case (success)..."""

    def __init__(self, parent: QWidget | None = None, *, close_text: str = "닫기 (Esc)",
                 text_name: str = "banner-text") -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("banner")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(14, 8, 8, 8)
        self.text = QLabel()
        self.text.setObjectName(text_name)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.text, 1)
        close = QPushButton(tr(close_text))
        close.clicked.connect(self.hide)
        lay.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.kind = ""
        self.hide()

    def show_message(self, kind: str, text: str) -> None:
        self.kind = kind
        self.setProperty("kind", kind)
        self.text.setText(text)
        theme.repolish(self)
        self.setAccessibleDescription(text)
        self.show()


def ok_cancel(on_ok: Callable[[], object], on_cancel: Callable[[], object]) -> QDialogButtonBox:
    """확인 / 취소 buttons, connected."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("확인"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("취소"))
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(on_cancel)
    return buttons


def ask_text(parent: QWidget, title: str, label: str, text: str = "") -> tuple[str, bool]:
    """A one-line question in the window's style (QInputDialog.getText, themed)."""
    dlg = QInputDialog(parent)
    theme.style_sheet_on(dlg)
    dlg.setWindowTitle(title)
    dlg.setLabelText(label)
    dlg.setTextValue(text)
    dlg.setOkButtonText(tr("확인"))
    dlg.setCancelButtonText(tr("취소"))
    dlg.resize(520, dlg.sizeHint().height())
    ok = dlg.exec() == QInputDialog.DialogCode.Accepted
    value = dlg.textValue()
    dlg.deleteLater()
    return value, ok
