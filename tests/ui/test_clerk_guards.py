"""The guards a careful clerk wants, at unit level (the real-X versions are in tests/xreal):
a double accept, a seal or page with no petition, required documents, F8 held down,
corrections' own time, reason and citizen's value, banners that stay true."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.compose import CounterParts
from counter_app.demo import DemoKit
from records.models import AuditEvent
from tests.ui.helpers import TEST_REASON, look
from tests.ui.test_window import show_sample, shown
from ui.widgets import HoldKey

WAIT = 10_000


def audit(parts: CounterParts, action: str) -> list[AuditEvent]:
    with parts.store.read() as s:
        return list(s.execute(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.seq)).scalars())


def idle(qtbot: QtBot, parts: CounterParts) -> None:
    qtbot.wait_until(lambda: not parts.session.runner.pending, timeout=WAIT)


def test_a_second_accept_does_not_take_the_next_petition(
    qtbot: QtBot, counter: CounterParts, kit: DemoKit
) -> None:
    s, w = counter.session, counter.window
    show_sample(qtbot, counter, kit, "mail-order")  # no required documents
    for text in kit.sample("info-request-3parts").texts:
        s.submit_scan(text, "test")
    qtbot.wait_until(lambda: any(q.status == "waiting" for q in s.queue), timeout=WAIT)
    idle(qtbot, counter)
    assert s.too_new() == 0  # looked at for the guard's time: one Ctrl+Enter
    with qtbot.wait_signal(s.accepted, timeout=WAIT):
        w.accept()
    shown(qtbot, counter, looked=False)  # the next one came up by itself
    assert s.seen.restarts[-1] == "queue" and s.too_new() > 0
    with qtbot.assert_not_emitted(s.accepted, wait=200):
        w.accept()  # the second press of a double Ctrl+Enter
    assert w.banner.kind == "info" and "방금" in w.banner.text.text()
    look(counter)  # it has now been seen
    with qtbot.wait_signal(s.accepted, timeout=WAIT):
        w.accept()
    assert len(audit(counter, "intake")) == 2
    assert audit(counter, "print") == []  # an accept (its receipt PDF) is not a print


def test_seal_and_page_with_no_petition_are_refused(qtbot: QtBot, counter: CounterParts, kit: DemoKit) -> None:
    s, w = counter.session, counter.window
    refused: list[object] = []
    s.refused.connect(refused.append)
    w.capture_seal()  # F9 with nothing open: not even taken
    assert w.banner.kind == "warning" and s.draft.seal is None
    assert not s.add_page(str(kit.pages[0]), "folder")  # a page from the watched folder
    assert len(refused) == 1 and s.draft.pages == []
    show_sample(qtbot, counter, kit, "mail-order")
    assert s.draft.pages == [] and s.draft.seal is None  # nothing of before came along
    # a seal taken for this petition that arrives after it closed is not given to the next
    serial = s.serial
    s.clear()
    show_sample(qtbot, counter, kit, "mail-order")
    assert not s.set_seal(str(kit.seals[0]), serial)
    assert s.draft.seal is None and len(refused) == 2
    assert s.set_seal(str(kit.seals[0]), s.serial)


def test_required_documents_block_or_are_overridden_with_a_recorded_reason(
    qtbot: QtBot, counter: CounterParts, kit: DemoKit
) -> None:
    s, w = counter.session, counter.window
    show_sample(qtbot, counter, kit, "proxy-resident-copy")
    missing = s.missing_documents()
    assert "위임장" in missing and "대리인 신분증 사본" in missing
    w.flow.confirm_warnings = lambda warnings: True  # Enter on the warnings' question
    w.flow.ask_reason = lambda m: None  # the clerk cancels
    with qtbot.assert_not_emitted(s.accepted, wait=200):
        w.accept()
    assert w.banner.kind == "warning" and "위임장" in w.banner.text.text()
    assert not s.accept()  # the session too refuses without a reason
    w.flow.ask_reason = lambda m: TEST_REASON
    with qtbot.wait_signal(s.accepted, timeout=WAIT) as blocker:
        w.accept()
    event = next(e for e in audit(counter, "intake") if e.case_number == blocker.args[0].case_number)
    detail = json.loads(event.detail)
    assert detail["missing_documents"] == missing and detail["missing_documents_reason"] == TEST_REASON


def test_documents_with_pages_need_no_reason(qtbot: QtBot, counter: CounterParts, kit: DemoKit) -> None:
    s, w = counter.session, counter.window
    show_sample(qtbot, counter, kit, "resident-copy")
    for name in s.missing_documents():
        s.add_page(str(kit.pages[0]), "file", name)
    assert s.missing_documents() == []
    w.flow.ask_reason = lambda m: pytest.fail("no question when every document has a page")
    with qtbot.wait_signal(s.accepted, timeout=WAIT):
        w.accept()


class _Keys(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.log: list[str] = []


def test_a_held_key_is_one_press_even_when_repeats_look_like_presses(qtbot: QtBot) -> None:
    target = QWidget()
    qtbot.addWidget(target)
    hold = HoldKey(Qt.Key.Key_F8, target)
    target.installEventFilter(hold)
    got: list[str] = []
    hold.pressed.connect(lambda: got.append("down"))
    hold.released.connect(lambda: got.append("up"))
    no = Qt.KeyboardModifier.NoModifier

    def send(etype: QEvent.Type, repeat: bool = False) -> None:
        QApplication.sendEvent(target, QKeyEvent(etype, Qt.Key.Key_F8, no, "", repeat))

    send(QEvent.Type.KeyPress)
    for _ in range(10):  # repeats the window system did not mark: release + press, 33 ms apart
        qtbot.wait(33)
        send(QEvent.Type.KeyRelease)
        send(QEvent.Type.KeyPress)
    for _ in range(5):  # and marked ones
        send(QEvent.Type.KeyRelease, True)
        send(QEvent.Type.KeyPress, True)
    send(QEvent.Type.KeyRelease)
    qtbot.wait_until(lambda: got == ["down", "up"], timeout=WAIT)
    qtbot.wait(150)
    assert got == ["down", "up"]


def test_reveal_is_linked_to_the_case_when_accepted(qtbot: QtBot, counter: CounterParts, kit: DemoKit) -> None:
    s, w = counter.session, counter.window
    show_sample(qtbot, counter, kit, "mail-order")
    s.reveal()
    qtbot.wait_until(lambda: bool(w.revealed), timeout=WAIT)
    s.hide()
    with qtbot.wait_signal(s.accepted, timeout=WAIT) as blocker:
        w.accept()
    assert len(audit(counter, "reveal_rrn")) == 1
    event = next(e for e in audit(counter, "intake") if e.case_number == blocker.args[0].case_number)
    assert len(json.loads(event.detail)["rrn_shown_before_intake"]) == 1


def test_correction_keeps_the_citizens_value_its_time_and_reason(
    qtbot: QtBot, counter: CounterParts, kit: DemoKit
) -> None:
    s, w = counter.session, counter.window
    show_sample(qtbot, counter, kit, "mail-order")
    row = next(r for f in s.view.forms for sec in f.sections for r in sec.rows  # type: ignore[union-attr]
               if r.type == "phone" or r.id.endswith("phone"))
    citizen = row.value
    s.correct(row.form, row.id, citizen, "010-1111-2222", "신분증과 다름")
    idle(qtbot, counter)
    s.correct(row.form, row.id, "010-1111-2222", "010-3333-4444", "민원인 요청")
    idle(qtbot, counter)
    assert [c.before for c in s.draft.corrections] == [citizen, citizen]
    with qtbot.wait_signal(s.accepted, timeout=WAIT) as blocker:
        w.accept()
    event = next(e for e in audit(counter, "intake") if e.case_number == blocker.args[0].case_number)
    noted = json.loads(event.detail)["corrections"]
    assert [c["reason"] for c in noted] == ["신분증과 다름", "민원인 요청"]
    assert all(c["at"].endswith("+09:00") for c in noted)


def test_banners_go_when_they_stop_being_true(qtbot: QtBot, counter: CounterParts, kit: DemoKit) -> None:
    s, w = counter.session, counter.window
    show_sample(qtbot, counter, kit, "family-cert-warning")
    w.accept()  # warnings not confirmed: the accept stops with a banner about this petition
    w.flow.show("error", "경고를 확인해 주세요")
    s.clear()  # set aside: the banner spoke of it
    qtbot.wait_until(lambda: not w.banner.isVisible(), timeout=WAIT)
    assert s.forget(next(i for i, q in enumerate(s.queue) if q.status == "waiting"))  # the citizen left
    show_sample(qtbot, counter, kit, "mail-order")
    with qtbot.wait_signal(s.accepted, timeout=WAIT):
        w.accept()
    assert w.banner.kind == "success" and "접수되었습니다" in w.banner.text.text()
    for text in kit.sample("info-request-3parts").texts:
        s.submit_scan(text, "test")
    shown(qtbot, counter)
    # the next citizen on screen: "접수되었습니다" would read as theirs; it now names whose it was
    assert w.banner.kind == "info" and "직전 민원" in w.banner.text.text()


def test_a_locked_database_is_shown_plainly(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database that keeps the clerk waiting: past a few seconds the header says so, in colour."""
    from PySide6.QtWidgets import QLabel

    from ui.counter import busy_state

    label = QLabel()
    qtbot.addWidget(label)
    watch = busy_state.BusyWatch(label)
    monkeypatch.setattr(busy_state, "SLOW_AFTER", 0.0)
    monkeypatch.setattr(busy_state, "STUCK_AFTER", 1.5)
    watch.timer.setInterval(50)
    watch.set_busy(True)
    assert label.text() == "확인 중…"
    qtbot.wait_until(lambda: watch.level == "warning", timeout=WAIT)
    assert "데이터베이스" in label.text() and "보존" in label.text()
    qtbot.wait_until(lambda: watch.level == "error", timeout=WAIT)
    assert "전산 담당자" in label.text()
    watch.set_busy(False)
    assert label.text() == "" and not watch.timer.isActive()


def test_a_scan_does_not_move_the_keyboard_focus(qtbot: QtBot, counter: CounterParts, kit: DemoKit) -> None:
    s, w = counter.session, counter.window
    show_sample(qtbot, counter, kit, "mail-order")
    w.activateWindow()
    w.accept_button.setFocus()
    qtbot.wait_until(lambda: QApplication.focusWidget() is w.accept_button, timeout=WAIT)
    s.submit_scan(kit.sample("resident-copy").texts[0], "test")  # checked on the worker meanwhile
    assert w.accept_button.isEnabled() and QApplication.focusWidget() is w.accept_button
    idle(qtbot, counter)
    assert QApplication.focusWidget() is w.accept_button


def test_f4_takes_the_keyboard_to_the_fields(qtbot: QtBot, counter: CounterParts, kit: DemoKit) -> None:
    from ui.counter.petition_view import FieldRowWidget

    w = counter.window
    show_sample(qtbot, counter, kit, "mail-order")
    w.activateWindow()
    w.queue_list.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_F4)
    assert isinstance(QApplication.focusWidget(), FieldRowWidget)
