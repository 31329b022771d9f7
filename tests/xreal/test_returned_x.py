"""A returned QR scanned again, in a real X session: the banner says when, by whom and why it
was returned; no second case is made. Outcomes from the database."""

from __future__ import annotations

import time

import pytest

from tests.xreal.conftest import RealWindow

pytestmark = pytest.mark.slow


def test_a_returned_qr_rescanned_says_when_by_whom_and_why(counter_window: RealWindow) -> None:
    w = counter_window
    texts = w.sample("mail-order")
    for text in texts:
        w.x.scan(text)
    w.wait(lambda s: s["current"] is not None and not s["pending"], "the petition on screen")
    time.sleep(1.3)
    w.x.key("ctrl+r")  # 반려: the reason, typed as a person
    w.wait(lambda s: s["modal"], "the reason dialog")
    w.x.type_as_person("no ID card")
    w.x.key("Return")
    w.wait(lambda s: s["current"] is None and not s["pending"], "returned")
    assert [c[1] for c in w.cases()] == ["returned"]
    for text in texts:  # the citizen comes back with the same QR
        w.x.scan(text)
    st = w.wait(lambda s: s["banner"] is not None and "MW_REPLAY" in s["banner"]["text"], "the replay")
    text = st["banner"]["text"]
    assert "반려된 신청서" in text and "no ID card" in text and "demo-clerk" in text, text
    assert "(으)로 접수했습니다" not in text
    assert len(w.cases()) == 1
    w.shot("returned-rescanned")
