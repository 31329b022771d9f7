"""Serial scanners: the framer on its own, then the real source on a pty pair."""

from __future__ import annotations

import pytest

from drivers.base import SourceName
from drivers.errors import SourceNameError
from drivers.serial_source import (
    Dropped,
    Framer,
    Payload,
    SerialSource,
    list_serial_ports,
    parse_serial_name,
)
from drivers.sources import open_source
from tests.drivers.conftest import PtyScanner, Recorder, wait_until

MW1 = "MW1:6BFOXN*TS0BI$ZDFRH"
MW1_B = "MW1:NCFOXN*TS0BI$ZDYYY"


@pytest.mark.parametrize(
    ("term", "data"),
    [("cr", b"\r"), ("lf", b"\n"), ("crlf", b"\r\n")],
)
def test_framer_terminators(term: str, data: bytes) -> None:
    framer = Framer(term)  # type: ignore[arg-type]
    out = framer.feed(MW1.encode()[:5], 0.0)
    assert out == []
    out = framer.feed(MW1.encode()[5:] + data + MW1_B.encode() + data, 0.01)
    assert out == [Payload(MW1), Payload(MW1_B)]
    assert not framer.pending


def test_framer_gap() -> None:
    framer = Framer("gap", gap=0.05)
    assert framer.feed(MW1.encode()[:7], 0.0) == []
    assert framer.feed(MW1.encode()[7:], 0.01) == []
    assert framer.poll(0.03) == []
    assert framer.poll(0.07) == [Payload(MW1)]


def test_framer_drops_a_stalled_fragment_and_keeps_the_next_payload() -> None:
    framer = Framer("cr", stall=0.5)
    assert framer.feed(b"MW1:6BFO", 0.0) == []
    # the rest never came; a full payload follows a second later
    out = framer.feed(MW1_B.encode() + b"\r", 1.0)
    assert out == [Dropped(8), Payload(MW1_B)]


def test_framer_ignores_lone_terminators_and_crlf_in_cr_mode() -> None:
    framer = Framer("cr")
    assert framer.feed(b"\r\n\r" + MW1.encode() + b"\r\n", 0.0) == [Payload(MW1)]


def test_parse_serial_name() -> None:
    name = SourceName.parse("serial:/dev/ttyACM0?baud=115200&term=crlf")
    assert parse_serial_name(name) == ("/dev/ttyACM0", 115200, "crlf", 0.05, 0.5)
    with pytest.raises(SourceNameError) as info:
        parse_serial_name(SourceName.parse("serial:COM3?term=semicolon"))
    assert "스캐너 이름" in info.value.message


def test_pty_scan_unplug_replug_no_scan_lost_or_doubled(
    pty_scanner: PtyScanner, recorder: Recorder
) -> None:
    with open_source(f"serial:{pty_scanner.link}", recorder.on_scan, recorder.on_state):
        recorder.wait_state("connected")
        pty_scanner.write(MW1.encode() + b"\r")
        recorder.wait_scans(1)
        pty_scanner.unplug()
        recorder.wait_state("disconnected")
        pty_scanner.plug()
        recorder.wait_state("connected", count=2)
        pty_scanner.write(MW1_B.encode() + b"\r")
        recorder.wait_scans(2)
    assert recorder.texts == [MW1, MW1_B]
    assert recorder.problems() == []
    assert recorder.scans[0].source == f"serial:{pty_scanner.link}"


def test_pty_cut_off_payload_is_dropped_with_a_message(
    pty_scanner: PtyScanner, recorder: Recorder
) -> None:
    source = open_source(f"serial:{pty_scanner.link}", recorder.on_scan, recorder.on_state)
    assert isinstance(source, SerialSource)
    with source:
        recorder.wait_state("connected")
        pty_scanner.write(MW1.encode()[:10])
        wait_until(lambda: source.framer.pending)  # read by the source...
        pty_scanner.unplug()  # ...then the cable is pulled
        recorder.wait(lambda r: len(r.problems()) == 1)
        pty_scanner.plug()
        recorder.wait_state("connected", count=2)
        pty_scanner.write(MW1_B.encode() + b"\r")
        recorder.wait_scans(1)
    assert recorder.texts == [MW1_B]
    problem = recorder.problems()[0]
    assert "끊겨" in problem.reason_ko
    assert "cut off" in problem.reason_en


def test_pty_gap_terminated(pty_scanner: PtyScanner, recorder: Recorder) -> None:
    name = f"serial:{pty_scanner.link}?baud=115200&term=gap&gap=0.05"
    with open_source(name, recorder.on_scan, recorder.on_state):
        recorder.wait_state("connected")
        pty_scanner.write(MW1.encode())
        recorder.wait_scans(1)
    assert recorder.texts == [MW1]


def test_missing_port_waits_then_connects(pty_scanner: PtyScanner, recorder: Recorder) -> None:
    pty_scanner.unplug()
    pty_scanner.link.unlink()
    with open_source(f"serial:{pty_scanner.link}", recorder.on_scan, recorder.on_state):
        recorder.wait_state("waiting")
        assert "기다리는" in recorder.states[0].reason_ko
        pty_scanner.plug()
        recorder.wait_state("connected")
        pty_scanner.write(MW1.encode() + b"\r")
        recorder.wait_scans(1)
    assert recorder.texts == [MW1]


def test_list_serial_ports_runs() -> None:
    ports = list_serial_ports()
    assert all(p.device for p in ports)


def test_pty_stalled_payload_is_dropped_and_the_next_one_kept(
    pty_scanner: PtyScanner, recorder: Recorder
) -> None:
    with open_source(f"serial:{pty_scanner.link}?stall=0.2", recorder.on_scan, recorder.on_state):
        recorder.wait_state("connected")
        pty_scanner.write(MW1.encode()[:12])  # the scanner stops sending midway
        recorder.wait(lambda r: len(r.problems()) == 1)
        pty_scanner.write(MW1_B.encode() + b"\r")
        recorder.wait_scans(1)
    assert recorder.texts == [MW1_B]
    assert recorder.state_names() == ["connected"]


@pytest.mark.parametrize(
    ("message", "state"),
    [
        ("could not open port 'COM3': FileNotFoundError(2, 'not found')", "waiting"),
        ("could not open port 'COM3': PermissionError(13, 'Access is denied.')", "error"),
    ],
)
def test_windows_open_errors(message: str, state: str, recorder: Recorder) -> None:
    import serial

    source = SerialSource(SourceName.parse("serial:COM3"), recorder.on_scan, recorder.on_state)
    source._open_failed(serial.SerialException(message))
    assert recorder.states[-1].state == state
    if state == "error":
        assert "another program" in recorder.states[-1].reason_en
