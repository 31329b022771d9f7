"""The counter window on the two screens counters have, 1366×768 and 1024×768, in a real X
session with a window manager: it starts maximised inside the screen, and with a petition on
screen every button and heading is whole (구비서류, 실물화상기 (F7), 도장 찍기 (F9), 접수…); the
petition is accepted by the keyboard and is in the database. A screenshot of each."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.xreal.conftest import RealWindow, x_session
from tests.xreal.xserver import XSession

pytestmark = pytest.mark.slow

# What the clerk must be able to see and press on any counter screen.
MUST_SEE = ("구비서류", "실물화상기 (F7)", "도장 찍기 (F9)", "스캔 대기열", "접수")


@pytest.fixture(scope="module", params=["1366x768x24", "1024x768x24"], ids=["1366x768", "1024x768"])
def xsession(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[XSession]:
    yield from x_session(tmp_path_factory, request.param)


def test_every_button_is_whole_and_the_petition_is_accepted(counter_window: RealWindow) -> None:
    w = counter_window
    size = w.x.size.rsplit("x", 1)[0]
    for text in w.sample("mail-order"):
        w.x.scan(text)
    w.wait(lambda s: s["current"] is not None and not s["pending"], "the petition on screen")
    time.sleep(0.5)  # the layout settles
    w.shot(f"counter-{size}")
    layout = w.widgets()
    sw, sh = layout["screen"][2:]
    x, y, fw, fh = layout["frame"]
    assert layout["maximized"], layout["frame"]
    assert x >= 0 and y >= 0 and x + fw <= sw and y + fh <= sh, (layout["frame"], layout["screen"])
    items = layout["items"]
    seen = {i["text"] for i in items}
    missing = [t for t in MUST_SEE if not any(s.startswith(t) for s in seen)]
    assert not missing, (missing, sorted(seen))
    off = [i for i in items if not i["on_screen"]]
    assert not off, off  # nothing outside the screen
    cut = [i for i in items if any(i["text"].startswith(t) for t in MUST_SEE)
           and not (i["whole"] and i["wide_enough"])]
    assert not cut, [(i["text"], i["rect"], i["need"], i["whole"]) for i in cut]
    narrow = [(i["text"], i["rect"]) for i in items if not i["wide_enough"]]
    assert not narrow, narrow  # no button's or heading's text is squeezed
    time.sleep(1.3)  # the clerk looks: longer than the guard
    w.x.key("ctrl+Return")
    w.wait(lambda s: s["current"] is None and not s["pending"], "accepted")
    assert [c[1:] for c in w.cases()] == [("received", "김민원", "MAIL_ORDER_REPORT")]
