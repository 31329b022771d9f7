"""Opening a scanner by name, and listing what is attached: one registry of source kinds.

``open_source("serial:/dev/ttyACM0?term=crlf", on_scan, on_state)`` returns a
:class:`~drivers.base.ScanSource` (not started); use it as a context manager
or call ``start()``/``stop()``. ``list_devices()`` says what is attached and
usable, and why not when a library or a permission is missing.

Every kind of scanner is one :class:`SourceKind` in :data:`SOURCE_KINDS`
(trezorlib's transports idea): its name prefix, how to open it, how to list
what is attached, the label the window shows. Adding a kind is adding one
entry here; :class:`~drivers.base.SourceName`, ``devices list`` and the
window's device chips all read this registry.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.base import ScanCallback, ScanSource, SourceName, StateCallback
from drivers.errors import Unavailable


@dataclass(frozen=True)
class DeviceInfo:
    """One line of ``devices list``: a source name, what it is, and whether it is usable."""

    source: str
    kind: str
    description: str
    usable: bool
    reason_ko: str = ""
    reason_en: str = ""


@dataclass(frozen=True)
class Extras:
    """What tests and tools may hand a source instead of the real thing."""

    hid_backend: Any = None  # replaces the ``hid`` module (tests, recorded reports)
    keyboard_stream: Any = None  # a file descriptor the ``keyboard`` source reads
    keyboard_detector: Any = None  # the ``keyboard`` source's WedgeDetector (a learned profile's)


Opener = Callable[[SourceName, ScanCallback, StateCallback, Extras], ScanSource]


@dataclass(frozen=True)
class SourceKind:
    """One kind of scanner: ``kind:target?options``."""

    kind: str
    label_ko: str  # what the window's device chip says
    open: Opener
    devices: Callable[[Extras], list[DeviceInfo]] | None = None  # what is attached
    needs_target: bool = True


def _open_serial(name: SourceName, on_scan: ScanCallback, on_state: StateCallback,
                 extras: Extras) -> ScanSource:
    from drivers.serial_source import SerialSource

    return SerialSource(name, on_scan, on_state)


def _open_hid(name: SourceName, on_scan: ScanCallback, on_state: StateCallback,
              extras: Extras) -> ScanSource:
    from drivers.hid_source import HidSource

    return HidSource(name, on_scan, on_state, backend=extras.hid_backend)


def _open_camera(name: SourceName, on_scan: ScanCallback, on_state: StateCallback,
                 extras: Extras) -> ScanSource:
    from drivers.camera import CameraSource

    return CameraSource(name, on_scan, on_state)


def _open_keyboard(name: SourceName, on_scan: ScanCallback, on_state: StateCallback,
                   extras: Extras) -> ScanSource:
    from drivers.keyboard import KeyboardSource

    return KeyboardSource(name.text, on_scan, on_state, stream=extras.keyboard_stream,
                          detector=extras.keyboard_detector)


def _open_fake(name: SourceName, on_scan: ScanCallback, on_state: StateCallback,
               extras: Extras) -> ScanSource:
    from drivers.fake import VIDEO_SUFFIXES, FakeSource, resolve_fake

    path = resolve_fake(name.target)
    if path is not None and path.suffix.lower() in VIDEO_SUFFIXES:
        from drivers.camera import CameraSource

        video = SourceName("camera", str(path), name.options, name.text)
        return CameraSource(video, on_scan, on_state, once=True)
    return FakeSource(name, on_scan, on_state)


def open_source(
    name: str,
    on_scan: ScanCallback,
    on_state: StateCallback,
    *,
    hid_backend: Any = None,
    keyboard_stream: Any = None,
    keyboard_detector: Any = None,
) -> ScanSource:
    """The scanner named ``name``; raises :class:`~drivers.errors.SourceNameError` on a bad name.

    ``hid_backend`` replaces the ``hid`` module (tests, recorded reports);
    ``keyboard_stream`` is a file descriptor the ``keyboard`` source reads;
    ``keyboard_detector`` the :class:`~drivers.keyboard.WedgeDetector` it uses (one made
    with the prefix/suffix the scanner set-up learned; the common settings when None).
    """
    parsed = SourceName.parse(name)
    extras = Extras(hid_backend=hid_backend, keyboard_stream=keyboard_stream,
                    keyboard_detector=keyboard_detector)
    return SOURCE_KINDS[parsed.kind].open(parsed, on_scan, on_state, extras)


def label_of(name: str) -> str:
    """What the window calls the scanner named ``name`` (its kind's label)."""
    kind = SOURCE_KINDS.get(name.split(":", 1)[0].strip().lower())
    return kind.label_ko if kind else name


def _serial_devices(extras: Extras) -> list[DeviceInfo]:
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


def _hid_devices(extras: Extras) -> list[DeviceInfo]:
    from drivers.hid_source import list_hid_scanners

    try:
        entries = list_hid_scanners(extras.hid_backend)
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


def _camera_devices(extras: Extras) -> list[DeviceInfo]:
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


def _keyboard_devices(extras: Extras) -> list[DeviceInfo]:
    return [DeviceInfo("keyboard", "keyboard", "USB keyboard-wedge scanner", True)]


SOURCE_KINDS: dict[str, SourceKind] = {k.kind: k for k in (
    SourceKind("serial", "QR 스캐너", _open_serial, _serial_devices),
    SourceKind("hid", "QR 스캐너", _open_hid, _hid_devices),
    SourceKind("camera", "QR 카메라", _open_camera, _camera_devices),
    SourceKind("keyboard", "키보드 스캐너", _open_keyboard, _keyboard_devices, needs_target=False),
    SourceKind("fake", "QR 스캐너(모의)", _open_fake),
)}


def list_devices(hid_backend: Any = None, cameras: bool = True) -> list[DeviceInfo]:
    """Everything a scanner could be on this PC; the keyboard wedge is always there.

    ``cameras=False`` leaves cameras out (on Windows listing them opens each one,
    which a running counter window holding a camera must not suffer)."""
    extras = Extras(hid_backend=hid_backend)
    return [d for k in SOURCE_KINDS.values() if k.devices and (cameras or k.kind != "camera")
            for d in k.devices(extras)]
