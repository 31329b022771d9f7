"""A keyboard-wedge scanner in a real X session: Shift, spaces, Caps Lock, the Korean IME.

``xdotool type`` sends each character as X key events, pressing Shift for
upper-case letters and ``:$%*+`` exactly as a USB scanner does. Outcomes are
read from the window's state and from the case database.
"""

from __future__ import annotations

import pytest

from tests.helpers.ime import type_through_ime
from tests.xreal.conftest import RealWindow

pytestmark = pytest.mark.slow


def scan_and_wait(w: RealWindow, text: str, **kw: object) -> dict[str, object]:
    w.x.scan(text, **kw)  # type: ignore[arg-type]
    return w.idle()


def test_scan_with_focus_on_the_accept_button_presses_nothing(counter_window: RealWindow) -> None:
    w = counter_window
    first, second = w.sample("resident-copy")[0], w.sample("mail-order")[0]
    st = scan_and_wait(w, first)
    assert st["current"] == "김민원", st
    assert w.focus("accept_button")["focus"]["name"] == "accept"
    st = scan_and_wait(w, second)  # the QR has spaces: each would press the focused button
    assert w.cases() == []  # nothing was accepted
    assert st["current"] == "김민원"
    assert st["queue"].count("waiting") == 1 and "rejected" not in st["queue"], st
    assert st["focus"]["name"] == "accept", st  # the keyboard stays where the clerk left it
    w.shot("scan-on-accept-button")


@pytest.mark.parametrize("widget", ["paper_button", "queue_list", "attachments"])
def test_scan_with_focus_elsewhere_is_one_scan(counter_window: RealWindow, widget: str) -> None:
    w = counter_window
    w.focus(widget)
    st = scan_and_wait(w, w.sample("resident-copy")[0])
    assert st["current"] == "김민원", st
    assert st["modal"] == {}, st  # 종이 신청서 / 파일 추가 did not open
    assert "rejected" not in st["queue"]


def test_scan_into_an_open_dialog_is_one_scan(counter_window: RealWindow) -> None:
    w = counter_window
    w.x.key("ctrl+n")
    st = w.wait(lambda s: s["modal"], "the paper petition dialog")
    title = st["modal"]["window"]
    st = scan_and_wait(w, w.sample("resident-copy")[0])
    assert st["modal"].get("window") == title, st  # still open, nothing typed into it
    assert st["focus"].get("text", "") == "", st
    # the paper petition being typed keeps its place; the QR waits behind it, checked
    assert st["queue"] == ["checking", "waiting"] and st["current"] is None, st


def test_scan_with_caps_lock_on(counter_window: RealWindow) -> None:
    w = counter_window
    w.x.caps_lock(True)
    try:
        st = scan_and_wait(w, w.sample("resident-copy")[0])
    finally:
        w.x.caps_lock(False)
    assert st["current"] == "김민원", st
    assert st["queue"] == ["current"], st  # one scan, not dozens of MW_PREFIX rejections


def test_scan_through_the_korean_input_method(counter_window: RealWindow) -> None:
    """The IME in Hangul mode turns the scanner's letters into jamo and syllables; X types those."""
    w = counter_window
    text = w.sample("resident-copy")[0]
    typed = type_through_ime(text)
    w.x.map_characters(typed)  # a Korean keyboard map: the jamo are on keys of their own
    st = scan_and_wait(w, typed)
    assert st["current"] == "김민원", st
    assert st["queue"] == ["current"], st
