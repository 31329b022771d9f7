"""HID POS scanners: report reassembly, then the real source on recorded reports."""

from __future__ import annotations

import sys
from unittest import mock

import pytest

from drivers.base import SourceName
from drivers.hid_source import (
    HONEYWELL,
    STANDARD,
    HidSource,
    Reassembler,
    make_reports,
    parse_hid_name,
)
from drivers.sources import list_devices, open_source
from tests.drivers.conftest import Recorder, wait_until
from tests.drivers.fake_hid import FakeHidBackend

LONG = "MW1:" + "6BFOXN*TS0BI$ZDFRH" * 9  # 166 characters: three reports


@pytest.mark.parametrize("layout", [STANDARD, HONEYWELL])
def test_reassembles_split_reports(layout: object) -> None:
    reports = make_reports(LONG, layout)  # type: ignore[arg-type]
    assert len(reports) == 3
    r = Reassembler(layout)  # type: ignore[arg-type]
    assert r.feed(reports[0], 0.0) == (None, 0)
    assert r.feed(reports[1], 0.01) == (None, 0)
    assert r.feed(reports[2], 0.02) == (LONG, 0)


def test_honeywell_layout_reads_data_from_byte_4_and_flag_at_62() -> None:
    report = bytearray(64)
    report[0], report[1] = 2, 3
    report[4:7] = b"MW1"
    report[62] = 1
    r = Reassembler(HONEYWELL)
    assert r.feed(bytes(report), 0.0) == (None, 0)
    last = bytearray(64)
    last[0], last[1] = 2, 5
    last[4:9] = b":ABC\r"
    assert r.feed(bytes(last), 0.01) == ("MW1:ABC", 0)


def test_a_stalled_fragment_is_dropped() -> None:
    r = Reassembler(STANDARD, stall=0.5)
    first, *_ = make_reports(LONG)
    r.feed(first, 0.0)
    assert r.poll(0.2) == 0
    text, dropped = r.feed(make_reports("MW1:ABC")[0], 1.0)
    assert (text, dropped) == ("MW1:ABC", 56)


def test_parse_hid_name_picks_the_layout_by_vendor() -> None:
    assert parse_hid_name(SourceName.parse("hid:0c2e:0b61"))[2] is HONEYWELL
    assert parse_hid_name(SourceName.parse("hid:05e0:1200"))[2] is STANDARD
    assert parse_hid_name(SourceName.parse("hid:05e0:1200?layout=honeywell"))[2] is HONEYWELL


def _open(backend: FakeHidBackend, recorder: Recorder) -> HidSource:
    name = f"hid:{backend.vid:04x}:{backend.pid:04x}"
    source = open_source(name, recorder.on_scan, recorder.on_state, hid_backend=backend)
    assert isinstance(source, HidSource)
    return source


def test_split_reports_unplug_replug_no_scan_lost_or_doubled(recorder: Recorder) -> None:
    backend = FakeHidBackend()
    with _open(backend, recorder):
        recorder.wait_state("connected")
        backend.send(make_reports(LONG, HONEYWELL))
        recorder.wait_scans(1)
        backend.plugged = False
        recorder.wait_state("disconnected")
        backend.plugged = True
        recorder.wait_state("connected", count=2)
        backend.send(make_reports("MW1:SECOND", HONEYWELL))
        recorder.wait_scans(2)
    assert recorder.texts == [LONG, "MW1:SECOND"]
    assert recorder.problems() == []
    assert backend.threads == {"hid-io"}  # one thread made every hidapi call
    assert backend.open_devices == 0


def test_unplug_mid_payload_drops_it_with_a_message(recorder: Recorder) -> None:
    backend = FakeHidBackend()
    source = _open(backend, recorder)
    with source:
        recorder.wait_state("connected")
        backend.send(make_reports(LONG, HONEYWELL)[:1])
        wait_until(lambda: backend.reports.empty())
        backend.plugged = False
        recorder.wait(lambda r: len(r.problems()) == 1)
    assert recorder.texts == []
    assert "cut off" in recorder.problems()[0].reason_en


def test_two_scanners_share_the_one_hid_thread(recorder: Recorder) -> None:
    backend = FakeHidBackend()
    other = Recorder()
    first = _open(backend, recorder)
    second = HidSource(
        SourceName.parse("hid:0c2e:0b61?layout=honeywell"), other.on_scan, other.on_state, backend
    )
    with first, second:
        recorder.wait_state("connected")
        other.wait_state("connected")
    assert backend.threads == {"hid-io"}


def test_keyboard_mode_scanner_is_explained(recorder: Recorder) -> None:
    backend = FakeHidBackend(usage_page=0x01)
    with _open(backend, recorder):
        recorder.wait_state("error")
    assert "keyboard" in recorder.states[-1].reason_en


def test_waits_for_an_absent_scanner(recorder: Recorder) -> None:
    backend = FakeHidBackend()
    backend.plugged = False
    with _open(backend, recorder):
        recorder.wait_state("waiting")
        backend.plugged = True
        recorder.wait_state("connected")


def test_missing_hidapi_is_reported_not_a_crash(recorder: Recorder) -> None:
    with mock.patch.dict(sys.modules, {"hid": None}):
        source = open_source("hid:0c2e:0b61", recorder.on_scan, recorder.on_state)
        source.start()
        source.stop()
        devices = list_devices()
    assert recorder.states[-1].state == "error"
    assert recorder.states[-1].reason_ko.startswith("HID 스캐너를 사용할 수 없습니다")
    assert "HID scanners unavailable" in recorder.states[-1].reason_en
    hid_lines = [d for d in devices if d.kind == "hid"]
    assert len(hid_lines) == 1 and not hid_lines[0].usable
    assert "HID scanners unavailable" in hid_lines[0].reason_en


def test_list_devices_shows_fake_pos_scanners() -> None:
    devices = list_devices(hid_backend=FakeHidBackend())
    hid = [d for d in devices if d.kind == "hid"]
    assert [d.source for d in hid] == ["hid:0c2e:0b61"]
    assert any(d.source == "keyboard" for d in devices)
