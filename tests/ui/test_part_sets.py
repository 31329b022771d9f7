"""Several multi-part sets at the counter window: a part of another petition in the middle of a
set starts its own line with a word, the first set is kept; the missing part numbers are named
(the rules themselves: tests/counter_app/test_desk.py)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.compose import CounterParts
from counter_app.demo import DemoKit, another_citizens
from tests.ui.test_window import WAIT


def test_a_foreign_part_starts_its_own_set_and_the_first_is_kept(
    qtbot: QtBot, counter: CounterParts, kit: DemoKit
) -> None:
    s, w = counter.session, counter.window
    first = kit.sample("info-request-3parts").texts
    second = another_citizens(counter.catalogue, kit.public_key, "mail-order", parts=2)
    told: list[object] = []
    s.told.connect(told.append)

    def lines() -> list[tuple[str, str]]:
        return [(q.status, q.summary) for q in s.queue]

    s.submit_scan("]Q1" + first[0], "test")  # (a scanner with an AIM prefix)
    s.submit_scan(first[1], "test")
    qtbot.wait_until(lambda: lines() == [("parts", "2/3 · 남은 조각 3")], timeout=WAIT)
    s.submit_scan(second[0], "test")  # the next citizen's part, in between
    qtbot.wait_until(lambda: len(told) == 1, timeout=WAIT)
    assert lines() == [("parts", "2/3 · 남은 조각 3"), ("parts", "1/2 · 남은 조각 2")]
    assert w.banner.kind == "info" and "다른 신청서의 조각" in w.banner.text.text()
    s.submit_scan(first[1], "test")  # scanned twice
    qtbot.wait_until(lambda: len(told) == 2, timeout=WAIT)
    assert "이미 스캔한 조각" in w.banner.text.text() and len(s.queue) == 2
    s.submit_scan(first[2], "test")  # the first set is complete: on screen
    qtbot.wait_until(lambda: s.current is not None and not s.runner.pending, timeout=WAIT)
    assert s.current is not None and s.current.document.forms[0].code == "INFO_DISCLOSURE_REQUEST"
    assert sorted(s.draft.texts) == sorted(first)
    s.submit_scan(second[1], "test")
    qtbot.wait_until(lambda: [q.status for q in s.queue] == ["current", "waiting"], timeout=WAIT)
