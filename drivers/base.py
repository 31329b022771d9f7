"""What every QR scanner source shares: scans, states, names and the thread.

A source is named by one string, used the same way in configuration, CLI and
logs (trezorlib's ``PATH_PREFIX`` idea): ``serial:PORT[?baud=9600&term=cr]``,
``hid:VID:PID``, ``camera:N`` or ``camera:/path/video.avi``, ``keyboard`` and
``fake:NAME``. A :class:`ScanSource` runs its device on one named thread and
reports through two plain callbacks, called from that thread:

* ``on_scan(Scan)`` once per complete payload, never a half one;
* ``on_state(DeviceState)`` when the device's state changes, and for a
  one-off problem (``transient=True``, e.g. a scan cut off midway) that
  leaves the device as it was.

The Qt adapter in ``ui/`` re-emits both as signals on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import parse_qsl

from drivers.errors import SourceNameError

log = logging.getLogger(__name__)

class Connection(StrEnum):
    """A device's state, as the drivers report it and the window's chips show it."""

    CONNECTED = "connected"
    WAITING = "waiting"
    DISCONNECTED = "disconnected"
    ERROR = "error"


State = Connection

# How long stop() waits for a device thread before saying it is stuck.
STOP_TIMEOUT = 5.0

# A payload that did not arrive whole (serial, HID) is dropped with this message.
CUT_OFF_KO = "스캔 내용이 중간에 끊겨 버렸습니다. 다시 스캔해 주세요."
CUT_OFF_EN = "the scan was cut off midway and was discarded; scan again"


@dataclass(frozen=True)
class Scan:
    """One complete payload read by a scanner."""

    text: str
    source: str
    time: float = field(default_factory=time.time)


@dataclass(frozen=True)
class DeviceState:
    """A device's state, with the reason when it is not simply connected.

    ``transient`` marks a one-off problem (a scan cut off and dropped): show
    the reason, but the device stays in the state it was in.
    """

    source: str
    state: State
    reason_ko: str = ""
    reason_en: str = ""
    transient: bool = False

    @property
    def reason(self) -> str:
        return f"{self.reason_ko} / {self.reason_en}" if self.reason_ko else self.reason_en


ScanCallback = Callable[[Scan], None]
StateCallback = Callable[[DeviceState], None]


@dataclass(frozen=True)
class SourceName:
    """A parsed source name: ``kind:target?key=value&...``."""

    kind: str
    target: str
    options: dict[str, str]
    text: str

    @classmethod
    def parse(cls, text: str) -> SourceName:
        from drivers.sources import SOURCE_KINDS  # the one registry of kinds

        kind, _, rest = text.strip().partition(":")
        kind = kind.lower()
        if kind not in SOURCE_KINDS:
            raise SourceNameError(text)
        target, _, query = rest.partition("?")
        try:
            options = dict(parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query)))
        except ValueError as exc:
            raise SourceNameError(text) from exc
        if SOURCE_KINDS[kind].needs_target and not target:
            raise SourceNameError(text)
        return cls(kind, target, options, text.strip())

    def float_option(self, key: str, default: float) -> float:
        value = self.options.get(key)
        if value is None:
            return default
        try:
            return float(value)
        except ValueError as exc:
            raise SourceNameError(self.text, f"{key}={value}") from exc


class ScanSource:
    """A scanner on its own named thread; start()/stop() or use it as a context manager.

    Subclasses implement :meth:`_run`, which loops until ``self._stopping``
    is set, and use :meth:`_emit_scan` / :meth:`_set_state`. A callback that
    raises is logged and does not kill the device thread.
    """

    def __init__(self, name: str, on_scan: ScanCallback, on_state: StateCallback) -> None:
        self.name = name
        self._on_scan = on_scan
        self._on_state = on_state
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._state: State | None = None

    @property
    def state(self) -> State | None:
        return self._state

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError(f"{self.name} already started")
        self._thread = threading.Thread(
            target=self._main, name=f"scanner {self.name}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        self._stopping.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive():
                raise RuntimeError(f"{thread.name} did not stop within {timeout} s")

    def __enter__(self) -> ScanSource:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- for subclasses -------------------------------------------------

    def _run(self) -> None:
        raise NotImplementedError

    def _main(self) -> None:
        try:
            self._run()
        except Exception as exc:  # the thread must report, not die silently
            log.exception("%s: device thread failed", self.name)
            self._set_state(
                Connection.ERROR, "장치 처리 중 오류가 났습니다", f"device thread failed: {exc}"
            )

    def _emit_scan(self, text: str) -> None:
        try:
            self._on_scan(Scan(text, self.name))
        except Exception:  # a faulty consumer must not stop the scanner
            log.exception("%s: on_scan callback failed", self.name)

    def _set_state(
        self, state: State, reason_ko: str = "", reason_en: str = "", *, force: bool = False
    ) -> None:
        if state == self._state and not force:
            return
        self._state = state
        self._report(DeviceState(self.name, state, reason_ko, reason_en))

    def _problem(self, reason_ko: str, reason_en: str) -> None:
        """A one-off problem (e.g. a dropped scan); the state stays as it is."""
        log.warning("%s: %s", self.name, reason_en)
        self._report(
            DeviceState(self.name, self._state or Connection.CONNECTED, reason_ko, reason_en, transient=True)
        )

    def _report(self, state: DeviceState) -> None:
        try:
            self._on_state(state)
        except Exception:
            log.exception("%s: on_state callback failed", self.name)

    def _sleep(self, seconds: float) -> bool:
        """Wait, waking early on stop(); True when stopping."""
        return self._stopping.wait(seconds)
