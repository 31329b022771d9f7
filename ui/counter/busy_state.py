"""How long the database has kept the clerk waiting, shown so it cannot be missed.

A case database locked by another counter (SQLite on a shared folder, a long
export) or a slow network makes an accept wait. A few seconds is "확인 중…";
past that the header says plainly that the database is not answering, for how
long, and that nothing typed is lost, in the warning colour, then the error
colour.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel

from ui.widgets import theme
from ui.widgets.i18n import tr

SLOW_AFTER = 3.0  # seconds: from here on it is not "checking" any more
STUCK_AFTER = 15.0


class BusyWatch(QObject):
    """Drives the header's busy label from the worker's busy state."""

    def __init__(self, label: QLabel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.since: float | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.level = ""

    def set_busy(self, busy: bool) -> None:
        if busy and self.since is None:
            self.since = time.monotonic()
            self.timer.start()
            self._show("", tr("확인 중…"))
        elif not busy:
            self.since = None
            self.timer.stop()
            self._show("", "")

    def _tick(self) -> None:
        if self.since is None:
            return
        waited = time.monotonic() - self.since
        if waited < SLOW_AFTER:
            return
        level = "error" if waited >= STUCK_AFTER else "warning"
        text = tr("데이터베이스 응답을 기다리는 중 ({n}초). 입력한 내용은 보존됩니다.").replace(
            "{n}", str(int(waited)))
        if level == "error":
            text += " " + tr("계속되면 전산 담당자에게 알려 주세요.")
        self._show(level, text)

    def _show(self, level: str, text: str) -> None:
        self.level = level
        self.label.setText(text)
        colour = {"warning": theme.WARNING, "error": theme.ERROR}.get(level)
        self.label.setStyleSheet(
            f"color: white; background: {colour}; font-weight: 700; padding: 4px 10px;"
            " border-radius: 6px;" if colour else "")

    def stop(self) -> None:
        self.timer.stop()
