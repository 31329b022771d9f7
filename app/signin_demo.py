"""Screenshots of issue 13's screens: the sign-in, the lock screen and the access-log review.

``counter-app screenshot --out DIR`` calls :func:`people_screenshots` after the
counter's and the review window's shots.
"""

from __future__ import annotations

import contextlib
import dataclasses
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from app.demo import demo_gate
from app.review_demo import fill_day, wait_for
from counter_app.auth import DEMO_ACCOUNTS, DEMO_PASSWORD, Gate
from counter_app.demo import build_demo
from counter_app.intake import open_store
from decoding.forms.catalogue import default_catalogue
from decoding.keys import KeyRing
from records import accounts
from records.errors import AuthError
from ui.signin.lock import IdleLock
from ui.signin.window import SignInWindow

PASSWORDS = {"admin": "Office-pass-1", "kim": "Clerk-pass-1", "lee": "Clerk-pass-2",
             "park": "Chief-pass-1"}


def _save(widget: QWidget, path: Path, written: list[Path]) -> None:
    wait_for(lambda: False, 0.3)
    widget.grab().save(str(path))
    written.append(path)


def people_screenshots(app: QApplication, out: Path, size: tuple[int, int] = (1366, 768)) -> list[Path]:
    """signin.png (the demo's, with its accounts), lock.png (the counter locked), access-review.png."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo_gate(folder / "demo").close()
        sign = SignInWindow(lambda: demo_gate(folder / "demo"), title="민원 창구 로그인 (체험)",
                            right="accept", where="단말 민원1 · 체험용 데이터베이스",
                            demo_accounts=DEMO_ACCOUNTS, demo_password=DEMO_PASSWORD)
        sign.resize(*size)
        sign.show()
        try:
            wait_for(lambda: sign.panel.isEnabled(), 10)
            sign.panel.use_name("demo-clerk")
            sign.panel.password.setText("wrong-pass")
            sign.panel.submit()
            wait_for(lambda: not sign.panel.busy, 10)
            _save(sign, out / "signin.png", written)
        finally:
            sign.shutdown()
            if sign.gate is not None:
                sign.gate.close()
            sign.deleteLater()
        written += _lock_shot(folder / "demo", out, size)
        written += _access_shot(folder / "office", out, size)
    return written


def _lock_shot(folder: Path, out: Path, size: tuple[int, int]) -> list[Path]:
    from app.demo import DemoCounter

    written: list[Path] = []
    gate = demo_gate(folder)
    info = gate.sign_in("demo-clerk", DEMO_PASSWORD)
    demo = DemoCounter(folder, sound=False, restore=False, clerk=info.name)
    lock = IdleLock(demo.window, gate, info, 600)
    try:
        demo.window.resize(*size)
        demo.window.show()
        demo.scan(demo.kit.sample("resident-copy"))
        wait_for(lambda: demo.parts.session.current is not None, 10)
        lock.lock_now(idle=True)
        _save(demo.window, out / "lock.png", written)
    finally:
        lock.shutdown()
        demo.close()
        gate.close()
    return written


def _access_shot(folder: Path, out: Path, size: tuple[int, int]) -> list[Path]:
    from app.compose import make_opener
    from ui.review.window import ReviewWindow

    written: list[Path] = []
    catalogue = default_catalogue()
    kit = build_demo(folder / "kit", catalogue)
    day = fill_day(folder, kit, catalogue)
    store = open_store(day.settings, KeyRing.from_files(day.settings.keys), migrate=False)
    try:
        accounts.add(store, "admin", "admin", PASSWORDS["admin"], by=None, counter="IT")
        for name, role in (("kim", "clerk"), ("lee", "clerk"), ("park", "supervisor")):
            accounts.add(store, name, role, PASSWORDS[name], by="admin", counter="IT")
        ids = [r.case_id for r in day.receipts.values()]
        for i in range(12):  # a planted burst of reveals by one supervisor
            store.reveal_rrn(ids[i % len(ids)], "applicant", clerk="park", counter="감독1",
                             reason="본인 확인 요청 처리")
        store.reveal_rrn(ids[2], "delegate", clerk="kim", counter="민원1", reason="ㅁㅁㅁ")
    finally:
        store.close()
    gate = Gate(open_store(day.settings, KeyRing.from_files(day.settings.keys), migrate=False),
                "감독1", via="review")
    try:
        for _ in range(3):  # someone guesses kim's password
            with contextlib.suppress(AuthError):
                gate.sign_in("kim", "guess-1234")
        info = gate.sign_in("park", PASSWORDS["park"], "view")
        w = ReviewWindow(make_opener(dataclasses.replace(day.settings, clerk="park", counter="감독1"),
                                     catalogue=catalogue), None, "park (감독1)")
        w.authz.sign_in(info, gate)
        w.resize(*size)
        w.show()
        try:
            wait_for(lambda: w.data is not None and not w.runner.pending, 15)
            w.open_access()
            a = w.access_window
            assert a is not None, "the supervisor may open the access review"
            a.resize(*size)
            a.show()
            wait_for(lambda: a.report is not None and not a.runner.pending, 15)
            a.flags.setCurrentRow(0)
            a.findings.setPlainText("park 대량 열람: 주민센터 공문(제2026-114호)에 따른 확인으로 이상 없음")
            _save(a, out / "access-review.png", written)
        finally:
            w.shutdown()
            w.deleteLater()
    finally:
        gate.close()
    return written
