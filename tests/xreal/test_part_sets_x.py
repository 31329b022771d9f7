"""Several multi-part QR sets at once, in a real X session: a part of another citizen's petition
scanned in the middle of a set starts its own line with a word, the first set is kept; a part
scanned twice says so; the missing part numbers are named; each set, once complete, is its own
petition, and both are accepted into the database as what they are."""

from __future__ import annotations

import time

import pytest

from counter_app.demo import another_citizens
from decoding.forms.catalogue import default_catalogue
from tests.xreal.conftest import RealWindow

pytestmark = pytest.mark.slow


def other_citizens_parts(w: RealWindow) -> list[str]:
    """The mail-order report, in two parts, as another citizen's phone would make it."""
    return another_citizens(default_catalogue(), w.folder / "keys" / "office.pub.pem", "mail-order", parts=2)


def test_a_foreign_part_in_the_middle_of_a_set(counter_window: RealWindow) -> None:
    w = counter_window
    first = w.sample("info-request-3parts")
    second = other_citizens_parts(w)

    def lines(n: int, what: str) -> dict[str, object]:
        return w.wait(lambda s: len(s["lines"]) == n and not s["pending"], what)

    w.x.scan(first[0])
    w.x.scan(first[1])
    st = w.wait(lambda s: s["lines"] == [["parts", "2/3 · 남은 조각 3"]] and not s["pending"],
                "two of the first set's three parts")
    w.x.scan(second[0])  # the next citizen's phone, in between
    st = lines(2, "the other set's own line")
    assert st["lines"] == [["parts", "2/3 · 남은 조각 3"], ["parts", "1/2 · 남은 조각 2"]], st
    assert st["banner"] and "다른 신청서의 조각" in st["banner"]["text"], st
    w.shot("part-sets-foreign-part")
    w.x.scan(first[1])  # the first set's second part again
    st = w.wait(lambda s: s["banner"] and "이미 스캔한 조각" in s["banner"]["text"], "the duplicate named")
    assert st["lines"] == [["parts", "2/3 · 남은 조각 3"], ["parts", "1/2 · 남은 조각 2"]], st
    w.x.scan(first[2])  # the first set is complete: on screen
    st = w.wait(lambda s: s["current"] is not None and not s["pending"], "the first petition")
    assert st["lines"][0][0] == "current" and st["lines"][1] == ["parts", "1/2 · 남은 조각 2"], st
    w.x.scan(second[1])
    st = w.wait(lambda s: s["queue"] == ["current", "waiting"] and not s["pending"], "the second waits")
    assert st["focus"].get("text", "") == "", st  # nothing was typed anywhere
    time.sleep(1.3)  # the clerk reads the first
    w.x.key("ctrl+Return")
    w.wait(lambda s: s["queue"] == ["accepted", "current"] and not s["pending"], "the second on screen")
    w.x.key("ctrl+Return")  # at once: the second has not been seen yet
    time.sleep(0.5)
    assert [c[1:] for c in w.cases()] == [("received", "김민원", "INFO_DISCLOSURE_REQUEST")]
    time.sleep(1.0)
    w.x.key("ctrl+Return")
    w.wait(lambda s: s["current"] is None and not s["pending"], "both accepted")
    assert [c[1:] for c in w.cases()] == [("received", "김민원", "INFO_DISCLOSURE_REQUEST"),
                                           ("received", "김민원", "MAIL_ORDER_REPORT")]
    # two petitions, each its own QR (not one made of the other's parts)
    ids = w.db("SELECT payload_id, source FROM cases ORDER BY id")
    assert len({p for p, _s in ids}) == 2 and all(p and s == "qr" for p, s in ids), ids
