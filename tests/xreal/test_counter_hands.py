"""The counter window under a clerk's real keys: double accept, a seal before the petition,
required documents, F8 held down with the X server's auto-repeat. Outcomes from the database."""

from __future__ import annotations

import json
import time

import pytest

from tests.xreal.conftest import RealWindow

pytestmark = pytest.mark.slow


def show(w: RealWindow, sample: str) -> dict[str, object]:
    for text in w.sample(sample):
        w.x.scan(text)
    return w.wait(lambda s: s["current"] is not None and not s["pending"], f"{sample} on screen")


def intake_detail(w: RealWindow, case_number: str) -> dict[str, object]:
    rows = w.db("SELECT detail FROM audit_events WHERE action = 'intake' AND case_number = ?", case_number)
    assert len(rows) == 1, rows
    detail: dict[str, object] = json.loads(rows[0][0])
    return detail


def test_two_ctrl_enter_150_ms_apart_accept_one_petition(counter_window: RealWindow) -> None:
    w = counter_window
    show(w, "mail-order")  # a form with no required documents: one Ctrl+Enter
    for text in w.sample("info-request-3parts"):  # the next citizen's, waiting
        w.x.scan(text)
    w.wait(lambda s: "waiting" in s["queue"] and not s["pending"], "the next petition waiting")
    time.sleep(2.0)  # the clerk has looked at the first for two seconds
    w.x.key("ctrl+Return", "ctrl+Return", delay_ms=150)  # a double press
    st = w.idle(1.0)
    cases = w.cases()
    assert [c[1] for c in cases] == ["received"] and cases[0][3] == "MAIL_ORDER_REPORT", cases
    assert st["current"] is not None and st["banner"] is not None, st  # the next one, unseen: kept
    w.shot("double-accept-guard")
    time.sleep(1.5)  # now it has been seen
    w.x.key("ctrl+Return")
    w.wait(lambda s: s["current"] is None and not s["pending"], "the second accepted")
    assert len(w.cases()) == 2
    assert w.audit("print") == []  # an accept is not a print


def test_seal_and_page_before_any_petition_are_not_given_to_the_next(counter_window: RealWindow) -> None:
    w = counter_window
    w.x.key("F9")  # the seal scanner, no petition open
    st = w.wait(lambda s: s["banner"] is not None, "the banner")
    assert st["banner"]["kind"] == "warning" and not st["seal"], st
    w.x.key("F6")  # the document scanner saves a page into the watched folder
    st = w.wait(lambda s: s["banner"] is not None and "서류" in s["banner"]["text"], "the page refused")
    assert st["pages"] == 0
    st = show(w, "mail-order")
    assert not st["seal"] and st["pages"] == 0, st  # the citizen's case starts clean
    # the refused page's banner stays: it names the kept file, for 파일 추가 if it is theirs
    time.sleep(1.3)
    w.x.key("ctrl+Return")
    w.wait(lambda s: s["current"] is None and not s["pending"], "accepted")
    number = w.cases()[0][0]
    assert w.db("SELECT count(*) FROM attachments a JOIN cases c ON c.id = a.case_id "
                "WHERE c.case_number = ?", number) == [(0,)]


def test_required_documents_block_or_need_a_recorded_reason(counter_window: RealWindow) -> None:
    w = counter_window
    st = show(w, "resident-copy")  # 주민등록표 등·초본: the applicant's ID is required
    assert st["missing"], st
    time.sleep(1.3)
    w.x.key("ctrl+Return")
    st = w.wait(lambda s: s["modal"], "the question")
    w.shot("required-documents-question")
    w.x.key("Escape")
    st = w.wait(lambda s: not s["modal"], "the question closed")
    assert w.cases() == [] and st["banner"]["kind"] == "warning", st
    w.x.key("ctrl+Return")
    w.wait(lambda s: s["modal"], "the question again")
    w.x.type_as_person("ID card seen, copy refused")
    w.x.key("Return")
    w.wait(lambda s: s["current"] is None and not s["pending"], "accepted")
    (number, _status, *_), = w.cases()
    detail = intake_detail(w, number)
    assert detail["missing_documents"] == st["missing"]
    assert detail["missing_documents_reason"] == "ID card seen, copy refused"


def test_f8_held_with_auto_repeat_is_one_audited_reveal_linked_to_the_case(counter_window: RealWindow) -> None:
    w = counter_window
    show(w, "mail-order")
    w.x.xdotool("keydown", "F8")
    try:
        st = w.wait(lambda s: s["revealed"], "the numbers shown")
        time.sleep(1.5)  # auto-repeat: 250 ms delay, 30/s -> dozens of repeats
        assert w.state()["revealed"]
        w.shot("f8-held")
    finally:
        w.x.xdotool("keyup", "F8")
    st = w.wait(lambda s: not s["revealed"], "the numbers hidden")
    assert len(w.audit("reveal_rrn")) == 1, w.audit("reveal_rrn")
    time.sleep(0.5)
    w.x.key("ctrl+Return")
    w.wait(lambda s: s["current"] is None and not s["pending"], "accepted")
    assert st["banner"] is None or st["banner"]["kind"] != "error"
    detail = intake_detail(w, w.cases()[0][0])
    assert len(detail["rrn_shown_before_intake"]) == 1  # type: ignore[arg-type]


def test_key_presses_for_a_warning_and_a_correction(counter_window: RealWindow) -> None:
    """The clerk's keys, counted: a petition with a warning (and a required document accepted
    with a reason), then one with a correction made from the keyboard."""
    w = counter_window
    show(w, "family-cert-warning")
    time.sleep(1.3)
    keys = 0
    w.x.key("ctrl+Return")  # 1: accept -> the warnings are asked about
    keys += 1
    w.wait(lambda s: s["modal"].get("window", "").startswith("경고 확인"), "the warnings' question")
    w.x.key("Return")  # 2: 확인했음, 접수
    keys += 1
    w.wait(lambda s: s["modal"].get("window", "").startswith("필수 서류 없음"), "the documents' question")
    w.x.type_as_person("ID seen")
    w.x.key("Return")  # 3
    keys += 1
    w.wait(lambda s: s["current"] is None and not s["pending"], "accepted")
    assert keys == 3 and len(w.cases()) == 1
    # a correction: F4 to the fields, Enter, the new value, Enter (the usual reason), Ctrl+Enter
    show(w, "mail-order")
    time.sleep(1.3)
    w.x.key("F4")  # to the petition's fields
    w.wait(lambda s: s["focus"].get("class") == "FieldRowWidget", "a field focused")
    w.x.key("Return")
    w.wait(lambda s: s["modal"].get("window", "").startswith("항목 수정"), "the correction dialog")
    w.x.type_as_person("Kim Corrected")  # replaces the value (it starts selected)
    w.x.key("Return")
    w.wait(lambda s: not s["modal"] and not s["pending"], "corrected")
    w.x.key("ctrl+Return")
    w.wait(lambda s: s["current"] is None and not s["pending"], "accepted")
    number = w.cases()[-1][0]
    rows = w.db("SELECT r.after_masked FROM corrections r JOIN cases c ON c.id = r.case_id "
                "WHERE c.case_number = ?", number)
    assert rows == [("Kim Corrected",)], rows
    detail = intake_detail(w, number)
    assert detail["corrections"][0]["reason"] == "민원인 요청"  # type: ignore[index]
