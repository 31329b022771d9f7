"""Scanner settings real offices have, in a real X session, before any calibration: an AIM
prefix (]Q1); an Enter, Tab, custom or no suffix; a slow scanner (60 ms a key); a stall of
about 0.1 s after the first two keys; keypad digits with NumLock off and on (Caps Lock and the
Korean input method: test_scanner_keys.py). Each scan is one petition on screen: no refusal,
nothing typed into a widget, the focus where it was. Then the set-up (Ctrl+Shift+K) learns a
custom prefix and suffix and the next scan with them is read."""

from __future__ import annotations

import time

import pytest

from tests.xreal.conftest import RealWindow

pytestmark = pytest.mark.slow

# keysyms for xdotool key: the keypad with NumLock off for digits, the rest as the scanner types them
KEYPAD = {"0": "KP_Insert", "1": "KP_End", "2": "KP_Down", "3": "KP_Next", "4": "KP_Left",
          "5": "KP_Begin", "6": "KP_Right", "7": "KP_Home", "8": "KP_Up", "9": "KP_Prior"}
NAMES = {" ": "space", ":": "colon", "$": "dollar", "%": "percent", "*": "asterisk", "+": "plus",
         "-": "minus", ".": "period", "/": "slash"}


def one_scan(w: RealWindow) -> dict[str, object]:
    st = w.wait(lambda s: s["current"] is not None and not s["pending"], "the scan on screen")
    st = w.idle()
    assert st["current"] == "김민원", st
    assert st["queue"] == ["current"], st  # one scan, no refusals
    assert st["focus"].get("text", "") == "", st
    return st


@pytest.mark.parametrize("framing", ["aim", "hash", "tab", "none"])
def test_aim_prefix_and_each_suffix(counter_window: RealWindow, framing: str) -> None:
    w = counter_window
    text = w.sample("resident-copy")[0]
    before = w.focus("queue_list")["focus"]
    if framing == "aim":
        w.x.scan("]Q1" + text)
    elif framing == "hash":
        w.x.scan(text + "#", suffix="")  # a suffix set to '#', no Enter
    elif framing == "tab":
        w.x.scan(text, suffix="Tab")
    else:
        w.x.scan(text, suffix="")  # nothing after: the silence ends it
    st = one_scan(w)
    assert st["focus"] == before, st  # a Tab suffix did not move the focus


def test_a_slow_scanner(counter_window: RealWindow) -> None:
    w = counter_window
    w.x.scan(w.sample("resident-copy")[0], delay_ms=60)
    one_scan(w)


def test_a_stall_after_the_first_keys(counter_window: RealWindow) -> None:
    """A stall of about 0.1 s between "MW" and the rest (USB, a busy PC): not "MW" typed and
    the rest refused."""
    w = counter_window
    text = w.sample("resident-copy")[0]
    w.focus("queue_list")  # a list takes letters as a search: "MW" would move its selection
    # ``xdotool type`` types all its arguments (it does not chain): two runs, 0.08 s apart
    # plus the second run's start, about 0.1-0.13 s of silence after "MW" (the defect: 60 ms
    # sent "MW" to the widget); the detector waits 0.2 s, so a slow start on a busy machine
    # does not make the test fail
    w.x.scan(text[:2], suffix="")
    time.sleep(0.08)
    w.x.scan(text[2:])
    one_scan(w)


def test_keypad_digits_with_numlock_on(counter_window: RealWindow) -> None:
    w = counter_window
    text = w.sample("resident-copy")[0]
    w.x.num_lock(True)
    try:
        keys = [f"KP_{ch}" if ch.isdigit() else NAMES.get(ch) or ch for ch in text]
        w.x.run_tool(["xdotool", "key", "--delay", "2", *keys, "KP_Enter"])
        one_scan(w)
    finally:
        w.x.num_lock(False)


def test_keypad_digits_with_numlock_off(counter_window: RealWindow) -> None:
    w = counter_window
    text = w.sample("resident-copy")[0]
    keys = [KEYPAD.get(ch) or NAMES.get(ch) or ch for ch in text]
    w.x.run_tool(["xdotool", "key", "--delay", "2", *keys, "Return"])
    one_scan(w)
    w.shot("keypad-numlock-off")


def test_the_set_up_learns_a_custom_prefix_and_suffix(counter_window: RealWindow) -> None:
    """Ctrl+Shift+K, the test code scanned by a scanner that adds "S1" before and "END" + Tab
    after (letters a rescan cannot tell from the QR's own): saved, and the next petition
    scanned with them is read."""
    import json

    from decoding.calibration import TEST_PAYLOAD

    w = counter_window
    w.x.key("ctrl+shift+k")
    st = w.wait(lambda s: s["modal"].get("window") == "스캐너 설정", "the set-up dialog")
    w.x.scan("S1" + TEST_PAYLOAD + "END", suffix="Tab")
    profile = w.folder / "data" / "scanner-profile.json"
    w.wait(lambda s: profile.exists(), "the profile saved")
    saved = json.loads(profile.read_text(encoding="utf-8"))
    assert (saved["prefix"], saved["suffix"]) == ("S1", "END\t"), saved
    assert saved["median_gap_ms"] is not None and saved["max_gap_ms"] is not None, saved
    w.shot("scanner-set-up-learned")
    w.x.key("Escape")
    st = w.wait(lambda s: not s["modal"], "the dialog closed")
    w.x.scan("S1" + w.sample("resident-copy")[0] + "END", suffix="Tab")
    st = one_scan(w)
    assert st["modal"] == {}, st
