"""The supervisor's review window driven by the keyboard alone through a day's cases, in a
real X session: ↓ through the day, Enter into a case, the tabs, 주민등록번호 보기, 반려 with
a reason typed and Enter. Outcomes from the case database."""

from __future__ import annotations

import time

import pytest

from tests.xreal.conftest import RealWindow

pytestmark = pytest.mark.slow


def test_a_days_cases_by_keyboard_alone(review_window: RealWindow) -> None:
    w = review_window
    st = w.wait(lambda s: s["rows"] == 5 and not s["pending"], "the day")
    assert st["focus"]["name"] == "review-cases", st  # the list has the keyboard at once
    w.x.key("Down")  # the first case
    st = w.wait(lambda s: s["shown"] is not None and not s["pending"], "the first case")
    views = len(w.audit("view"))
    seen = {st["shown"]}
    for _ in range(4):  # ↓ through the day: each case shows beside the list
        w.x.key("Down")
        st = w.wait(lambda s: not s["pending"] and s["shown"] not in seen, "the next case")
        seen.add(st["shown"])
    assert len(seen) == 5
    w.x.key("Tab")  # leaves the table: no case opened on the way
    time.sleep(0.5)
    st = w.idle()
    assert st["focus"]["name"] != "review-cases" and st["row"] == 4, st
    assert len(w.audit("view")) == views + 4  # the four cases walked to, once each
    w.x.key("shift+Tab")  # back to the list, on the same row
    st = w.wait(lambda s: s["focus"].get("name") == "review-cases", "back in the list")
    assert st["row"] == 4 and st["status"] == "received", st  # the last case: still open
    w.x.key("Return")  # into the case
    st = w.wait(lambda s: s["focus"].get("name") != "review-cases", "focus in the case")
    w.x.key("alt+3")
    st = w.wait(lambda s: s["tab"] == 2, "수정 내역 tab")
    w.x.key("alt+1")
    st = w.wait(lambda s: s["tab"] == 0 and s["focus"].get("name", "").startswith("reveal:"), "the reveal button")
    w.x.key("space")  # 주민등록번호 보기: asks first (the audit)
    st = w.wait(lambda s: s["modal"], "the question")
    w.x.key("Return")  # default is 아니요 (No): nothing shown, nothing audited
    st = w.wait(lambda s: not s["modal"], "the question answered")
    reveals = len(w.audit("reveal_rrn"))
    w.x.key("space")
    w.wait(lambda s: s["modal"], "the question")
    w.x.key("alt+y")  # 예(&Y): Qt's Korean buttons keep their mnemonic
    st = w.wait(lambda s: s["revealed"] and not s["pending"], "the number shown")
    assert len(w.audit("reveal_rrn")) == reveals + 1
    w.shot("review-keyboard-reveal")
    w.x.key("ctrl+r")  # 반려: the reason dialog
    st = w.wait(lambda s: s["modal"], "the 반려 dialog")
    w.x.type_as_person("no ID")
    w.x.key("Tab")  # moves on, types no tab
    w.x.key("shift+Tab")
    w.x.key("Return")  # submits
    number = st["shown"]
    w.wait(lambda s: not s["modal"] and not s["pending"], "returned")
    rows = w.db("SELECT status, status_reason FROM cases WHERE case_number = ?", number)
    assert rows == [("returned", "no ID")], rows
