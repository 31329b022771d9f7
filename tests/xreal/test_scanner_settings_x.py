"""Scanner settings real offices have, in a real X session, before any calibration: an AIM
prefix (]Q1), a custom suffix, a slow scanner (40 ms a key), keypad digits with NumLock off.
Each scan is one petition on screen: no refusal, nothing typed into a widget."""

from __future__ import annotations

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


@pytest.mark.parametrize("framing", ["aim", "suffix"])
def test_aim_prefix_and_custom_suffix(counter_window: RealWindow, framing: str) -> None:
    w = counter_window
    text = w.sample("resident-copy")[0]
    if framing == "aim":
        w.x.scan("]Q1" + text)
    else:
        w.x.scan(text + "#", suffix="")  # a suffix set to '#', no Enter
    one_scan(w)


def test_a_slow_scanner(counter_window: RealWindow) -> None:
    w = counter_window
    w.x.scan(w.sample("resident-copy")[0], delay_ms=40)
    one_scan(w)


def test_keypad_digits_with_numlock_off(counter_window: RealWindow) -> None:
    w = counter_window
    text = w.sample("resident-copy")[0]
    keys = [KEYPAD.get(ch) or NAMES.get(ch) or ch for ch in text]
    w.x.run_tool(["xdotool", "key", "--delay", "2", *keys, "Return"])
    one_scan(w)
    w.shot("keypad-numlock-off")
