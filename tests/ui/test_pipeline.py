"""The window takes a petition through the one intake pipeline (counter_app.intake), the way
the command line does: the replay message, the form's own value, a return in one transaction."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.compose import CounterParts
from counter_app.demo import APPLICANT, DemoKit, form_entry
from decoding.forms.catalogue import Catalogue
from decoding.keys import load_public_key
from decoding.payload import encode, make_document
from records.models import AuditEvent, Case, StatusChange
from tests.ui.helpers import look, make_counter, run_child
from ui.widgets.i18n import install_translator

WAIT = 10_000  # ms


def scan_and_wait(qtbot: QtBot, parts: CounterParts, texts: list[str]) -> None:
    for t in texts:
        parts.session.submit_scan(t, "test")
    qtbot.wait_until(lambda: parts.session.current is not None and not parts.session.runner.pending,
                     timeout=WAIT)


def accept_shown(qtbot: QtBot, parts: CounterParts) -> Any:
    look(parts)
    with qtbot.wait_signal(parts.session.accepted, timeout=WAIT) as blocker:
        parts.window.accept()
    qtbot.wait_until(lambda: not parts.session.runner.pending, timeout=WAIT)
    return blocker.args[0]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_replay_message_names_case_time_clerk_and_counter(
    qtbot: QtBot, counter: CounterParts, kit: DemoKit, language: str
) -> None:
    texts = kit.sample("resident-copy").texts
    scan_and_wait(qtbot, counter, texts)
    receipt = accept_shown(qtbot, counter)
    assert install_translator(language)
    try:
        with qtbot.wait_signal(counter.session.scan_rejected, timeout=WAIT) as blocker:
            for t in texts:
                counter.session.submit_scan(t, "test")
        assert blocker.args[0].code == "MW_REPLAY"
        banner = counter.window.banner.text.text()
    finally:
        install_translator("ko")
    when = re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", banner)
    assert "MW_REPLAY" in banner and receipt.case_number in banner and when, banner
    assert "tester" in banner and "민원1" in banner  # the clerk and the counter
    if language == "en":
        assert "already received" in banner and "이미 접수" not in banner
    else:
        assert "이미 접수된" in banner and "already received" not in banner
    assert banner.count(receipt.case_number) == 1  # said once, not twice
    assert counter.session.current is None


def test_the_forms_own_value_wins_on_screen_as_in_validation(
    qtbot: QtBot, counter: CounterParts, kit: DemoKit, catalogue: Catalogue
) -> None:
    """RESIDENT_CERT_ISSUE fills subject_phone from the applicant; this form carries its own
    (bad) number beside the applicant's good one: the screen shows the form's own, with
    validation's error beside it, and a correction changes the form's field, not the person."""
    fields = {"cert_kind": "등본", "copies": 1, "purpose": "은행 제출용", "subject_phone": "12"}
    doc = make_document(APPLICANT, [form_entry(catalogue, "RESIDENT_CERT_ISSUE", fields)])
    scan_and_wait(qtbot, counter, encode(doc, load_public_key(kit.public_key)))
    s = counter.session
    assert s.view is not None
    row = next(r for sec in s.view.forms[0].sections for r in sec.rows if r.id == "subject_phone")
    assert row.value == "12" and row.severity == "error"
    widget = next(w for w in counter.window.petition.rows if w.row.id == "subject_phone")
    assert widget.value_label.text() == "12"
    assert str(APPLICANT["phone"]) in counter.window.petition.shown_text()  # the person block
    assert "QR 접수" in counter.window.petition.shown_text()  # one origin vocabulary
    assert not counter.window.accept_button.isEnabled()
    s.correct(row.form, row.id, row.value, "010-2222-3333")
    qtbot.wait_until(lambda: not s.runner.pending and s.view is not None and not s.view.errors,
                     timeout=WAIT)
    widget = next(w for w in counter.window.petition.rows if w.row.id == "subject_phone")
    assert widget.value_label.text() == "010-2222-3333"
    receipt = accept_shown(qtbot, counter)
    stored = counter.store.get(receipt.case_number)
    assert stored.document["forms"][0]["fields"]["subject_phone"] == "010-2222-3333"
    assert stored.document["applicant"]["phone"] == str(APPLICANT["phone"])
    assert [c.field for c in stored.corrections] == ["forms[0].fields.subject_phone"]


def test_return_through_the_window_is_one_transaction(
    qtbot: QtBot, counter: CounterParts, kit: DemoKit, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan_and_wait(qtbot, counter, kit.sample("resident-copy").texts)
    monkeypatch.setattr("ui.counter.main_window.ask_text", lambda *a, **k: ("신분증 미지참", True))
    with qtbot.wait_signal(counter.session.returned, timeout=WAIT) as blocker:
        counter.window.return_petition()
    receipt = blocker.args[0]
    assert receipt.status == "returned" and receipt.reason == "신분증 미지참"
    qtbot.wait_until(lambda: not counter.session.runner.pending, timeout=WAIT)
    with counter.store.read() as db:
        history = db.execute(select(StatusChange.status, StatusChange.reason)).all()
        actions = db.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert [tuple(h) for h in history] == [("received", None), ("returned", "신분증 미지참")]
    assert actions[:2] == ["intake", "status"]
    assert counter.window.banner.kind == "warning" and receipt.case_number in counter.window.banner.text.text()


KILL_SCRIPT = r"""
import records.audit
for t in kit.sample("resident-copy").texts:
    s.submit_scan(t, "test")
assert wait_for(lambda: s.current is not None and not s.runner.pending)
s.add_page(str(kit.pages[0]), "test", attachment="신분증 사본")
assert s.writer.flush()
real_append = records.audit.append
def append(session, *, action, **kw):
    if action == "status":  # the return is being written: the power goes out
        print("killed", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    return real_append(session, action=action, **kw)
records.audit.append = append
import ui.counter.main_window
ui.counter.main_window.ask_text = lambda *a, **k: ("신분증 미지참", True)
parts.window.return_petition()   # Ctrl+R, the reason typed
wait_for(lambda: False, 20)
print("not killed", flush=True)
"""


def test_a_return_killed_midway_leaves_no_received_case(
    qtbot: QtBot, tmp_path: Path, kit: DemoKit, catalogue: Catalogue
) -> None:
    """Kill the counter while the return is being written: the case is not left "received"
    (before, accept and return were two transactions). The petition is still on screen
    after the restart, and returning it then works."""
    proc = run_child(KILL_SCRIPT, tmp_path, kit)
    assert proc.returncode == -9 and "killed" in proc.stdout, proc.stdout + proc.stderr
    parts = make_counter(tmp_path, kit, catalogue, restore=True)
    try:
        s = parts.session
        qtbot.wait_until(lambda: s.view is not None and not s.runner.pending, timeout=WAIT)
        with parts.store.read() as db:
            assert db.scalars(select(Case.status)).all() == []  # nothing half-done
        assert "김민원" in parts.window.petition.shown_text()
        assert [p.attachment for p in s.draft.pages] == ["신분증 사본"]
        with qtbot.wait_signal(s.returned, timeout=WAIT) as blocker:
            s.return_petition("신분증 미지참")
        detail = parts.store.get(blocker.args[0].case_number)
        assert detail.row.status == "returned" and detail.status_reason == "신분증 미지참"
        assert len(detail.attachments) == 1
    finally:
        parts.close()


def test_the_windows_power_of_attorney_is_the_catalogues(
    qtbot: QtBot, counter: CounterParts, kit: DemoKit, catalogue: Catalogue,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The 위임장 the clerk opens is the one ``counter-app forms attorney --html`` prints
    (the catalogue's rules: tasks, refusals, the papers to bring, the petition's date)."""
    from decoding.forms import power_of_attorney, render_html
    from ui.counter.paper import HtmlDialog

    shown_pages: list[str] = []
    def exec_(self: HtmlDialog) -> int:
        shown_pages.append(self.html)
        return 0

    monkeypatch.setattr(HtmlDialog, "exec", exec_)
    scan_and_wait(qtbot, counter, kit.sample("proxy-resident-copy").texts)
    counter.window.show_power_of_attorney()
    current = counter.session.current
    assert current is not None
    poa = power_of_attorney(current.document, catalogue)
    assert poa is not None and shown_pages == [render_html(poa)]
    assert "지참 서류" in shown_pages[0] and "이대리" in shown_pages[0]
