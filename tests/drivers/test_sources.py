"""``list_devices``: what is attached, and why a device cannot be used."""

from __future__ import annotations

import pytest

from drivers import sources
from drivers.serial_source import SerialPortInfo
from tests.drivers.fake_hid import FakeHidBackend


def test_permission_problems_are_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    port = SerialPortInfo("/dev/ttyACM0", "Honeywell 1950g", 0x0C2E, 0x0B61, "Honeywell", "1950g")
    monkeypatch.setattr("drivers.serial_source.list_serial_ports", lambda: [port])
    monkeypatch.setattr(sources.os, "access", lambda path, mode: False)
    devices = {d.source: d for d in sources.list_devices(hid_backend=FakeHidBackend())}
    serial = devices["serial:/dev/ttyACM0"]
    assert not serial.usable and "dialout" in serial.reason_en and "권한" in serial.reason_ko
    assert "0c2e:0b61" in serial.description
    hid = devices["hid:0c2e:0b61"]
    assert not hid.usable and "udev" in hid.reason_en
    assert devices["keyboard"].usable


def test_usable_devices(monkeypatch: pytest.MonkeyPatch) -> None:
    port = SerialPortInfo("/dev/ttyACM0", "scanner", None, None, None, None)
    monkeypatch.setattr("drivers.serial_source.list_serial_ports", lambda: [port])
    monkeypatch.setattr(sources.os, "access", lambda path, mode: True)
    devices = {d.source: d for d in sources.list_devices(hid_backend=FakeHidBackend())}
    assert devices["serial:/dev/ttyACM0"].usable and devices["hid:0c2e:0b61"].usable


def test_a_new_kind_of_scanner_is_one_registry_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding a kind touches only SOURCE_KINDS: names parse, it opens, it is listed, the
    window labels it."""
    from drivers.base import ScanSource, SourceName
    from drivers.fake import FakeSource

    opened: list[SourceName] = []

    def open_bt(name: SourceName, on_scan: object, on_state: object,
                extras: sources.Extras) -> ScanSource:
        opened.append(name)
        return FakeSource(SourceName("fake", "none", {}, "fake:none"), on_scan, on_state)  # type: ignore[arg-type]

    def listed(extras: sources.Extras) -> list[sources.DeviceInfo]:
        return [sources.DeviceInfo("bt:00:11", "bt", "Bluetooth scanner", True)]

    kinds = dict(sources.SOURCE_KINDS)
    kinds["bt"] = sources.SourceKind("bt", "블루투스 스캐너", open_bt, listed)
    monkeypatch.setattr(sources, "SOURCE_KINDS", kinds)
    assert SourceName.parse("bt:00:11?pin=1").options == {"pin": "1"}
    source = sources.open_source("bt:00:11", lambda scan: None, lambda state: None)
    assert isinstance(source, ScanSource) and opened[0].target == "00:11"
    assert "bt:00:11" in {d.source for d in sources.list_devices(hid_backend=FakeHidBackend())}
    assert sources.label_of("bt:00:11") == "블루투스 스캐너"
