"""The counter window driven like a clerk would: scans, findings, accept, return, paper, crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.compose import CounterParts
from counter_app.demo import DemoKit
from decoding.forms.catalogue import Catalogue
from records.models import AuditEvent
from tests.ui.conftest import Pty
from tests.ui.helpers import look, make_counter, run_child
from ui.counter.devices import DeviceAdapter
from ui.counter.paper import PaperEntryDialog

WAIT = 10_000  # ms: every wait is bounded


def scan(parts: CounterParts, texts: list[str]) -> None:
    for t in texts:
        parts.session.submit_scan(t, "test")


def shown(qtbot: QtBot, parts: CounterParts, looked: bool = True) -> None:
    """Until a petition is on screen and checked; then (``looked``) the clerk has looked at it
    for the seen guard's time (tests/ui/test_seen.py tests the guard itself)."""
    qtbot.wait_until(lambda: parts.session.current is not None and not parts.session.runner.pending,
                     timeout=WAIT)
    if looked:
        look(parts)


def show_sample(qtbot: QtBot, parts: CounterParts, kit: DemoKit, name: str) -> None:
    """Scan the demo kit's sample ``name`` and wait until it is on screen."""
    scan(parts, kit.sample(name).texts)
    shown(qtbot, parts)


def test_keyboard_wedge_scan_reaches_screen(qtbot: QtBot, counter: CounterParts, kit: DemoKit) -> None:
    text = kit.sample("resident-copy").texts[0]
    edit = QLineEdit()  # the clerk's cursor is in some field: the scan must not land there
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    with qtbot.wait_signal(counter.wedge.scanned, timeout=WAIT):  # type: ignore[union-attr]
        qtbot.keyClicks(edit, text)
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    shown(qtbot, counter)
    assert edit.text() == ""
    assert "김민원" in counter.window.petition.shown_text()
    assert "900101-1******" in counter.window.petition.shown_text()


def test_clerk_typing_is_not_eaten(qtbot: QtBot, counter: CounterParts) -> None:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    with qtbot.assert_not_emitted(counter.wedge.scanned, wait=200):  # type: ignore[union-attr]
        qtbot.keyClicks(edit, "MW1 hello", delay=60)  # a person: 60 ms between keys
        qtbot.wait_until(lambda: edit.text() == "MW1 hello", timeout=WAIT)


def test_serial_scanner_scan_reaches_screen(
    qtbot: QtBot, tmp_path: Path, kit: DemoKit, catalogue: Catalogue, pty: Pty
) -> None:
    adapter = DeviceAdapter(f"serial:{pty.name}?term=cr", "QR 스캐너")
    parts = make_counter(tmp_path, kit, catalogue, scanners=[], extra=[adapter])
    try:
        qtbot.wait_until(lambda: adapter.state == "connected", timeout=WAIT)
        with qtbot.wait_signal(adapter.scanned, timeout=WAIT):
            pty.write(kit.sample("mail-order").texts[0].encode() + b"\r")
        shown(qtbot, parts)
        assert "서초상회" in parts.window.petition.shown_text()
        chip = parts.window.device_bar.chips[0]
        assert "연결됨" in chip.text()
    finally:
        parts.close()


def mail_order_with_a_page_and_a_correction(qtbot: QtBot, parts: CounterParts, kit: DemoKit) -> None:
    """The mail-order petition on screen, an ID page assigned, its goods corrected."""
    s = parts.session
    scan(parts, kit.sample("mail-order").texts)
    shown(qtbot, parts)
    s.add_page(str(kit.pages[0]), "test", attachment="신분증 사본")
    assert s.view is not None
    row = next(r for sec in s.view.forms[0].sections for r in sec.rows if r.id == "goods")
    s.correct(row.form, row.id, row.value, "주방용품")
    qtbot.wait_until(lambda: not s.runner.pending, timeout=WAIT)


def test_accept_puts_case_in_database(qtbot: QtBot, counter: CounterParts, kit: DemoKit) -> None:
    s = counter.session
    mail_order_with_a_page_and_a_correction(qtbot, counter, kit)
    assert counter.window.accept_button.isEnabled()
    with qtbot.wait_signal(s.accepted, timeout=WAIT) as blocker:
        qtbot.keyClick(counter.window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    receipt = blocker.args[0]
    detail = counter.store.get(receipt.case_number)
    assert detail.row.case_number == receipt.case_number
    assert detail.document["forms"][0]["fields"]["goods"] == "주방용품"
    assert [c.field for c in detail.corrections] == ["forms[0].fields.goods"]
    assert len(detail.attachments) == 1
    assert counter.window.last_receipt_pdf is not None and counter.window.last_receipt_pdf.exists()
    qtbot.wait_until(lambda: not s.runner.pending, timeout=WAIT)
    with counter.store.read() as db:
        actions = db.scalars(select(AuditEvent.action).where(AuditEvent.case_number == receipt.case_number)).all()
    assert {"intake", "correction"} <= set(actions)
    assert "print" not in actions  # saving the receipt PDF is not a print (Ctrl+P is)
    assert s.current is None and counter.window.banner.kind == "success"
    assert s.writer.flush()
    assert not s.store.path.exists()  # nothing left to restore


def test_a_failed_accept_loses_nothing(
    qtbot: QtBot, counter: CounterParts, kit: DemoKit, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk (or a locked or unreachable database) at accept: the petition, its
    corrections and pages stay, the clerk is told why, and the next try is recorded."""
    from records.errors import StorageFull

    s = counter.session
    mail_order_with_a_page_and_a_correction(qtbot, counter, kit)
    real_record = counter.store.record

    def disk_full(*args: object, **kwargs: object) -> object:
        raise StorageFull("디스크가 가득 찼습니다", "the disk is full")

    monkeypatch.setattr(counter.store, "record", disk_full)
    with qtbot.wait_signal(s.failed, timeout=WAIT) as failure:
        assert s.accept()
    assert "디스크가 가득 찼습니다" in failure.args[0].ko and failure.args[0].en == "the disk is full"
    assert counter.window.banner.kind == "error"
    assert s.current is not None and len(s.draft.pages) == 1 and len(s.draft.corrections) == 1
    with counter.store.read() as db:
        assert db.scalars(select(AuditEvent.action).where(AuditEvent.action == "intake")).all() == []
    monkeypatch.setattr(counter.store, "record", real_record)
    with qtbot.wait_signal(s.accepted, timeout=WAIT) as blocker:
        assert s.accept()
    detail = counter.store.get(blocker.args[0].case_number)
    assert detail.document["forms"][0]["fields"]["goods"] == "주방용품"
    assert len(detail.attachments) == 1


def test_correcting_an_autofilled_field_corrects_the_person(
    qtbot: QtBot, counter: CounterParts, kit: DemoKit
) -> None:
    s = counter.session
    show_sample(qtbot, counter, kit, "resident-copy")
    row = next(r for sec in s.view.forms[0].sections for r in sec.rows if r.id == "subject_phone")  # type: ignore[union-attr]
    assert row.autofilled and row.value == "010-1234-5678"
    s.correct(row.form, row.id, row.value, "010-5555-6666")
    qtbot.wait_until(lambda: not s.runner.pending, timeout=WAIT)
    assert "010-5555-6666" in counter.window.petition.shown_text()
    with qtbot.wait_signal(s.accepted, timeout=WAIT) as blocker:
        counter.window.accept()
    detail = counter.store.get(blocker.args[0].case_number)
    assert detail.document["applicant"]["phone"] == "010-5555-6666"
    assert [c.field for c in detail.corrections] == ["applicant.phone"]


def test_errors_block_and_warnings_need_a_click(qtbot: QtBot, counter: CounterParts, kit: DemoKit) -> None:
    s = counter.session
    show_sample(qtbot, counter, kit, "family-cert-warning")
    assert s.view is not None and s.view.warnings and not s.view.errors
    assert not counter.window.accept_button.isEnabled()
    counter.window.ack.click()
    assert counter.window.accept_button.isEnabled()
    row = next(r for sec in s.view.forms[0].sections for r in sec.rows if r.id == "copies")
    s.correct(row.form, row.id, row.value, 0)  # out of range: an error beside the field
    qtbot.wait_until(lambda: bool(s.view and s.view.errors), timeout=WAIT)
    assert not counter.window.accept_button.isEnabled()
    assert any(w.row.id == "copies" and w.row.severity == "error" for w in counter.window.petition.rows)
    with qtbot.assert_not_emitted(s.accepted, wait=100):
        counter.window.accept()
    assert counter.window.banner.kind == "error"


def test_bad_scan_refused_without_touching_the_petition(
    qtbot: QtBot, counter: CounterParts, kit: DemoKit
) -> None:
    s = counter.session
    show_sample(qtbot, counter, kit, "resident-copy")
    before = s.current
    with qtbot.wait_signal(s.scan_rejected, timeout=WAIT) as blocker:
        scan(counter, kit.sample("damaged").texts)
    assert blocker.args[0].code == "MW_DECRYPT"
    assert s.current is before
    assert "김민원" in counter.window.petition.shown_text()
    assert counter.window.banner.isVisible() and "MW_DECRYPT" in counter.window.banner.text.text()
    assert counter.window.alert.played == 1


def test_queue_set_aside_and_back(qtbot: QtBot, counter: CounterParts, kit: DemoKit) -> None:
    """A scan while a petition is open waits; a set-aside petition keeps the clerk's work."""
    s = counter.session
    show_sample(qtbot, counter, kit, "mail-order")
    first = s.current.document.id  # type: ignore[union-attr]
    row = next(r for sec in s.view.forms[0].sections for r in sec.rows if r.id == "goods")  # type: ignore[union-attr]
    s.correct(row.form, row.id, row.value, "주방용품")
    s.add_page(str(kit.pages[0]), "test", attachment="신분증 사본")
    scan(counter, kit.sample("resident-copy").texts)
    qtbot.wait_until(lambda: any(i.status == "waiting" for i in s.queue), timeout=WAIT)
    assert s.current is not None and s.current.document.id == first  # not replaced by the scan
    counter.window.clear()  # 보류: the mail-order petition goes back to the queue
    assert s.current is None and len(s.draft.waiting) == 2
    waiting = [i for i, it in enumerate(s.queue) if it.status == "waiting"]
    mail = next(i for i in waiting if s.queue[i].checked.document.id == first)  # type: ignore[union-attr]
    assert s.take_from_queue(mail)
    qtbot.wait_until(lambda: not s.runner.pending and s.view is not None, timeout=WAIT)
    assert [c.after for c in s.draft.corrections] == ["주방용품"]
    assert [p.attachment for p in s.draft.pages] == ["신분증 사본"]
    assert "주방용품" in counter.window.petition.shown_text()
    look(counter)
    with qtbot.wait_signal(s.accepted, timeout=WAIT):
        counter.window.accept()
    # the other one opens by itself after the accept
    qtbot.wait_until(lambda: s.current is not None and not s.runner.pending, timeout=WAIT)
    assert s.current.document.forms[0].code == "RESIDENT_CERT_ISSUE"
    assert s.draft.waiting == []


def test_forget_a_waiting_scan(qtbot: QtBot, counter: CounterParts, kit: DemoKit) -> None:
    s = counter.session
    show_sample(qtbot, counter, kit, "mail-order")
    scan(counter, kit.sample("resident-copy").texts)
    qtbot.wait_until(lambda: len(s.draft.waiting) == 1, timeout=WAIT)
    index = next(i for i, it in enumerate(s.queue) if it.status == "waiting")
    assert not s.forget(next(i for i, it in enumerate(s.queue) if it.status == "current"))
    assert s.forget(index)
    assert s.draft.waiting == [] and all(it.status != "waiting" for it in s.queue)


def test_multipart_progress(qtbot: QtBot, counter: CounterParts, kit: DemoKit) -> None:
    s = counter.session
    texts = kit.sample("info-request-3parts").texts
    with qtbot.wait_signal(s.part_progress, timeout=WAIT,
                           check_params_cb=lambda r, t: (r, t) == (2, 3)):
        scan(counter, [texts[2], texts[0]])
    assert "2/3" in counter.window.progress.text()
    assert s.current is None
    scan(counter, [texts[1]])
    shown(qtbot, counter)
    assert counter.window.progress.text() == ""


def test_rrn_reveal_is_audited(qtbot: QtBot, counter: CounterParts, kit: DemoKit) -> None:
    s = counter.session
    show_sample(qtbot, counter, kit, "resident-copy")
    assert "9001011234568" not in counter.window.petition.shown_text()
    with qtbot.wait_signal(s.rrn_revealed, timeout=WAIT):
        qtbot.keyPress(counter.window, Qt.Key.Key_F8)
    assert "900101-1234568" in counter.window.petition.shown_text()
    qtbot.keyRelease(counter.window, Qt.Key.Key_F8)
    # hidden once no auto-repeat press follows the release (HoldKey.REPEAT_GAP_MS)
    qtbot.wait_until(lambda: "900101-1234568" not in counter.window.petition.shown_text(), timeout=WAIT)
    with counter.store.read() as db:
        actions = db.scalars(select(AuditEvent.action)).all()
    assert "reveal_rrn" in actions


def test_return_with_reason(qtbot: QtBot, counter: CounterParts, kit: DemoKit) -> None:
    s = counter.session
    show_sample(qtbot, counter, kit, "resident-copy")
    with qtbot.wait_signal(s.returned, timeout=WAIT) as blocker:
        s.return_petition("신분증 미지참")
    detail = counter.store.get(blocker.args[0].case_number)
    assert detail.row.status == "returned" and detail.status_reason == "신분증 미지참"


def test_paper_entry(qtbot: QtBot, counter: CounterParts, catalogue: Catalogue) -> None:
    dlg = PaperEntryDialog(catalogue, counter.window)
    qtbot.addWidget(dlg)
    dlg.select_form("RESIDENT_CERT_ISSUE")
    dlg.applicant["name"].setText("최종이")  # QTest can only type ASCII keys
    # typed at a person's pace: a fast burst of 8+ keys would be taken for a scanner
    qtbot.keyClicks(dlg.applicant["rrn"], "900101-1234568", delay=50)
    qtbot.keyClicks(dlg.applicant["phone"], "010-2222-3333", delay=50)
    qtbot.wait_until(lambda: dlg.applicant["phone"].text() == "010-2222-3333", timeout=WAIT)
    dlg.set_value("cert_kind", "초본")
    dlg.set_value("copies", "1")
    dlg.set_value("purpose", "제출용")
    paper = dlg.result_paper()
    s = counter.session
    s.enter_paper(paper)
    shown(qtbot, counter)
    assert "최종이" in counter.window.petition.shown_text()
    assert s.view is not None and not s.view.errors
    with qtbot.wait_signal(s.accepted, timeout=WAIT) as blocker:
        counter.window.accept()
    detail = counter.store.get(blocker.args[0].case_number)
    assert detail.row.source == "paper" if hasattr(detail.row, "source") else True
    assert detail.document["applicant"]["name"] == "최종이"


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform says so for dialogs
def test_paper_entry_through_ctrl_n(qtbot: QtBot, counter: CounterParts) -> None:
    """Ctrl+N opens the paper form; the clerk fills it and presses OK; the petition is shown."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    seen: list[PaperEntryDialog] = []

    def fill() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, PaperEntryDialog):
            QTimer.singleShot(50, fill)
            return
        seen.append(dlg)
        dlg.select_form("FAMILY_CERT_ISSUE")
        dlg.applicant["name"].setText("한종이")
        dlg.applicant["rrn"].setText("9001011234568")
        dlg.set_value("target_relation", "본인")
        dlg.set_value("cert_kind", "기본증명서")
        dlg.set_value("detail_level", "일반")
        dlg.set_value("copies", "2")
        dlg.set_value("purpose", "회사 제출")
        dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(50, fill)
    qtbot.keyClick(counter.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert seen
    shown(qtbot, counter)
    s = counter.session
    assert s.view is not None and s.view.origin == "paper" and not s.view.errors
    assert "종이 신청서" in counter.window.petition.shown_text()
    assert "한종이" in counter.window.petition.shown_text()


def test_paper_entry_same_validation(qtbot: QtBot, counter: CounterParts) -> None:
    s = counter.session
    s.enter_paper({"form": "MAIL_ORDER_REPORT", "ver": 1, "applicant": {"name": "가나다"},
                   "fields": {"business_reg_no": "2208162518"}})
    shown(qtbot, counter)
    assert s.view is not None
    assert any(f.field == "business_reg_no" and f.severity == "error" for f in s.view.errors)
    assert not counter.window.accept_button.isEnabled()


CRASH_SCRIPT = r"""
for t in kit.sample("mail-order").texts:
    s.submit_scan(t, "test")
assert wait_for(lambda: s.current is not None and not s.runner.pending)
row = next(r for sec in s.view.forms[0].sections for r in sec.rows if r.id == "goods")
s.correct(row.form, row.id, row.value, "주방용품")
assert wait_for(lambda: not s.runner.pending)
s.add_page(str(kit.pages[0]), "test", attachment="신분증 사본")
s.set_seal(str(kit.seals[0]))
for t in kit.sample("resident-copy").texts:  # the next citizen's scan waits in the queue
    s.submit_scan(t, "test")
assert wait_for(lambda: not s.runner.pending and len(s.draft.waiting) == 1)
assert s.writer.flush()  # the draft is on disk (written by the draft writer thread)
print("ready", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_crash_mid_petition_is_recovered(
    qtbot: QtBot, tmp_path: Path, kit: DemoKit, catalogue: Catalogue
) -> None:
    proc = run_child(CRASH_SCRIPT, tmp_path, kit)
    assert proc.returncode == -9, proc.stderr
    assert "ready" in proc.stdout
    parts = make_counter(tmp_path, kit, catalogue, restore=True)
    try:
        s = parts.session
        qtbot.wait_until(lambda: s.view is not None and not s.runner.pending, timeout=WAIT)
        assert "주방용품" in parts.window.petition.shown_text()
        assert [c.after for c in s.draft.corrections] == ["주방용품"]
        assert [p.attachment for p in s.draft.pages] == ["신분증 사본"]
        assert s.draft.seal == str(kit.seals[0])
        qtbot.wait_until(lambda: any(i.status == "waiting" for i in s.queue), timeout=WAIT)
        # restored is a path to the screen like any other: not yet seen
        assert s.seen.restarts[-1] == "restore" and s.too_new() > 0
        with qtbot.assert_not_emitted(s.accepted, wait=100):
            parts.window.accept()
        look(parts)
        with qtbot.wait_signal(s.accepted, timeout=WAIT) as blocker:
            parts.window.accept()
        assert parts.store.get(blocker.args[0].case_number).corrections
        qtbot.wait_until(lambda: s.current is not None and not s.runner.pending, timeout=WAIT)
        assert s.current.document.forms[0].code == "RESIDENT_CERT_ISSUE"  # type: ignore[union-attr]
    finally:
        parts.close()
