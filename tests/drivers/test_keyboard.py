"""Keyboard wedge: bursts vs typing, markers, suffixes, Caps Lock and the Korean IME."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.keyboard import Action, KeyboardSource, WedgeDetector
from drivers.sources import open_source
from tests.drivers.conftest import Recorder
from tests.helpers.ime import type_through_ime

PAYLOAD = "MW1:6BFOXN*TS0BI$ZDFRH NCF/:Q"


def burst(det: WedgeDetector, text: str, t0: float = 0.0, step: float = 0.004) -> list[Action]:
    actions: list[Action] = []
    t = t0
    for ch in text:
        actions += det.feed(ch, t)
        t += step
    return actions


def test_scanner_burst_with_enter_is_one_scan() -> None:
    det = WedgeDetector()
    actions = burst(det, PAYLOAD + "\r")
    assert actions == [Action("scan", PAYLOAD)]
    assert not det.pending


def test_burst_typed_through_the_korean_ime_is_repaired() -> None:
    typed = type_through_ime(PAYLOAD)
    assert typed != PAYLOAD and typed.startswith("ㅡㅉ1:")
    det = WedgeDetector()
    actions = burst(det, typed + "\t")  # committed syllables and jamo, as they arrive
    assert actions == [Action("scan", PAYLOAD)]


def test_caps_lock_lower_case_is_repaired() -> None:
    det = WedgeDetector()
    assert burst(det, PAYLOAD.lower() + "\r") == [Action("scan", PAYLOAD)]


def test_scan_without_suffix_ends_at_the_silence() -> None:
    det = WedgeDetector(scan_gap=0.2)
    assert burst(det, PAYLOAD) == []
    assert det.scanning
    end = 0.004 * len(PAYLOAD)
    assert det.poll(end + 0.1) == []
    assert det.poll(end + 0.3) == [Action("scan", PAYLOAD)]


def test_a_stall_inside_a_marked_scan_is_tolerated() -> None:
    det = WedgeDetector(key_gap=0.03, scan_gap=0.2)
    actions = burst(det, PAYLOAD[:10])
    actions += burst(det, PAYLOAD[10:] + "\r", t0=0.04 + 0.12)  # a 120 ms hiccup
    assert actions == [Action("scan", PAYLOAD)]


def test_scanner_settings_real_offices_have_are_recognised_uncalibrated() -> None:
    """An AIM prefix, a custom suffix, a slow scanner, a stall right after the first keys."""
    for framed in ("]Q1" + PAYLOAD + "\r", "]q1" + PAYLOAD.lower() + "\t", PAYLOAD + "#\r",
                   "]Q1" + PAYLOAD + "~"):
        det = WedgeDetector()
        assert burst(det, framed) + det.poll(10.0) == [Action("scan", PAYLOAD)], framed
    for step in (0.002, 0.04, 0.06):  # 2 to 60 ms a key
        det = WedgeDetector()
        assert burst(det, PAYLOAD + "\r", step=step) == [Action("scan", PAYLOAD)], step
    det = WedgeDetector()  # a 150 ms stall after "MW": nothing given to the widget
    actions = burst(det, PAYLOAD[:2]) + det.poll(0.008 + 0.15)
    actions += burst(det, PAYLOAD[2:] + "\r", t0=0.008 + 0.15)
    assert actions == [Action("scan", PAYLOAD)]
    det = WedgeDetector()  # ... and after "]Q"
    actions = burst(det, "]Q") + det.poll(0.15) + burst(det, "1" + PAYLOAD + "\r", t0=0.15)
    assert actions == [Action("scan", PAYLOAD)]


def test_a_person_typing_m_gets_it_back() -> None:
    det = WedgeDetector()
    assert det.feed("M", 0.0) == []  # it may be the start of a scan: held a moment
    assert det.poll(0.1) == []
    assert det.poll(0.3) == [Action("type", "M")]
    assert det.feed("x", 0.5) == [] and det.poll(0.6) == [Action("type", "x")]


def test_person_typing_is_given_back_in_order() -> None:
    det = WedgeDetector()
    actions: list[Action] = []
    t = 0.0
    for ch in "홍길동 mw1":
        actions += det.feed(ch, t)
        t += 0.15
    actions += det.poll(t + 1)
    # (m, w, 1 may be a scan's start: held a moment, then given back together)
    assert {a.kind for a in actions} == {"type"}
    assert "".join(a.text for a in actions) == "홍길동 mw1"


def test_person_pressing_enter_gets_the_enter() -> None:
    det = WedgeDetector()
    assert det.feed("a", 0.0) == []
    assert det.feed("\r", 0.5) == [Action("type", "a"), Action("type", "\r")]


def test_unmarked_fast_burst_is_a_scan_but_a_held_key_is_not() -> None:
    det = WedgeDetector()
    assert burst(det, "https://example.org\r") == [Action("scan", "HTTPS://EXAMPLE.ORG")]
    det = WedgeDetector()
    actions = burst(det, "aaaaaaaaaa", step=0.01) + det.poll(10.0)
    assert actions == [Action("type", "aaaaaaaaaa")]


def test_total_timeout_grows_with_length() -> None:
    long_payload = "MW1:" + "ABCDEFGHIJ" * 90  # 904 keys
    det = WedgeDetector()
    # 10 ms per key: 9 s in all, within 0.5 + 0.02 * 904 s
    assert burst(det, long_payload + "\r", step=0.01) == [Action("scan", long_payload)]
    det = WedgeDetector()
    # 60 ms per key (a slow scanner): 54 s, within 0.5 + 0.075 * 904 s
    assert burst(det, long_payload + "\r", step=0.06) == [Action("scan", long_payload)]
    det = WedgeDetector()
    # 90 ms per key, stalls below scan_gap: 81 s is over the total, dropped with a message
    actions = burst(det, long_payload + "\r", step=0.09)
    dropped = [a for a in actions if a.kind == "dropped"]
    assert len(dropped) == 1 and "다시 스캔" in dropped[0].reason_ko
    assert not any(a.kind == "scan" and a.text == long_payload for a in actions)


def test_keyboard_source_on_its_thread(recorder: Recorder) -> None:
    typed: list[str] = []
    source = KeyboardSource("keyboard", recorder.on_scan, recorder.on_state, on_typed=typed.append)
    with source:
        recorder.wait_state("connected")
        for n, ch in enumerate(type_through_ime(PAYLOAD) + "\r"):
            source.feed_key(ch, 100.0 + n * 0.003)
        recorder.wait_scans(1)
    assert recorder.texts == [PAYLOAD]
    assert recorder.scans[0].source == "keyboard"


def test_keyboard_source_reads_a_pipe(recorder: Recorder) -> None:
    read_fd, write_fd = os.pipe()
    try:
        source = open_source("keyboard", recorder.on_scan, recorder.on_state, keyboard_stream=read_fd)
        with source:
            os.write(write_fd, (type_through_ime(PAYLOAD) + "\n").encode())
            recorder.wait_scans(1)
    finally:
        os.close(read_fd)
        os.close(write_fd)
    assert recorder.texts == [PAYLOAD]


BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


@settings(max_examples=60, deadline=None)
@given(
    body=st.text(alphabet=BASE45, min_size=1, max_size=300),
    prefix=st.sampled_from(["MW1:", "MWP:"]),
    gaps=st.lists(st.floats(0.0005, 0.025), min_size=1, max_size=50),
    ime=st.booleans(),
    caps=st.booleans(),
    suffix=st.sampled_from(["\r", "\t", ""]),
)
def test_any_scan_burst_is_one_scan(
    body: str, prefix: str, gaps: list[float], ime: bool, caps: bool, suffix: str
) -> None:
    payload = prefix + body
    typed = type_through_ime(payload, caps_lock=caps) if ime else (
        payload.lower() if caps else payload
    )
    det = WedgeDetector()
    actions: list[Action] = []
    t = 0.0
    for n, ch in enumerate(typed + suffix):
        actions += det.feed(ch, t)
        t += gaps[n % len(gaps)]
    actions += det.poll(t + 1.0)
    assert actions == [Action("scan", payload.strip())]


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                 min_size=1, max_size=40),
    gaps=st.lists(st.floats(0.06, 0.5), min_size=1, max_size=20),
)
def test_person_typing_is_never_a_scan(text: str, gaps: list[float]) -> None:
    det = WedgeDetector()
    actions: list[Action] = []
    t = 0.0
    for n, ch in enumerate(text):
        actions += det.feed(ch, t)
        t += gaps[n % len(gaps)]
    actions += det.poll(t + 1.0)
    assert all(a.kind == "type" for a in actions)
    assert "".join(a.text for a in actions) == text


def test_a_learned_custom_suffix_of_base45_characters_is_taken_off() -> None:
    """After the scanner set-up: a prefix and a suffix the scanner adds, even letters."""
    from decoding.calibration import TEST_PAYLOAD, learn

    profile = learn("S1" + TEST_PAYLOAD + "END\r")
    typed = "S1MW1:ABC123END"
    for learned in (False, True):
        det = WedgeDetector(prefix=profile.prefix, suffix=profile.suffix) if learned else WedgeDetector()
        actions = [a for i, ch in enumerate(typed) for a in det.feed(ch, i * 0.005)]
        actions += det.feed("\r", len(typed) * 0.005)
        scans = [a.text for a in actions if a.kind == "scan"]
        assert scans == (["MW1:ABC123"] if learned else ["S1MW1:ABC123END"])
        assert det.last_raw == typed + "\r" and len(det.last_times) == len(typed)
