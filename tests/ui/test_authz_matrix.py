"""The one authorization gate, over the matrix role x action x entry point.

For each entry point (the command line, the counter window, the review window)
and each role, every action that entry point offers is tried on a real case
database with real accounts; it must succeed exactly when
:data:`records.permissions.TABLE` gives the role that action, and a refusal must
be the gate's (audited, reason ``no_right``). Then the seams: an account
disabled, demoted or given a new password while its windows are open is
stopped at its next action, and the window locks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.cli import main
from app.compose import build_counter
from app.review_demo import DemoDay, fill_day
from counter_app import authz
from counter_app.auth import Gate
from counter_app.demo import DemoKit
from counter_app.intake import open_store
from decoding.forms.catalogue import Catalogue
from decoding.keys import KeyRing
from records import accounts
from records.errors import AuthError
from records.store import CaseStore
from tests.ui.test_signin import PASSWORDS, audit, open_case, review_as
from ui.signin.flow import guard_desk
from ui.signin.lock import IdleLock

WAIT = 15_000
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
NAMES = {"clerk": "kim", "supervisor": "park", "admin": "boss"}

# What each entry point offers (an action not offered there is not in its row).
CLI_ACTIONS = ("view", "export", "accept", "return", "complete", "purge", "users", "report", "access")
COUNTER_ACTIONS = ("accept", "return", "correct", "print")
REVIEW_ACTIONS = ("view", "complete", "return", "reveal", "export", "report", "access", "fleet")


def test_the_table_names_every_action_and_role() -> None:
    assert set(authz.TABLE) == set(authz.ROLES)
    offered = set(CLI_ACTIONS) | set(COUNTER_ACTIONS) | set(REVIEW_ACTIONS)
    assert offered <= set(authz.ACTIONS)
    # no role may do everything; an admin never changes a case, a clerk never reveals
    assert not authz.allowed("admin", "complete") and not authz.allowed("admin", "return")
    assert not authz.allowed("clerk", "reveal") and authz.allowed("supervisor", "reveal")


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


def refusals(store: CaseStore, after: int) -> list[tuple[str, str]]:
    return [(d["right"], d["reason"]) for d in
            (json.loads(e.detail) for e in audit(store, after) if e.action == "signin")
            if not d.get("ok", True) and "right" in d]


# -- the command line --------------------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, dict[str, Any] | str]:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = int(exc.code) if isinstance(exc.code, int) else 2
    out = capsys.readouterr().out
    try:
        return code, json.loads(out.splitlines()[0])
    except (ValueError, IndexError):
        return code, out


def cli_try(role: str, action: str, day: DemoDay, kit: DemoKit, tmp_path: Path,
            capsys: pytest.CaptureFixture[str]) -> bool:
    """Run the command of ``action`` as the role's account; True when the gate let it through."""

    s = day.settings
    name = NAMES[role]
    pw = tmp_path / f"{name}.pw"
    pw.write_text(PASSWORDS[name] + "\n", encoding="utf-8")
    common = ["--db", s.database_url, "--key", str(kit.private_key), "--as", name,
              "--password-file", str(pw)]
    received = [r.case_number for n, r in day.receipts.items() if n not in ("resident-copy", "mail-order")]
    qr = tmp_path / f"qr-{role}.txt"
    qr.write_text("\n".join(kit.sample("resident-copy").texts) + "\n")
    argv = {
        "view": ["cases", "show", received[0]],
        "export": ["cases", "export", "--from", "2020-01-01", "--to", "2099-01-01", "--format", "csv",
                   "--out", str(tmp_path / f"{role}.csv"), "--reason", "월간 통계"],
        "accept": ["intake", str(qr)],
        "return": ["cases", "return", received[1], "--reason", "서류 미비"],
        "complete": ["cases", "complete", received[2]],
        "purge": ["db", "purge", "--before", "2000-01-01"],
        "users": ["users", "list"],
        "report": ["report", "day", "--date", "2026-01-01", "--out", str(tmp_path / f"{role}.pdf")],
        "access": ["audit", "access", "--from", "2026-01-01", "--to", "2026-01-02"],
    }[action]
    code, out = _cli(capsys, [*argv, *common])
    if code == 0:
        return True
    assert isinstance(out, dict), (role, action, code, out)  # an answer, not a usage error
    if out.get("error") == "AUTH_DENIED":
        assert code == 1 and out["details"]["reason"] == "no_right", (role, action, out)
        return False
    return True  # past the gate (it may still fail for its own reason, said otherwise)


# -- the counter window ------------------------------------------------------------


def fresh(kit: DemoKit, name: str) -> list[str]:
    """A sample petition as a new citizen would bring it (a new payload id: not a replay)."""
    from decoding.keys import load_public_key
    from decoding.payload import decode, encode, new_payload_id

    doc = dict(decode(kit.sample(name).texts, KeyRing.from_files([kit.private_key])).raw)
    doc["id"] = new_payload_id()
    return encode(doc, load_public_key(kit.public_key))


def counter_try(role: str, actions: tuple[str, ...], day: DemoDay, kit: DemoKit,
                catalogue: Catalogue, tmp_path: Path, qtbot: QtBot) -> dict[str, bool]:
    name = NAMES[role]
    s = day.settings
    keyring = KeyRing.from_files(s.keys)
    gate = Gate(open_store(s, keyring, migrate=False), "민원9", via="run")
    info = gate.sign_in(name, PASSWORDS[name])
    parts = build_counter(
        data_dir=tmp_path / f"data-{role}", database_url=s.database_url, key_files=list(s.keys),
        office=s.office, counter="민원9", clerk=name, scanners=["keyboard"], catalogue=catalogue,
        sound=False, restore=False)
    lock = IdleLock(parts.window, gate, info, 3600)
    guard_desk(parts.desk, gate, info, lock)
    parts.window.flow.ask_reason = lambda missing: "원본 확인 (test)"
    parts.window.flow.confirm_warnings = lambda warnings: True
    got: dict[str, bool] = {}
    try:
        desk = parts.desk
        for action in actions:
            checked = desk.check(fresh(kit, "resident-copy" if action != "return" else "mail-order"))
            try:
                if action == "accept":
                    desk.accept(checked, [], None, [])
                elif action == "return":
                    desk.accept(checked, [], None, [], returned="서류 미비")
                elif action == "correct":
                    from counter_app.corrections import Correction

                    fix = Correction(form="x", field="purpose", before=None, after="정정")
                    try:
                        desk.accept(checked, [], None, [fix])
                    except AuthError:
                        raise
                    except Exception:  # past the gate: refused for its own reason (no such field)
                        pass
                elif action == "print":
                    receipt = next(iter(day.receipts.values()))
                    desk.record_print(receipt, "receipt")
                got[action] = True
            except AuthError as exc:
                assert exc.reason == "no_right", (role, action, exc)
                got[action] = False
        assert not lock.locked  # a right the role lacks does not end the session
    finally:
        lock.shutdown()
        parts.close()
        gate.close()
    return got


# -- the review window -------------------------------------------------------------


def review_try(role: str, actions: tuple[str, ...], day: DemoDay, catalogue: Catalogue,
               tmp_path: Path, qtbot: QtBot) -> dict[str, bool]:
    name = NAMES[role]
    w, gate = review_as(qtbot, day, catalogue, name)
    w.confirm = lambda title, text: True
    w.ask_reason = lambda number: "서류 미비"
    w.authz.ask = lambda title, text, account: ("민원인 본인 확인", PASSWORDS[name])
    received = [r.case_id for n, r in day.receipts.items() if n not in ("resident-copy", "mail-order")]
    got: dict[str, bool] = {}

    def settle() -> None:
        qtbot.wait_until(lambda: not w.runner.pending, timeout=WAIT)

    try:
        for action in actions:
            start = audit(gate.store)[-1].seq
            if action == "view":
                w.bundle = None
                w.load_case(received[0])
            elif action in ("complete", "return", "reveal"):
                # the case as the window would hold it, fetched behind its back: the action
                # itself (not the view before it) meets the gate
                assert w.service is not None
                w.bundle = w.service.case(received[0 if action != "return" else 1])
                {"complete": w.request_complete, "return": w.request_return,
                 "reveal": lambda: w.request_reveal("applicant")}[action]()
            elif action == "export":
                w.export_to(tmp_path / f"{role}.xlsx")
            elif action == "report":
                if w.authz.allowed("report"):
                    w.report_to(tmp_path / f"{role}-report.pdf")
            elif action == "access":
                w.open_access()
            elif action == "fleet":
                w.authz.allowed("fleet")
            settle()
            refused = [r for r in refusals(gate.store, start) if r[0] == action]
            assert refused in ([], [(action, "no_right")]), (role, action, refused)
            got[action] = not refused
            if getattr(w, "access_window", None) is not None:
                w.access_window.close()
                w.access_window = None
    finally:
        w.shutdown()
        gate.close()
    return got


@pytest.mark.parametrize("role", ["clerk", "supervisor", "admin"])
@pytest.mark.parametrize("entry", ["cli", "counter", "review"])
def test_every_action_at_every_entry_point_follows_the_one_table(
    entry: str, role: str, day: DemoDay, kit: DemoKit, catalogue: Catalogue, tmp_path: Path,
    qtbot: QtBot, capsys: pytest.CaptureFixture[str],
) -> None:
    actions = {"cli": CLI_ACTIONS, "counter": COUNTER_ACTIONS, "review": REVIEW_ACTIONS}[entry]
    if entry == "cli":
        got = {a: cli_try(role, a, day, kit, tmp_path, capsys) for a in actions}
    elif entry == "counter":
        got = counter_try(role, actions, day, kit, catalogue, tmp_path, qtbot)
    else:
        got = review_try(role, actions, day, catalogue, tmp_path, qtbot)
    expected = {a: authz.allowed(role, a) for a in actions}
    assert got == expected


# -- the seams: the account changes while its windows are open ----------------------


@pytest.mark.parametrize("change", ["disable", "demote", "password"])
def test_a_changed_account_is_stopped_at_its_next_action_and_the_window_locks(
    change: str, day: DemoDay, catalogue: Catalogue, qtbot: QtBot
) -> None:
    w, gate = review_as(qtbot, day, catalogue, "park")
    lock = IdleLock(w, gate, w.authz.account, 3600)  # type: ignore[arg-type]
    w.authz.lock = lock
    received = [r.case_id for n, r in day.receipts.items() if n not in ("resident-copy", "mail-order")]
    try:
        open_case(qtbot, w, received[0])  # works while the account is as it signed in
        {"disable": lambda: accounts.disable(gate.store, "park", by="boss", counter="IT"),
         "demote": lambda: accounts.set_role(gate.store, "park", "clerk", by="boss", counter="IT"),
         "password": lambda: accounts.set_password(gate.store, "park", "Chief-pass-2", by="boss",
                                                   counter="IT")}[change]()
        start = audit(gate.store)[-1].seq
        w.bundle = None
        w.load_case(received[1])  # the next action
        qtbot.wait_until(lambda: not w.runner.pending and lock.locked, timeout=WAIT)
        assert w.bundle is None  # nothing shown
        reason = {"disable": "disabled", "demote": "role_changed", "password": "password_changed"}
        assert refusals(gate.store, start) == [("view", reason[change])]
        if change == "demote":  # signing in again at the lock: the session is a clerk's now
            assert lock.panel is not None
            lock.panel.password.setText(PASSWORDS["park"])
            lock.panel.password.returnPressed.emit()
            qtbot.wait_until(lambda: not lock.locked, timeout=WAIT)
            assert w.authz.session is not None and w.authz.session.role == "clerk"
            assert not w.authz.allowed("reveal")
    finally:
        lock.shutdown()
        w.shutdown()
        gate.close()
