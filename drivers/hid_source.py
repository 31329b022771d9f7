"""HID POS QR scanners (hidapi, usage page 0x8C): ``hid:VID:PID[?layout=honeywell]``.

A scanner in HID POS mode sends each payload in one or more input reports:
a report id, a length byte, up to 56 data bytes and a "more follows" flag.
Honeywell's layout differs (data from byte 4, the flag at byte 62); it is
chosen by ``?layout=honeywell`` or by Honeywell's vendor id. The
:class:`Reassembler` joins the reports and is pure.

hidapi is not thread-safe, so ONE thread (``hid-io``) makes every hidapi
call for every HID scanner: enumerate, open, read, close (Electrum routes its
HID calls through one executor for the same reason). The HID sources share
that thread instead of having one each. The import of hidapi is guarded: with
it missing, HID scanners say "HID scanners unavailable" and nothing crashes.
Tests inject a fake ``hid`` module at this lowest layer (``backend=``), so
the same reassembly and thread code runs as on the counter.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from types import ModuleType
from typing import Any, ClassVar, cast

from drivers.base import (
    CUT_OFF_EN,
    CUT_OFF_KO,
    STOP_TIMEOUT,
    Connection,
    ScanCallback,
    ScanSource,
    SourceName,
    StateCallback,
)
from drivers.errors import SourceNameError, Unavailable

log = logging.getLogger(__name__)

POS_USAGE_PAGE = 0x8C
HONEYWELL_VID = 0x0C2E
REPORT_SIZE = 64
RETRY_INTERVAL = 1.0
STALL = 0.5  # seconds to wait for a "more follows" report before dropping the fragment

UNAVAILABLE_KO = "HID 스캐너를 사용할 수 없습니다"
UNAVAILABLE_EN = "HID scanners unavailable"


def load_hidapi() -> ModuleType:
    """The hidapi module (import name ``hid``), or :class:`Unavailable` saying why not."""
    try:
        import hid
    except ImportError as exc:  # missing wheel or missing libhidapi: say so, do not crash
        raise Unavailable(UNAVAILABLE_KO, f"{UNAVAILABLE_EN} (hidapi: {exc})") from exc
    return cast(ModuleType, hid)


@dataclass(frozen=True)
class ReportLayout:
    """Where the length, data and "more follows" flag sit in one input report."""

    name: str
    length_offset: int
    data_offset: int
    max_data: int
    flag_offset: int
    flag_mask: int = 0x01


STANDARD = ReportLayout("standard", length_offset=1, data_offset=2, max_data=56, flag_offset=58)
HONEYWELL = ReportLayout("honeywell", length_offset=1, data_offset=4, max_data=56, flag_offset=62)
LAYOUTS = {layout.name: layout for layout in (STANDARD, HONEYWELL)}


def make_reports(text: str, layout: ReportLayout = STANDARD, report_id: int = 2) -> list[bytes]:
    """The reports a scanner sends for ``text`` (the recorded-sequence simulator uses this)."""
    data = text.encode("utf-8")
    chunks = [data[i : i + layout.max_data] for i in range(0, len(data), layout.max_data)] or [b""]
    reports = []
    for n, chunk in enumerate(chunks):
        report = bytearray(REPORT_SIZE)
        report[0] = report_id
        report[layout.length_offset] = len(chunk)
        report[layout.data_offset : layout.data_offset + len(chunk)] = chunk
        if n < len(chunks) - 1:
            report[layout.flag_offset] |= layout.flag_mask
        reports.append(bytes(report))
    return reports


class Reassembler:
    """Joins the reports of one payload; ``feed`` returns the text once complete."""

    def __init__(self, layout: ReportLayout = STANDARD, stall: float = STALL) -> None:
        self.layout = layout
        self.stall = stall
        self._buf = bytearray()
        self._last = 0.0

    def feed(self, report: bytes, now: float) -> tuple[str | None, int]:
        """(completed text or None, bytes of a stalled fragment dropped first)."""
        dropped = self.poll(now)
        lay = self.layout
        if len(report) <= lay.length_offset:
            return None, dropped
        length = min(report[lay.length_offset], lay.max_data, max(0, len(report) - lay.data_offset))
        self._buf += report[lay.data_offset : lay.data_offset + length]
        self._last = now
        more = len(report) > lay.flag_offset and bool(report[lay.flag_offset] & lay.flag_mask)
        if more:
            return None, dropped
        text = bytes(self._buf).decode("utf-8", errors="replace").strip()
        self._buf.clear()
        return (text or None), dropped

    def poll(self, now: float) -> int:
        """Drop a fragment whose continuation never came; its size, or 0."""
        if self._buf and now - self._last >= self.stall:
            return self.cut()
        return 0

    def cut(self) -> int:
        size = len(self._buf)
        self._buf.clear()
        return size


def parse_hid_name(name: SourceName) -> tuple[int, int, ReportLayout]:
    vid_text, _, pid_text = name.target.partition(":")
    try:
        vid, pid = int(vid_text, 16), int(pid_text, 16)
    except ValueError as exc:
        raise SourceNameError(name.text, "hid:VID:PID in hex, e.g. hid:0c2e:0b61") from exc
    default = "honeywell" if vid == HONEYWELL_VID else "standard"
    layout = LAYOUTS.get(name.options.get("layout", default).lower())
    if layout is None:
        raise SourceNameError(name.text, "layout=standard|honeywell")
    return vid, pid, layout


class _HidService:
    """The one ``hid-io`` thread per hidapi backend; every hidapi call runs here."""

    _services: ClassVar[dict[int, _HidService]] = {}
    _guard = threading.Lock()

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.sources: list[HidSource] = []
        self.jobs: queue.Queue[tuple[Callable[[], object], Future[object]]] = queue.Queue()
        self.thread = threading.Thread(target=self._loop, name="hid-io", daemon=True)

    @classmethod
    def attach(cls, source: HidSource) -> None:
        with cls._guard:
            service = cls._services.get(id(source.backend))
            if service is None:
                # the source is in place before the thread starts: an empty service ends
                service = cls._services[id(source.backend)] = _HidService(source.backend)
                service.sources.append(source)
                service.thread.start()
            else:
                service.call(lambda: service.sources.append(source)).result(STOP_TIMEOUT)

    @classmethod
    def detach(cls, source: HidSource, timeout: float) -> None:
        with cls._guard:
            service = cls._services.get(id(source.backend))
            if service is None:
                return
            future = service.call(lambda: service._remove(source))
            future.result(timeout)
            if not service.sources:
                del cls._services[id(source.backend)]
                service.thread.join(timeout)
                if service.thread.is_alive():
                    raise RuntimeError(f"hid-io did not stop within {timeout} s")

    @classmethod
    def run(cls, backend: Any, fn: Callable[[], object], timeout: float = STOP_TIMEOUT) -> object:
        """Run one hidapi call on the backend's thread (e.g. enumerate for a listing)."""
        # the guard is held throughout: no source can start or end the thread meanwhile
        with cls._guard:
            service = cls._services.get(id(backend))
            if service is None:
                return fn()  # no HID thread: this caller is the only one using hidapi
            return service.call(fn).result(timeout)

    def call(self, fn: Callable[[], object]) -> Future[object]:
        future: Future[object] = Future()
        self.jobs.put((fn, future))
        return future

    def _remove(self, source: HidSource) -> None:
        source._close()
        self.sources.remove(source)

    def _loop(self) -> None:
        while True:
            while True:
                try:
                    fn, future = self.jobs.get_nowait()
                except queue.Empty:
                    break
                try:
                    future.set_result(fn())
                except Exception as exc:
                    future.set_exception(exc)
            if not self.sources:
                return
            busy = False
            for source in list(self.sources):
                busy = source._step() or busy
            if not busy:
                time.sleep(0.002)


class HidSource(ScanSource):
    """A HID POS scanner, served by the shared ``hid-io`` thread; reopens after an unplug."""

    def __init__(
        self,
        name: SourceName,
        on_scan: ScanCallback,
        on_state: StateCallback,
        backend: Any = None,
    ) -> None:
        super().__init__(name.text, on_scan, on_state)
        self.vid, self.pid, layout = parse_hid_name(name)
        self.reassembler = Reassembler(layout)
        self.backend = backend
        self._device: Any = None
        self._next_try = 0.0
        self._attached = False

    @property
    def running(self) -> bool:
        return self._attached

    def start(self) -> None:
        if self.backend is None:
            try:
                self.backend = load_hidapi()
            except Unavailable as exc:
                self._set_state(Connection.ERROR, exc.message_ko, exc.message_en)
                return
        _HidService.attach(self)
        self._attached = True

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        if self._attached:
            _HidService.detach(self, timeout)
            self._attached = False

    # --- on the hid-io thread ------------------------------------------

    def _step(self) -> bool:
        """One open attempt or one read; True when it got data."""
        now = time.monotonic()
        if self._device is None:
            if now >= self._next_try:
                self._next_try = now + RETRY_INTERVAL
                self._open()
            return False
        try:
            data = self._device.read(REPORT_SIZE, 5)
        except (OSError, ValueError) as exc:  # hidapi raises OSError("read error") on unplug
            log.info("%s: lost: %s", self.name, exc)
            self._close()
            self._set_state(Connection.DISCONNECTED, "스캐너 연결이 끊겼습니다", "scanner unplugged")
            return False
        if not data:
            self._dropped(self.reassembler.poll(now))
            return False
        text, dropped = self.reassembler.feed(bytes(data), now)
        self._dropped(dropped)
        if text:
            self._emit_scan(text)
        return True

    def _open(self) -> None:
        entries = list(self.backend.enumerate(self.vid, self.pid))
        if not entries:
            self._set_state(
                Connection.WAITING,
                f"스캐너를 기다리는 중입니다 ({self.vid:04x}:{self.pid:04x})",
                f"waiting for the scanner {self.vid:04x}:{self.pid:04x}",
            )
            return
        pos = [e for e in entries if e.get("usage_page") == POS_USAGE_PAGE]
        if not pos:
            self._set_state(
                Connection.ERROR,
                "스캐너가 HID POS 모드가 아닙니다 (키보드 모드라면 keyboard 로 설정)",
                "the scanner is not in HID POS mode (usage page 0x8C); in keyboard mode "
                "use the keyboard source",
            )
            return
        device = self.backend.device()
        try:
            device.open_path(pos[0]["path"])
        except OSError as exc:
            self._set_state(
                Connection.ERROR,
                "스캐너를 열 수 없습니다 (장치 권한 확인: udev 규칙)",
                f"cannot open the scanner: {exc} (check device permissions: udev rule for hidraw)",
            )
            return
        self._device = device
        self._set_state(Connection.CONNECTED)

    def _close(self) -> None:
        self._dropped(self.reassembler.cut())
        if self._device is not None:
            with contextlib.suppress(OSError):  # already gone
                self._device.close()
            self._device = None

    def _dropped(self, size: int) -> None:
        if size:
            self._problem(CUT_OFF_KO, f"{CUT_OFF_EN} ({size} bytes)")


def list_hid_scanners(backend: Any = None) -> list[dict[str, Any]]:
    """HID devices on usage page 0x8C (POS scanners); raises Unavailable without hidapi."""
    backend = backend or load_hidapi()
    entries = _HidService.run(backend, lambda: list(backend.enumerate(0, 0)))
    entries = cast(list[dict[str, Any]], entries)
    return [e for e in entries if e.get("usage_page") == POS_USAGE_PAGE]
