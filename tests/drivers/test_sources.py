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
