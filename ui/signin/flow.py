"""A window behind a sign-in: the sign-in screen first, then the window, with its idle lock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent

from counter_app import authz
from counter_app.auth import Gate
from records.accounts import AccountInfo
from ui.signin.lock import IdleLock
from ui.signin.scans import SignInScans
from ui.signin.window import SignInWindow


def signed_in_window(app: Any, opener: Any, build: Any, *, right: str, title: str, counter: str,
                     idle_minutes: float, maximized: bool = False, demo: bool = False,
                     on_failed: Any = None, on_started: Any = None) -> int:
    """The sign-in screen; then ``build(account name)`` makes the counter, locked when idle.

    ``build`` returns what has ``.window`` and ``.close()`` (CounterParts, DemoCounter).
    ``on_started(parts)``, if given, runs once the window shows and may return a function
    to call when it has closed (a background service, a demo web server).
    Exit code: the window's, or 1 when the database cannot be opened or has no accounts."""
    import sys

    from counter_app.auth import DEMO_ACCOUNTS, DEMO_PASSWORD

    sign = SignInWindow(opener, title=title, right=right, where=f"단말 {counter}",
                        demo_accounts=DEMO_ACCOUNTS if demo else (),
                        demo_password=DEMO_PASSWORD if demo else "")
    held: dict[str, Any] = {}
    scans = SignInScans(app, sign.panel)  # a scan here is refused, never typed into a field

    def signed_in(info: Any, gate: Any) -> None:
        scans.stop()  # the counter's own filter takes the scans from now on
        parts = build(info.name)
        lock = IdleLock(parts.window, gate, info, idle_minutes * 60)
        held.update(parts=parts, gate=gate, lock=lock)
        desk = getattr(parts, "desk", None)
        if desk is not None:  # the counter window: its actions reach the database through the desk
            guard_desk(desk, gate, info, lock)
        if maximized:
            parts.window.showMaximized()
        else:
            parts.window.resize(1366, 768)
            parts.window.show()
        sign.close()
        if on_started is not None:
            held["stop"] = on_started(parts)

    sign.signed_in.connect(signed_in)
    if on_failed is not None:
        sign.failed.connect(on_failed)
    sign.resize(1366, 768)
    sign.showMaximized() if maximized else sign.show()
    code = int(app.exec())
    scans.stop()
    sign.shutdown()
    error = sign.error
    delete_now(sign)
    if "parts" in held:
        if held.get("stop") is not None:
            held["stop"]()
        held["lock"].shutdown()
        held["parts"].close()
        held["gate"].close()
    elif error:
        if on_failed is None:  # (else said already)
            print(f"counter-app: {error}", file=sys.stderr)
        return 1
    return code


def guard_desk(desk: Any, gate: Gate, account: AccountInfo, lock: IdleLock) -> None:
    """Every database action of the counter window asks the gate (on the worker thread); a refusal
    that ends the session locks the window, and signing in again at the lock renews the session."""
    session = [authz.Session.of(account, account.last_signin_at or dt.datetime.now(dt.UTC))]

    def authorize(action: str) -> object:
        try:
            return gate.authorize(session[0], action)
        except authz.Refusal as exc:
            if exc.ends_session:
                lock.lock_requested.emit()  # queued to the GUI thread
            raise

    def renewed(info: AccountInfo) -> None:
        session[0] = authz.Session.of(info, info.last_signin_at or dt.datetime.now(dt.UTC))

    desk.authorize = authorize
    lock.on_unlocked = renewed


def delete_now(widget: Any) -> None:
    """Delete a top-level widget on this (the GUI) thread, now: left to Python's garbage
    collector it could be freed on a worker thread (a crash)."""
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
