"""Device I/O: QR scanners (serial, HID POS, camera, keyboard wedge), the seal
scanner and document intake. Each device runs on its own named thread and
reports through plain callbacks; no Qt.

Start here: :func:`drivers.sources.open_source` and :mod:`drivers.base`.
"""

from __future__ import annotations

from drivers.base import DeviceState, Scan, ScanSource
from drivers.errors import DriverError
from drivers.sources import list_devices, open_source

__all__ = ["DeviceState", "DriverError", "Scan", "ScanSource", "list_devices", "open_source"]
