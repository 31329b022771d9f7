"""A fake ``hid`` module: recorded HID POS report sequences, unplug and replug.

It is injected at the lowest layer (``backend=``), in place of hidapi, so the
real reassembly and the real ``hid-io`` thread run. It records which threads
called it: hidapi must only ever be called from one.
"""

from __future__ import annotations

import queue
import threading
from typing import Any


class FakeHidBackend:
    def __init__(self, vid: int = 0x0C2E, pid: int = 0x0B61, usage_page: int = 0x8C) -> None:
        self.vid, self.pid, self.usage_page = vid, pid, usage_page
        self.plugged = True
        self.reports: queue.Queue[bytes] = queue.Queue()
        self.threads: set[str] = set()
        self.open_devices = 0

    def _touch(self) -> None:
        self.threads.add(threading.current_thread().name)

    def enumerate(self, vid: int = 0, pid: int = 0) -> list[dict[str, Any]]:
        self._touch()
        if not self.plugged or (vid and vid != self.vid) or (pid and pid != self.pid):
            return []
        return [
            {
                "path": b"/dev/fake-hidraw0",
                "vendor_id": self.vid,
                "product_id": self.pid,
                "usage_page": self.usage_page,
                "usage": 2,
                "manufacturer_string": "Fake",
                "product_string": "POS scanner",
            }
        ]

    def device(self) -> FakeHidDevice:
        self._touch()
        return FakeHidDevice(self)

    def send(self, reports: list[bytes]) -> None:
        for report in reports:
            self.reports.put(report)


class FakeHidDevice:
    def __init__(self, backend: FakeHidBackend) -> None:
        self.backend = backend
        self.opened = False

    def open_path(self, path: bytes) -> None:
        self.backend._touch()
        if not self.backend.plugged:
            raise OSError("open failed")
        self.opened = True
        self.backend.open_devices += 1

    def read(self, size: int, timeout_ms: int = 0) -> list[int]:
        self.backend._touch()
        if not self.backend.plugged:
            raise OSError("read error")
        try:
            report = self.backend.reports.get(timeout=timeout_ms / 1000)
        except queue.Empty:
            return []
        return list(report[:size])

    def close(self) -> None:
        self.backend._touch()
        if self.opened:
            self.opened = False
            self.backend.open_devices -= 1
