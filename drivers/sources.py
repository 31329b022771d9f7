"""Opening a scanner by name, and listing what is attached.

``open_source("serial:/dev/ttyACM0?term=crlf", on_scan, on_state)`` returns a
:class:`~drivers.base.ScanSource` (not started); use it as a context manager
or call ``start()``/``stop()``. ``list_devices()`` says what is attached and
usable, and why not when a library or a permission is missing.
"""

from __future__ import annotations

import glob
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.base import ScanCallback, ScanSource, SourceName, StateCallback
from drivers.errors import Unavailable


def open_source(
    name: str,
    on_scan: ScanCallback,
    on_state: StateCallback,
    *,
    hid_backend: Any = None,
    keyboard_stream: Any = None,
) -> ScanSource:
    """The scanner named ``name``; raises :class:`~drivers.errors.SourceNameError` on a bad name.

    ``hid_backend`` replaces the ``hid`` module (tests, recorded reports);
    ``keyboard_stream`` is a file descriptor the ``keyboard`` source reads.
    """
    parsed = SourceName.parse(name)
    if parsed.kind == "serial":
        from drivers.serial_source import SerialSource

        return SerialSource(parsed, on_scan, on_state)
    if parsed.kind == "hid":
        from drivers.hid_source import HidSource

        return HidSource(parsed, on_scan, on_state, backend=hid_backend)
    if parsed.kind == "camera":
        from drivers.camera import CameraSource

        return CameraSource(parsed, on_scan, on_state)
    if parsed.kind == "keyboard":
        from drivers.keyboard import KeyboardSource

        return KeyboardSource(parsed.text, on_scan, on_state, stream=keyboard_stream)
    from drivers.fake import VIDEO_SUFFIXES, FakeSource, resolve_fake

    path = resolve_fake(parsed.target)
    if path is not None and path.suffix.lower() in VIDEO_SUFFIXES:
        from drivers.camera import CameraSource

        video = SourceName("camera", str(path), parsed.options, parsed.text)
        return CameraSource(video, on_scan, on_state, once=True)
    return FakeSource(parsed, on_scan, on_state)


@dataclass(frozen=True)
class DeviceInfo:
    """One line of ``devices list``: a source name, what it is, and whether it is usable."""

    source: str
    kind: str
    description: str
    usable: bool
    reason_ko: str = ""
    reason_en: str = ""


def _serial_devices() -> list[DeviceInfo]:
    from drivers.serial_source import list_serial_ports

    out = []
    for port in list_serial_ports():
        usable = os.access(port.device, os.R_OK | os.W_OK) if os.name == "posix" else True
        desc = " ".join(x for x in (port.usb_id, port.manufacturer or "", port.description) if x)
        out.append(
            DeviceInfo(
                f"serial:{port.device}",
                "serial",
                desc,
                usable,
                "" if usable else "장치 파일 접근 권한이 없습니다 (dialout 그룹)",
                "" if usable else "permission denied on the device file (dialout group)",
            )
        )
    return out


def _hid_devices(backend: Any = None) -> list[DeviceInfo]:
    from drivers.hid_source import list_hid_scanners

    try:
        entries = list_hid_scanners(backend)
    except Unavailable as exc:
        return [DeviceInfo("hid:", "hid", "HID POS", False, exc.message_ko, exc.message_en)]
    out = []
    for e in entries:
        path = e.get("path", b"")
        path_text = path.decode(errors="replace") if isinstance(path, bytes) else str(path)
        usable = os.access(path_text, os.R_OK | os.W_OK) if path_text.startswith("/dev/") else True
        desc = " ".join(
            str(x) for x in (e.get("manufacturer_string"), e.get("product_string")) if x
        )
        out.append(
            DeviceInfo(
                f"hid:{e.get('vendor_id', 0):04x}:{e.get('product_id', 0):04x}",
                "hid",
                desc or "HID POS scanner",
                usable,
                "" if usable else f"{path_text} 접근 권한이 없습니다 (udev 규칙)",
                "" if usable else f"permission denied on {path_text} (add a udev rule)",
            )
        )
    return out


def _camera_devices() -> list[DeviceInfo]:
    try:
        import cv2  # noqa: F401  (only checking it imports)
    except ImportError as exc:
        return [
            DeviceInfo("camera:", "camera", "", False, "OpenCV 가 없습니다", f"OpenCV missing: {exc}")
        ]
    if sys.platform.startswith("linux"):
        # V4L2 nodes; opening each would make OpenCV print warnings for metadata nodes
        out = []
        for node in sorted(glob.glob("/dev/video*")):
            index = node.removeprefix("/dev/video")
            usable = os.access(node, os.R_OK | os.W_OK)
            name_file = Path(f"/sys/class/video4linux/video{index}/name")
            desc = name_file.read_text().strip() if name_file.exists() else node
            out.append(
                DeviceInfo(
                    f"camera:{index}",
                    "camera",
                    desc,
                    usable,
                    "" if usable else "카메라 접근 권한이 없습니다 (video 그룹)",
                    "" if usable else "permission denied on the camera (video group)",
                )
            )
        return out
    from drivers.camera import probe_cameras

    return [DeviceInfo(f"camera:{i}", "camera", f"camera {i}", True) for i in probe_cameras()]


def list_devices(hid_backend: Any = None, cameras: bool = True) -> list[DeviceInfo]:
    """Everything a scanner could be on this PC; the keyboard wedge is always there.

    ``cameras=False`` leaves cameras out (on Windows listing them opens each one,
    which a running counter window holding a camera must not suffer)."""
    devices = [*_serial_devices(), *_hid_devices(hid_backend)]
    if cameras:
        devices += _camera_devices()
    devices.append(DeviceInfo("keyboard", "keyboard", "USB keyboard-wedge scanner", True))
    return devices
