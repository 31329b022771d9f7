"""Sign-in, idle lock, rights in the review window and the access-log review, driven by keys.

The windows run on a real case database with real accounts (Argon2id), and
what they did is checked in the audit trail: every event names the signed-in
account and the terminal.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.compose import build_counter, make_opener
from app.demo import demo_gate
from app.review_demo import DemoDay, fill_day
from counter_app.auth import DEMO_PASSWORD, Gate
from counter_app.demo import DemoKit
from counter_app.intake import open_store
from decoding.forms.catalogue import Catalogue
from decoding.keys import KeyRing
from records import accounts
from records.accounts import AccountInfo
from records.models import AuditEvent
from records.store import CaseStore
from ui.review.access import AccessWindow
from ui.review.window import ReviewWindow
from ui.signin.lock import IdleLock
from ui.signin.scans import SignInScans
from ui.signin.window import SignInWindow

WAIT = 15_000
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, for top-level forms
PASSWORDS = {"boss": "Admin-pass-1", "kim": "Clerk-pass-1", "park": "Chief-pass-1"}


def audit(store: CaseStore, after: int = 0) -> list[AuditEvent]:
    with store.read() as s:
        return list(s.execute(select(AuditEvent).where(AuditEvent.seq > after)
                              .order_by(AuditEvent.seq)).scalars())


# -- the sign-in screen ---------------------------------------------------------


@pytest.fixture
def sign_window(qtbot: QtBot, tmp_path: Path) -> Iterator[SignInWindow]:
    demo_gate(tmp_path).close()  # the demo database with its accounts (imports on this thread)
    w = SignInWindow(lambda: demo_gate(tmp_path), title="민원 창구 로그인", right="accept",
                     demo_accounts=(("demo-clerk", "clerk"), ("demo-supervisor", "supervisor")),
                     demo_password=DEMO_PASSWORD)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.wait_until(lambda: w.panel.isEnabled(), timeout=WAIT)
    yield w
    w.shutdown()
    if w.gate is not None:
        w.gate.close()


def type_in(qtbot: QtBot, name: str, password: str) -> None:
    """What a clerk does: the name, Enter, the password, Enter (no mouse)."""
    focus = QApplication.focusWidget()
    assert focus is not None and focus.objectName() == "signin-name"
    qtbot.keyClicks(focus, name)
    qtbot.keyClick(focus, Qt.Key.Key_Return)
    focus = QApplication.focusWidget()
    assert focus is not None and focus.objectName() == "signin-password"
    qtbot.keyClicks(focus, password)
    qtbot.keyClick(focus, Qt.Key.Key_Return)


def test_sign_in_by_keyboard_refuses_a_wrong_password_and_a_disabled_account(
    qtbot: QtBot, sign_window: SignInWindow
) -> None:
    w = sign_window
    got: list[AccountInfo] = []
    w.signed_in.connect(lambda info, _gate: got.append(info))
    w.activateWindow()
    w.panel.name.setFocus()
    type_in(qtbot, "demo-clerk", "wrong-pass-1")
    qtbot.wait_until(lambda: not w.panel.busy and w.panel.message.isVisible(), timeout=WAIT)
    assert "비밀번호가 맞지 않습니다" in w.panel.message.text() and not got
    assert w.panel.password.text() == "" and QApplication.focusWidget() is w.panel.password
    # a disabled account cannot sign in, even with its right password
    assert w.gate is not None
    accounts.disable(w.gate.store, "demo-supervisor", by="demo-admin", counter="IT")
    w.panel.use_name("demo-supervisor")
    qtbot.keyClicks(w.panel.password, DEMO_PASSWORD)
    qtbot.keyClick(w.panel.password, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: not w.panel.busy and "사용 중지" in w.panel.message.text(), timeout=WAIT)
    assert not got
    # Alt+1 puts the first demo account's name in; the password and Enter sign in
    qtbot.keyClick(w.panel.password, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert w.panel.name.text() == "demo-clerk"
    qtbot.keyClicks(w.panel.password, DEMO_PASSWORD)
    qtbot.keyClick(w.panel.password, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: bool(got), timeout=WAIT)
    assert got[0].name == "demo-clerk" and got[0].role == "clerk"
    events = [(e.actor, e.counter, json.loads(e.detail)) for e in audit(w.gate.store)
              if e.action == "signin"]
    assert [(a, d["ok"], d.get("reason")) for a, _c, d in events] == [
        ("demo-clerk", False, "wrong_password"), ("demo-supervisor", False, "disabled"),
        ("demo-clerk", True, None)]
    assert {c for _a, c, _d in events} == {"민원1"}


# -- the idle lock ----------------------------------------------------------------


def test_idle_lock_keeps_the_draft_and_only_the_password_opens_it(
    qtbot: QtBot, tmp_path: Path, kit: DemoKit, catalogue: Catalogue
) -> None:
    # One office key for the sign-in and the counter, as in the demo folder: it opens the
    # data key that keys the audit chain both write to.
    (tmp_path / "keys").mkdir()
    shutil.copy(kit.private_key, tmp_path / "keys" / "office.pem")
    gate = demo_gate(tmp_path)
    info = gate.sign_in("demo-clerk", DEMO_PASSWORD, "accept")
    parts = build_counter(
        data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'cases.db'}",
        key_files=[kit.private_key], office="3210000", counter="민원1", clerk=info.name,
        scanners=["keyboard"], seal_capture=lambda: str(kit.seals[0]), catalogue=catalogue,
        sound=False)
    lock = IdleLock(parts.window, gate, info, idle_seconds=0.4)
    # the clerk's answer to the accept's question: a required document without its page
    parts.window.flow.ask_reason = lambda missing: "원본 신분증 확인 (test)"
    parts.window.flow.confirm_warnings = lambda warnings: True  # and its warnings, looked at
    try:
        w, s = parts.window, parts.session
        w.resize(1366, 768)
        w.show()
        for t in kit.sample("mail-order").texts:
            s.submit_scan(t, "test")
        qtbot.wait_until(lambda: s.current is not None and not s.runner.pending, timeout=WAIT)
        s.add_page(str(kit.pages[0]), "test", attachment="신분증 사본")
        before = s.current
        pages = len(s.draft.pages)
        qtbot.wait_until(lambda: lock.locked, timeout=WAIT)  # nobody touched the PC
        assert lock.cover is not None and lock.cover.isVisible()
        assert lock.cover.geometry() == w.rect()  # nothing of the petition shows
        # Ctrl+Enter (accept) on the locked window does nothing
        qtbot.keyClick(w, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(200)
        assert s.current is before and len(s.draft.pages) == pages
        assert lock.panel is not None and lock.panel.name.text() == "demo-clerk"
        assert lock.panel.name.isReadOnly()  # only the signed-in account opens it
        # (typed at once: keyClicks would be as fast as a scanner, and the keyboard wedge takes those)
        lock.panel.password.setText("wrong-pass-1")
        qtbot.keyClick(lock.panel.password, Qt.Key.Key_Return)
        qtbot.wait_until(lambda: not lock.panel.busy and lock.panel.message.isVisible(), timeout=WAIT)
        assert lock.locked
        lock.panel.password.setText(DEMO_PASSWORD)
        qtbot.keyClick(lock.panel.password, Qt.Key.Key_Return)
        qtbot.wait_until(lambda: not lock.locked, timeout=WAIT)
        # the draft is exactly where it was; accepting it works and names the account
        assert s.current is before and len(s.draft.pages) == pages
        lock.idle_seconds = 3600
        # what the unlock uncovers is not yet seen: a Ctrl+Enter right after it accepts nothing
        assert s.seen.restarts[-1] == "uncovered:locked" and s.too_new() > 0
        with qtbot.assert_not_emitted(s.accepted, wait=100):
            w.accept()
        qtbot.wait_until(lambda: s.too_new() == 0, timeout=WAIT)  # the clerk looks
        with qtbot.wait_signal(s.accepted, timeout=WAIT) as blocker:
            w.accept()
        case = parts.store.get(blocker.args[0].case_number)
        assert case.row.clerk == "demo-clerk" and case.row.counter == "민원1"
        qtbot.wait_until(lambda: not s.runner.pending and not lock.runner.pending, timeout=WAIT)
        events = audit(gate.store)
        ops = [json.loads(e.detail).get("op") for e in events if e.action == "signin"]
        assert "idle_lock" in ops
        # every event since the first account: the account and this terminal
        work = [e for e in events if e.action not in ("account",)]
        assert work and all(e.actor == "demo-clerk" and e.counter == "민원1" for e in work)
    finally:
        lock.shutdown()
        parts.close()
        gate.close()


# -- rights in the review window ------------------------------------------------------


@pytest.fixture
def day(tmp_path: Path, kit: DemoKit, catalogue: Catalogue) -> DemoDay:
    d = fill_day(tmp_path, kit, catalogue)
    store = open_store(d.settings, KeyRing.from_files(d.settings.keys), migrate=False)
    try:
        accounts.add(store, "boss", "admin", PASSWORDS["boss"], by=None, counter="IT")
        accounts.add(store, "kim", "clerk", PASSWORDS["kim"], by="boss", counter="IT")
        accounts.add(store, "park", "supervisor", PASSWORDS["park"], by="boss", counter="IT")
    finally:
        store.close()
    return d


def review_as(qtbot: QtBot, day: DemoDay, catalogue: Catalogue, name: str,
              terminal: str = "감독1") -> tuple[ReviewWindow, Gate]:
    import dataclasses

    gate = Gate(open_store(day.settings, KeyRing.from_files(day.settings.keys), migrate=False),
                terminal, via="review")
    info = gate.sign_in(name, PASSWORDS[name], "view")
    who = dataclasses.replace(day.settings, clerk=name, counter=terminal)
    w = ReviewWindow(make_opener(who, catalogue=catalogue))
    w.authz.sign_in(info, gate)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.wait_until(lambda: w.data is not None and not w.runner.pending, timeout=WAIT)
    return w, gate


def open_case(qtbot: QtBot, w: ReviewWindow, case_id: int) -> None:
    row = w.model.row_of(case_id)
    w.select_row(row)
    qtbot.wait_until(lambda: w.bundle is not None and w.bundle.detail.row.id == case_id
                     and not w.runner.pending, timeout=WAIT)


def test_a_clerk_cannot_reveal_or_export_in_the_review_window(
    qtbot: QtBot, day: DemoDay, catalogue: Catalogue, tmp_path: Path
) -> None:
    w, gate = review_as(qtbot, day, catalogue, "kim")
    asked: list[str] = []
    w.authz.ask = lambda title, text, account: asked.append(title) or ("본인 확인", PASSWORDS["kim"])
    try:
        start = audit(gate.store)[-1].seq
        open_case(qtbot, w, day.receipts["resident-copy"].case_id)
        w.request_reveal("applicant")
        qtbot.wait_until(lambda: w.banner.isVisible() and not w.runner.pending, timeout=WAIT)
        assert "권한이 없습니다" in w.banner_text.text()
        assert "900101-1234568" not in w.detail.grab().toImage().text()  # nothing revealed
        out = tmp_path / "day.xlsx"
        w.export_to(out)
        qtbot.wait_until(lambda: not w.runner.pending, timeout=WAIT)
        assert not out.exists() and asked == []  # refused before any question
        events = audit(gate.store, start)
        assert not any(e.action in ("reveal_rrn", "export") for e in events)
        refused = [json.loads(e.detail) for e in events if e.action == "signin"]
        assert [(d["right"], d["reason"]) for d in refused] == [("reveal", "no_right"), ("export", "no_right")]
        assert all(e.actor == "kim" and e.counter == "감독1" for e in events)
        assert not w.authz.allowed("access")
    finally:
        w.shutdown()
        gate.close()


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform says so for dialogs
@pytest.mark.parametrize(("name", "opens"), [("kim", False), ("park", True), ("boss", True)])
def test_the_fleet_panel_is_for_accounts_with_the_fleet_right(
    qtbot: QtBot, day: DemoDay, catalogue: Catalogue, name: str, opens: bool
) -> None:
    from ui.review.fleet import FleetPanel

    w, gate = review_as(qtbot, day, catalogue, name)
    try:
        start = audit(gate.store)[-1].seq
        qtbot.keyClick(w, Qt.Key.Key_F12)
        qtbot.wait_until(lambda: not w.runner.pending, timeout=WAIT)
        panel = w.findChild(FleetPanel)
        assert (panel is not None and panel.isVisible()) is opens
        refused = [json.loads(e.detail) for e in audit(gate.store, start) if e.action == "signin"]
        assert [(d["right"], d["reason"]) for d in refused] == ([] if opens else [("fleet", "no_right")])
        if panel is not None:
            qtbot.wait_until(lambda: panel.fleet is not None, timeout=WAIT)
            panel.close()
    finally:
        w.shutdown()
        gate.close()


def test_a_supervisor_reveals_with_a_reason_and_the_password_again(
    qtbot: QtBot, day: DemoDay, catalogue: Catalogue, tmp_path: Path
) -> None:
    w, gate = review_as(qtbot, day, catalogue, "park")
    answers = [("민원인 본인 확인", "not-my-pass-1"), ("민원인 본인 확인", PASSWORDS["park"]),
               ("월간 보고", PASSWORDS["park"])]
    w.authz.ask = lambda title, text, account: answers.pop(0)
    try:
        start = audit(gate.store)[-1].seq
        case_id = day.receipts["resident-copy"].case_id
        open_case(qtbot, w, case_id)
        w.request_reveal("applicant")  # the wrong password: refused, nothing revealed
        qtbot.wait_until(lambda: w.banner.isVisible() and not w.runner.pending, timeout=WAIT)
        assert "비밀번호" in w.banner_text.text()
        w.banner.hide()
        w.request_reveal("applicant")
        qtbot.wait_until(lambda: not w.runner.pending, timeout=WAIT)
        out = tmp_path / "day.csv"
        w.export_to(out)
        qtbot.wait_until(lambda: w.last_export == out and not w.runner.pending, timeout=WAIT)
        events = audit(gate.store, start)
        reveal = [e for e in events if e.action == "reveal_rrn"]
        assert len(reveal) == 1 and json.loads(reveal[0].detail)["reason"] == "민원인 본인 확인"
        export = [e for e in events if e.action == "export"]
        assert len(export) == 1 and json.loads(export[0].detail)["reason"] == "월간 보고"
        signins = [json.loads(e.detail) for e in events if e.action == "signin"]
        assert [(d["via"], d["ok"]) for d in signins] == [
            ("review:confirm", False), ("review:confirm", True), ("review:confirm", True)]
        assert all(e.actor == "park" and e.counter == "감독1" for e in events)
    finally:
        w.shutdown()
        gate.close()


# -- the access-log review window ------------------------------------------------------


def test_the_access_review_window_finds_the_burst_records_and_exports(
    qtbot: QtBot, day: DemoDay, catalogue: Catalogue, tmp_path: Path
) -> None:
    store = open_store(day.settings, KeyRing.from_files(day.settings.keys), migrate=False)
    try:
        ids = [r.case_id for r in day.receipts.values()]
        for i in range(12):  # park reveals 12 numbers within minutes: a burst
            store.reveal_rrn(ids[i % len(ids)], "applicant", clerk="park", counter="감독1",
                             reason="확인 요청 처리")
    finally:
        store.close()
    w, gate = review_as(qtbot, day, catalogue, "park")
    w.authz.ask = lambda title, text, account: ("점검 자료 제출", PASSWORDS["park"])
    try:
        w.open_access()
        a = w.access_window
        assert isinstance(a, AccessWindow)  # (closed and deleted by the review window's shutdown)
        qtbot.wait_until(lambda: a.report is not None and not a.runner.pending, timeout=WAIT)
        report = a.report
        assert report is not None
        burst = [f for f in report.flags if f.rule == "burst"]
        assert burst and burst[0].actor == "park" and len(burst[0].seqs) == 12
        texts = [a.flags.item(i).text() for i in range(a.flags.count())]
        assert any("대량" in t for t in texts)
        assert a.table.rowCount() == len(report.events) > 12
        a.flags.setCurrentRow(texts.index(next(t for t in texts if "대량" in t)))
        assert a.table.selectionModel().hasSelection()
        # the flag handled: marked reviewed with what was found, and shown so after a reload
        assert a.flag_review_btn.isEnabled()
        a.ask_note = lambda text: "공문(점검 요청)에 따른 일괄 확인"
        a.flag_review_btn.click()
        qtbot.wait_until(lambda: a.report is not report and not a.runner.pending, timeout=WAIT)
        assert any(f.rule == "burst" and "공문" in f.review for f in a.report.flags)  # type: ignore[union-attr]
        assert any(a.flags.item(i).text().startswith("✔") for i in range(a.flags.count()))
        report = a.report
        assert report is not None
        a.findings.setPlainText("park 대량 열람: 공문 확인, 이상 없음")  # (QTest cannot type Hangul)
        a.findings.setFocus()
        qtbot.keyClick(a.findings, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait_until(lambda: not a.runner.pending and bool(report.reviews), timeout=WAIT)
        assert "검토 완료" in a.banner.text()
        xlsx, pdf = tmp_path / "access.xlsx", tmp_path / "access.pdf"
        a.export_to(xlsx)
        qtbot.wait_until(lambda: a.last_export == xlsx and not a.runner.pending, timeout=WAIT)
        a.export_to(pdf)
        qtbot.wait_until(lambda: a.last_export == pdf and not a.runner.pending, timeout=WAIT)
        from openpyxl import load_workbook

        wb = load_workbook(xlsx)
        assert wb.sheetnames == ["접근기록", "표시", "검토"] and wb["검토"].max_row == 2
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=False).stdout
        if text:  # poppler-utils present
            assert "접근 기록 검토" in text and "park" in text
        assert pdf.read_bytes().startswith(b"%PDF")
        events = audit(gate.store)
        last = [e for e in events if e.action in ("access_review", "export")][-3:]
        assert [e.action for e in last] == ["access_review", "export", "export"]
        assert all(e.actor == "park" and e.counter == "감독1" for e in last)
        assert json.loads(last[-1].detail)["reason"] == "점검 자료 제출"
        # the idle lock covers the review window and hides the access review until unlocked
        assert w.authz.account is not None
        lock = IdleLock(w, gate, w.authz.account, idle_seconds=3600)
        try:
            lock.lock_now()
            assert not a.isVisible() and lock.cover is not None and lock.cover.isVisible()
            assert lock.panel is not None
            lock.panel.password.setText(PASSWORDS["park"])
            lock.panel.submit()
            qtbot.wait_until(lambda: not lock.locked, timeout=WAIT)
            assert a.isVisible()
        finally:
            lock.shutdown()
    finally:
        w.shutdown()
        gate.close()


# -- the entry points ----------------------------------------------------------------


@pytest.mark.parametrize("command", ["run", "review"])
def test_windows_never_run_without_accounts(tmp_path: Path, command: str) -> None:
    """A database without accounts: the sign-in says how IT makes the first admin; exit 1."""
    from tests.conftest import VECTORS_DIR
    from tests.ui.test_commands import run

    db = tmp_path / "cases.db"
    cfg = tmp_path / "counter.toml"
    cfg.write_text(f'keys = ["{VECTORS_DIR / "keys" / "test-p256-1.pem"}"]\ndatabase = "sqlite:///{db}"\n'
                   f'data_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    assert run("db", "upgrade", "--db", f"sqlite:///{db}").returncode == 0
    proc = run(command, "--config", str(cfg))
    assert proc.returncode == 1, proc.stderr
    assert "계정이 없습니다" in proc.stderr and "users add" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_run_signs_in_and_builds_the_counter_as_that_account(
    qtbot: QtBot, tmp_path: Path, kit: DemoKit, catalogue: Catalogue
) -> None:
    """``counter-app run``'s wiring: the sign-in screen, then the counter as the account, locked when idle."""
    from PySide6.QtCore import QTimer

    from ui.signin.flow import signed_in_window

    demo_gate(tmp_path).close()
    app = QApplication.instance()
    seen: dict[str, object] = {}

    def build(clerk: str) -> object:
        parts = build_counter(
            data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'cases.db'}",
            key_files=[kit.private_key], office="3210000", counter="민원1", clerk=clerk,
            scanners=[], catalogue=catalogue, sound=False)
        seen["parts"] = parts
        return parts

    def step(n: int = 0) -> None:
        if n > 400:
            app.exit(3)  # type: ignore[union-attr]
            return
        signs = [w for w in QApplication.topLevelWidgets() if isinstance(w, SignInWindow)]
        sign = signs[0] if signs else None
        if "parts" not in seen:
            if sign is not None and sign.panel.isEnabled() and not sign.panel.busy:
                sign.panel.use_name("demo-clerk")
                sign.panel.password.setText(DEMO_PASSWORD)
                sign.panel.submit()
            QTimer.singleShot(25, lambda: step(n + 1))
            return
        parts = seen["parts"]
        seen["clerk"] = parts.session.clerk  # type: ignore[attr-defined]
        seen["visible"] = parts.window.isVisible()  # type: ignore[attr-defined]
        seen["sign_visible"] = sign.isVisible() if sign is not None else False
        app.exit(0)  # type: ignore[union-attr]

    QTimer.singleShot(0, step)
    stopped: list[bool] = []
    code = signed_in_window(app, lambda: demo_gate(tmp_path), build, right="accept",
                            title="민원 창구 로그인", counter="민원1", idle_minutes=10,
                            on_started=lambda parts: lambda: stopped.append(True))
    assert code == 0 and stopped == [True]
    assert seen["clerk"] == "demo-clerk" and seen["visible"] is True and seen["sign_visible"] is False


# -- a scanner on the sign-in screen ------------------------------------------------


def test_a_scan_on_the_sign_in_screen_is_refused_never_typed(
    qtbot: QtBot, sign_window: SignInWindow, kit: DemoKit, qapp: QApplication
) -> None:
    """A keyboard-wedge scan into 계정 이름 or 비밀번호: nothing typed, no attempt audited, no
    lock-out after five; a word and the sound; the clerk's own typing still signs in."""
    w = sign_window
    beeps: list[int] = []
    scans = SignInScans(qapp, w.panel, sound=lambda: beeps.append(1))
    got: list[AccountInfo] = []
    w.signed_in.connect(lambda info, _gate: got.append(info))
    try:
        w.activateWindow()
        text = kit.sample("mail-order").texts[0]
        for field in (w.panel.name, w.panel.password, w.panel.password, w.panel.password,
                      w.panel.password, w.panel.password):
            field.setFocus()
            before = scans.refused
            qtbot.keyClicks(field, text)
            qtbot.keyClick(field, Qt.Key.Key_Return)  # the scanner's suffix
            qtbot.wait_until(lambda before=before: scans.refused > before, timeout=WAIT)  # type: ignore[misc]
        qtbot.wait(300)
        assert w.panel.name.text() == "" and w.panel.password.text() == ""
        assert "SCAN_SIGNIN" in w.panel.message.text() and len(beeps) == scans.refused == 6
        assert w.gate is not None and [e for e in audit(w.gate.store) if e.action == "signin"] == []
        w.panel.name.setFocus()  # a person types (60 ms a key): given back to the fields
        qtbot.keyClicks(w.panel.name, "demo-clerk", delay=60)
        qtbot.wait_until(lambda: w.panel.name.text() == "demo-clerk", timeout=WAIT)
        qtbot.keyClick(w.panel.name, Qt.Key.Key_Return)
        assert QApplication.focusWidget() is w.panel.password
        qtbot.keyClicks(w.panel.password, DEMO_PASSWORD, delay=60)
        qtbot.wait_until(lambda: w.panel.password.text() == DEMO_PASSWORD, timeout=WAIT)
        qtbot.keyClick(w.panel.password, Qt.Key.Key_Return)
        qtbot.wait_until(lambda: bool(got), timeout=WAIT)  # not locked out
    finally:
        scans.stop()
