"""Taking something from a slow device (the seal scanner, the document camera) off the GUI thread.

One :class:`Capture` per device: a capture at a time on its own worker (a
camera waits seconds for the sheet to lie still, so scans are not held up),
the busy text while it runs, then ``taken(path)`` or the error in the banner
(with the alert sound and the device's chip marked, when there is one).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from drivers.base import Connection
from ui.counter.devices import StatusDevice
from ui.widgets import Banner
from ui.widgets.i18n import tr
from ui.widgets.sound import Alert
from ui.widgets.workers import TaskRunner


class Capture(QObject):
    """One device capture at a time; the outcome goes to ``taken`` or the banner."""

    def __init__(
        self,
        parent: QObject,
        capture: Callable[[], str] | None,
        taken: Callable[[str, int | None], object],
        *,
        busy: QLabel,
        banner: Banner,
        busy_ko: str,
        missing_ko: str,
        failed_ko: str,
        alert: Alert | None = None,
        device: StatusDevice | None = None,
        name: str = "capture",
    ) -> None:
        super().__init__(parent)
        self.capture = capture
        self.taken = taken
        self.busy = busy
        self.banner = banner
        self.busy_ko, self.missing_ko, self.failed_ko = busy_ko, missing_ko, failed_ko
        self.alert = alert
        self.device = device
        self.runner = TaskRunner(self, name=name)

    def start(self, serial: int | None = None) -> bool:
        """Take one (F7 / F9 / a button) for the petition ``serial`` (``taken`` gets it back, so
        what comes after that petition closed is not given to the next); False when no device
        is set up or one is running."""
        if self.capture is None:
            self.banner.show_message("warning", tr(self.missing_ko))
            return False
        if self.runner.pending:
            return False  # one at a time
        self.busy.setText(tr(self.busy_ko))
        self.runner.submit(self.capture, lambda path: self._taken(path, serial), self._failed)
        return True

    def _taken(self, path: str, serial: int | None) -> None:
        self.busy.setText("")
        self.taken(str(path), serial)
        if self.device is not None:
            self.device.mark(Connection.CONNECTED)

    def _failed(self, exc: BaseException) -> None:
        self.busy.setText("")
        self.banner.show_message("error", f"{tr(self.failed_ko)}: {exc}")
        if self.alert is not None:
            self.alert.play()
        if self.device is not None:
            self.device.mark(Connection.ERROR, str(exc))

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        return self.runner.shutdown(timeout_ms)
