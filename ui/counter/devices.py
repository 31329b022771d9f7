"""Thin Qt adapters around the drivers, and the device status bar.

A driver calls plain callbacks from its own thread; :class:`DeviceAdapter`
re-emits them as signals, so the connected slots run on the GUI thread
(Qt queues a signal emitted from another thread). The adapter owns the
driver object: ``start()`` opens it, ``stop()`` joins its thread,
``reconnect()`` does both (the status bar's click).

Devices that run no thread of their own (the keyboard-wedge scanner, caught
by the window's event filter; the document camera, opened only for the one
frame the clerk asks for) are :class:`StatusDevice` objects: their chip shows
what the window last saw of them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from drivers.base import Connection
from records.views import KST
from ui.widgets import theme
from ui.widgets.i18n import tr
from ui.widgets.qtcompat import emit

log = logging.getLogger(__name__)

class Device(Protocol):
    """What an opener returns: a scanner, the watched folder (started on open or by start())."""

    def stop(self) -> None: ...


Delivered = Callable[[object], None]  # a drivers.base.Scan, or a page, a seal image...
# (name, on_scan, on_state) -> the device
Opener = Callable[[str, Delivered, Delivered], Device]


def default_opener(name: str, on_scan: Delivered, on_state: Delivered) -> Device:
    import drivers  # the devices layer; imported late so a missing library is a device error

    return drivers.open_source(name, on_scan, on_state)


def connection(state: str) -> Connection:
    """A state as it came through a signal (its text) back as the enum; unknown is an error."""
    try:
        return Connection(state)
    except ValueError:
        return Connection.ERROR


class DeviceAdapter(QObject):
    """One device, its callbacks re-emitted on the GUI thread.

    Signals:
        scanned(str, str): payload text and source name (a QR scanner).
        item(object): anything else the device delivers (a page path, a seal image).
        state_changed(str, str, str, bool): source, state, reason, transient.
    """

    scanned = Signal(str, str)
    item = Signal(object)
    state_changed = Signal(str, str, str, bool)

    def __init__(self, name: str, label: str, opener: Opener = default_opener,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.label = label
        self.opener = opener
        self.device: Device | None = None
        self.state = Connection.DISCONNECTED
        self.reason = ""
        self.state_changed.connect(self._remember)

    def _remember(self, _src: str, state: str, reason: str, transient: bool) -> None:
        if not transient:
            self.state, self.reason = connection(state), reason

    # called from the device thread
    def _on_scan(self, scan: object) -> None:
        text = getattr(scan, "text", None)
        if isinstance(text, str):
            emit(self.scanned, text, getattr(scan, "source", self.name))
        else:
            emit(self.item, scan)

    def _on_state(self, st: object) -> None:
        reason = getattr(st, "reason", "") or ""
        emit(self.state_changed, self.name, str(getattr(st, "state", st)), reason,
                                bool(getattr(st, "transient", False)))

    def start(self) -> None:
        if self.device is not None:
            return
        emit(self.state_changed, self.name, Connection.WAITING, "", False)
        try:
            self.device = self.opener(self.name, self._on_scan, self._on_state)
            start = getattr(self.device, "start", None)
            if callable(start) and not getattr(self.device, "running", False):
                start()
        except Exception as exc:  # a device that cannot open is shown, the window still works
            log.warning("%s: cannot open: %s", self.name, exc)
            self.device = None
            emit(self.state_changed, self.name, Connection.ERROR, str(exc), False)

    def stop(self) -> None:
        device, self.device = self.device, None
        if device is not None:
            try:
                device.stop()
            except Exception as exc:
                log.error("%s: did not stop: %s", self.name, exc)

    def reconnect(self) -> None:
        self.stop()
        self.start()


class StatusDevice(DeviceAdapter):
    """A device the window drives itself; ``mark()`` sets the state its chip shows.

    ``note`` is shown after the state (the time of the last scan); clicking the
    chip calls ``on_click`` if one is given (the document camera takes a page),
    otherwise it only sets the chip back to waiting.
    """

    def __init__(self, name: str, label: str, on_click: Callable[[], None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(name, label, parent=parent)
        self.on_click = on_click
        self.note = ""

    def start(self) -> None:
        self.note = ""
        emit(self.state_changed, self.name, Connection.WAITING, "", False)

    def stop(self) -> None:
        pass  # nothing of its own runs

    def reconnect(self) -> None:
        if self.on_click is not None:
            self.on_click()
        else:
            self.start()

    def mark(self, state: Connection, reason: str = "", note: str = "") -> None:
        self.note = note
        emit(self.state_changed, self.name, state, reason, False)

    def scanned_now(self) -> None:
        """The wedge filter caught a scan: the chip says when."""
        self.mark(Connection.CONNECTED, note=f"{tr('마지막 스캔')} {dt.datetime.now(KST).strftime('%H:%M:%S')}")


def document_capture(source: str, pages_dir: Path, timeout: float = 10.0) -> Callable[[], str]:
    """The document camera's one-page capture, to run on a worker: the saved page's path.

    ``source`` is ``camera:N`` (or ``camera:/path/video``), a video file, or an
    image file (a still photo of the desk: the page is found in it the same way).
    Raises :class:`drivers.errors.DriverError` with the clerk's message.
    """

    def capture() -> str:
        from drivers.camera import camera_target
        from drivers.documents import capture_document, page_from_frame, save_page
        from drivers.files import IMAGE_SUFFIXES
        from drivers.seal import read_image

        target = source.removeprefix("camera:")
        if not source.startswith("camera:") and Path(target).suffix.lower() in IMAGE_SUFFIXES:
            page = page_from_frame(read_image(target), source)
        else:
            page = capture_document(camera_target(target), timeout=timeout)
        pages_dir.mkdir(parents=True, exist_ok=True)
        return str(save_page(page, pages_dir).path)

    return capture


_STATE_TEXT = {
    Connection.CONNECTED: "연결됨",
    Connection.WAITING: "대기 중",
    Connection.DISCONNECTED: "연결 끊김",
    Connection.ERROR: "오류",
}
_DOT = {Connection.CONNECTED: "●", Connection.WAITING: "◌", Connection.ERROR: "✕"}


class DeviceChip(QPushButton):
    """A device's name and state; clicking it reconnects the device."""

    def __init__(self, adapter: DeviceAdapter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.adapter = adapter
        self.setProperty("kind", "device")
        self.setObjectName(f"device:{adapter.name}")
        adapter.state_changed.connect(self._update)
        self.clicked.connect(adapter.reconnect)
        self._update(adapter.name, adapter.state, adapter.reason, False)

    def _update(self, _src: str, state: str, reason: str, transient: bool) -> None:
        if transient:
            self.setToolTip(reason)
            return
        bad = state in (Connection.ERROR, Connection.DISCONNECTED)
        shown = Connection.ERROR if bad else connection(state)
        self.setProperty("state", str(shown))
        dot = _DOT.get(shown, "●")
        note = getattr(self.adapter, "note", "")
        said = note or tr(_STATE_TEXT.get(connection(state), state))
        self.setText(f"{dot} {tr(self.adapter.label)}: {said}")
        click = getattr(self.adapter, "on_click", None)
        tip = reason or (tr("누르면 한 장 찍습니다 (F7)") if click else tr("누르면 다시 연결합니다"))
        self.setToolTip(f"{self.adapter.name}\n{tip}")
        self.setAccessibleName(self.text())
        theme.repolish(self)


class DeviceBar(QWidget):
    """Every device's state, always visible."""

    def __init__(self, adapters: list[DeviceAdapter], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 2, 8, 2)
        lay.addWidget(QLabel(tr("장치")))
        self.chips = [DeviceChip(a, self) for a in adapters]
        for chip in self.chips:
            lay.addWidget(chip)
        lay.addStretch(1)
