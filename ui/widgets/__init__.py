"""Widgets the counter's windows share: the message banner, the OK/Cancel box, a one-line
question, a key held down."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QWidget,
)

from ui.widgets import theme
from ui.widgets.i18n import english, tr
from ui.widgets.qtcompat import emit


def heading(text: str, role: str = "h2") -> QLabel:
    """A title label in the theme's ``role`` (h1, h2, section)."""
    label = QLabel(text)
    label.setProperty("role", role)
    return label


class Banner(QFrame):
    """A message across the top: a rejected scan (error), an accepted case (success)..."""

    def __init__(self, parent: QWidget | None = None, *, close_text: str = "닫기 (Esc)",
                 text_name: str = "banner-text") -> None:
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


class HoldKey(QObject):
    """An event filter: ``pressed`` when ``key`` goes down, ``released`` when it comes up;
    the key goes no further. Holding F8 shows the full RRNs.

    A key held down repeats (the X and Windows default): one hold is one press and
    one release, whether or not the window system marks the repeats. Where it does
    not, a repeat is a release and a press a few milliseconds apart, so a release
    counts only once no press follows within ``REPEAT_GAP_MS``.
    """

    pressed = Signal()
    released = Signal()
    REPEAT_GAP_MS = 80

    def __init__(self, key: Qt.Key, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.down = False
        self._release = QTimer(self)
        self._release.setSingleShot(True)
        self._release.setInterval(self.REPEAT_GAP_MS)
        self._release.timeout.connect(self._released)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            assert isinstance(event, QKeyEvent)
            if event.key() == self.key:
                if not event.isAutoRepeat():
                    if event.type() == QEvent.Type.KeyPress:
                        self._release.stop()  # a repeat, or pressed again at once: still held
                        if not self.down:
                            self.down = True
                            emit(self.pressed)
                    elif self.down:
                        self._release.start()
                return True
        return False

    def _released(self) -> None:
        if self.down:
            self.down = False
            emit(self.released)

    def release_now(self) -> None:
        """The window lost focus: the key's release will never come here."""
        self._release.stop()
        self._released()


DATABASE_ERROR_KO = "데이터베이스를 열 수 없습니다. 접수할 수 없으니 전산 담당자에게 알려 주세요."
DATABASE_ERROR_EN = "Cannot open the case database; petitions cannot be accepted. Please tell your IT staff."


def database_error_text(exc: BaseException) -> str:
    """Why the case database did not open, Korean then English (the driver's own words last)."""
    text = str(getattr(exc, "orig", None) or exc)
    detail = text.splitlines()[0] if text else type(exc).__name__
    also = "" if english() else f"\n{DATABASE_ERROR_EN}"  # IT staff may read only English
    return f"{tr(DATABASE_ERROR_KO)}{also}\n({detail})"
