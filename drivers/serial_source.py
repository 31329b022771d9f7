"""Serial / USB-CDC QR scanners (pyserial): ``serial:PORT?baud=9600&term=cr``.

The scanner sends each payload followed by a terminator: CR, LF, CRLF, or
nothing but a silence (``term=gap``, ``gap=0.05`` seconds). :class:`Framer`
cuts the byte stream into payloads and is pure, so it is tested on its own.
A payload cut off midway (the cable pulled, or the bytes stop for longer than
``stall`` seconds before the terminator) is dropped with a message, never
delivered half. After an unplug the source tries to reopen the port about
once a second and says so through its state.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import time
from dataclasses import dataclass
from typing import Any, Literal

from drivers.base import (
    CUT_OFF_EN,
    CUT_OFF_KO,
    Connection,
    ScanCallback,
    ScanSource,
    SourceName,
    StateCallback,
)
from drivers.errors import SourceNameError

log = logging.getLogger(__name__)

Terminator = Literal["cr", "lf", "crlf", "gap"]
_TERMINATORS: dict[str, bytes] = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n"}

RETRY_INTERVAL = 1.0  # seconds between attempts to reopen an unplugged port
READ_TIMEOUT = 0.02  # a read returns at the first byte; this only bounds the stop() delay


@dataclass(frozen=True)
class Payload:
    text: str


@dataclass(frozen=True)
class Dropped:
    size: int  # bytes thrown away


class Framer:
    """Cuts scanner bytes into payloads by terminator or by silence.

    ``feed(data, now)`` and ``poll(now)`` return the payloads completed and
    the cut-off fragments dropped, in order. Surrounding white space is
    removed (spec section 3); empty payloads (a lone terminator) are ignored.
    """

    def __init__(self, term: Terminator = "cr", gap: float = 0.05, stall: float = 0.5) -> None:
        self.term = term
        self.gap = gap
        self.stall = stall
        self._buf = bytearray()
        self._last = 0.0

    @property
    def pending(self) -> bool:
        return bool(self._buf.strip())

    def feed(self, data: bytes, now: float) -> list[Payload | Dropped]:
        out = self.poll(now)
        if not data:
            return out
        self._buf += data
        self._last = now
        if self.term == "gap":
            return out
        sep = _TERMINATORS[self.term]
        while (i := self._buf.find(sep)) >= 0:
            chunk = bytes(self._buf[:i])
            del self._buf[: i + len(sep)]
            self._deliver(chunk, out)
        return out

    def poll(self, now: float) -> list[Payload | Dropped]:
        """What silence completes: a gap-terminated payload, or a stalled fragment."""
        out: list[Payload | Dropped] = []
        if not self._buf:
            return out
        quiet = now - self._last
        if self.term == "gap" and quiet >= self.gap:
            chunk = bytes(self._buf)
            self._buf.clear()
            self._deliver(chunk, out)
        elif self.term != "gap" and quiet >= self.stall:
            out.extend(self.cut())
        return out

    def cut(self) -> list[Payload | Dropped]:
        """The line went away: whatever is buffered is a fragment."""
        size = len(self._buf.strip())
        self._buf.clear()
        return [Dropped(size)] if size else []

    @staticmethod
    def _deliver(chunk: bytes, out: list[Payload | Dropped]) -> None:
        text = chunk.decode("utf-8", errors="replace").strip()
        if text:
            out.append(Payload(text))


def parse_serial_name(name: SourceName) -> tuple[str, int, Terminator, float, float]:
    """``serial:PORT?baud=&term=&gap=&stall=`` → (port, baud, term, gap, stall)."""
    try:
        baud = int(name.options.get("baud", "9600"))
    except ValueError as exc:
        raise SourceNameError(name.text, "baud") from exc
    term = name.options.get("term", "cr").lower()
    if term not in ("cr", "lf", "crlf", "gap"):
        raise SourceNameError(name.text, "term=cr|lf|crlf|gap")
    gap = name.float_option("gap", 0.05)
    stall = name.float_option("stall", 0.5)
    return name.target, baud, term, gap, stall  # type: ignore[return-value]  # checked above


class SerialSource(ScanSource):
    """A serial scanner on thread ``scanner serial:...``; reopens after an unplug."""

    def __init__(self, name: SourceName, on_scan: ScanCallback, on_state: StateCallback) -> None:
        super().__init__(name.text, on_scan, on_state)
        self.port, self.baud, term, gap, stall = parse_serial_name(name)
        self.framer = Framer(term, gap, stall)

    def _run(self) -> None:
        import serial  # pyserial is a hard dependency; imported here to keep start-up light

        while not self._stopping.is_set():
            try:
                port = serial.Serial(self.port, self.baud, timeout=READ_TIMEOUT)
            except (serial.SerialException, OSError) as exc:
                self._open_failed(exc)
                if self._sleep(RETRY_INTERVAL):
                    return
                continue
            self._set_state(Connection.CONNECTED)
            try:
                self._read_loop(port)
            except (serial.SerialException, OSError) as exc:
                log.info("%s: lost: %s", self.name, exc)
                self._flush_cut()
                self._set_state(Connection.DISCONNECTED, "스캐너 연결이 끊겼습니다", "scanner unplugged")
            finally:
                # the device may already be gone; nothing more to release then
                with contextlib.suppress(serial.SerialException, OSError):
                    port.close()
            if self._sleep(RETRY_INTERVAL if not self._stopping.is_set() else 0):
                return

    def _read_loop(self, port: Any) -> None:
        framer = self.framer
        while not self._stopping.is_set():
            waiting = port.in_waiting
            data: bytes = port.read(waiting or 1)
            self._handle(framer.feed(data, time.monotonic()))
        # stopping: a half-read payload is dropped, not delivered
        self._flush_cut()

    def _flush_cut(self) -> None:
        self._handle(self.framer.cut())

    def _handle(self, events: list[Payload | Dropped]) -> None:
        for event in events:
            if isinstance(event, Payload):
                self._emit_scan(event.text)
            else:
                self._problem(CUT_OFF_KO, f"{CUT_OFF_EN} ({event.size} bytes)")

    def _open_failed(self, exc: BaseException) -> None:
        code = getattr(exc, "errno", None)
        if code is None:  # pyserial on Windows puts the WinError in the message only
            text = str(exc)
            if "FileNotFoundError" in text:
                code = errno.ENOENT
            elif "PermissionError" in text:  # Windows: "access denied" is a port in use
                code = errno.EBUSY
        if code in (errno.EACCES, errno.EPERM):
            self._set_state(
                Connection.ERROR,
                f"{self.port} 에 접근 권한이 없습니다 (dialout 그룹 확인)",
                f"permission denied on {self.port} (add the user to the dialout group)",
            )
        elif code == errno.EBUSY:
            self._set_state(
                Connection.ERROR,
                f"{self.port} 를 다른 프로그램이 쓰고 있습니다",
                f"{self.port} is in use by another program",
            )
        elif code in (errno.ENOENT, errno.ENXIO, errno.ENODEV, errno.EIO):
            self._set_state(
                Connection.WAITING,
                f"스캐너를 기다리는 중입니다 ({self.port})",
                f"waiting for the scanner on {self.port}",
            )
        else:
            self._set_state(
                Connection.ERROR, f"{self.port} 를 열 수 없습니다: {exc}", f"cannot open {self.port}: {exc}"
            )


@dataclass(frozen=True)
class SerialPortInfo:
    device: str
    description: str
    vid: int | None
    pid: int | None
    manufacturer: str | None
    product: str | None

    @property
    def usb_id(self) -> str:
        if self.vid is None or self.pid is None:
            return ""
        return f"{self.vid:04x}:{self.pid:04x}"


def list_serial_ports() -> list[SerialPortInfo]:
    """The serial ports present, with their USB vendor and product where known."""
    from serial.tools import list_ports

    return [
        SerialPortInfo(p.device, p.description, p.vid, p.pid, p.manufacturer, p.product)
        for p in sorted(list_ports.comports(), key=lambda p: p.device)
    ]
