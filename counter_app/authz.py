"""The one authorization gate: every action of the command line and of both windows asks here.

Each action (view, reveal, print, export, correct, accept, return, complete,
purge, set aside, users, report, access review, fleet, update) is a named
permission of :data:`records.permissions.TABLE`, one table role x action.
:func:`authorize` reads the account again from the database at every action
-- enabled, role, when its password last changed -- so an account disabled,
demoted or given a new password since it signed in is stopped at its next
action, whichever window or command it acts through. A refusal is an audit
event and an :class:`records.errors.AuthError`; :attr:`Refusal.ends_session`
tells a window to lock (the account itself is no longer what signed in),
as opposed to one action its role does not hold.

On a database that has never had an account (set-up mode, see
:mod:`counter_app.auth`) there is nobody to check: every action is allowed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from records import accounts
from records.accounts import AccountInfo
from records.errors import AuthError
from records.permissions import ACTIONS, ROLES, TABLE, allowed
from records.store import CaseStore

__all__ = ["ACTIONS", "ROLES", "TABLE", "Refusal", "Session", "allowed", "authorize"]

# Why the account's own state ends what it signed in for (the window locks).
SESSION_ENDING = frozenset({"gone", "disabled", "password_changed", "role_changed"})


class Refusal(AuthError):
    """An action refused by the gate; ``reason`` is one of ``no_right`` or :data:`SESSION_ENDING`."""

    @property
    def ends_session(self) -> bool:
        return self.reason in SESSION_ENDING


@dataclass(frozen=True)
class Session:
    """Who signed in, as what, and when: what the gate compares the account with."""

    name: str
    role: str
    signed_in_at: dt.datetime

    @classmethod
    def of(cls, account: AccountInfo, at: dt.datetime) -> Session:
        return cls(account.name, account.role, at)


def _refuse(store: CaseStore, name: str, action: str, reason: str, ko: str, en: str, *,
            counter: str, via: str) -> Refusal:
    accounts.record_event(store, "signin", name, counter,
                          {"op": "right", "account": name, "via": via, "right": action,
                           "ok": False, "reason": reason})
    err = Refusal(ko, en, {"reason": reason, "account": name, "action": action})
    err.reason = reason
    return err


def authorize(store: CaseStore, who: Session | AccountInfo | None, action: str, *, counter: str,
              via: str) -> AccountInfo | None:
    """The account as it is now, if it may do ``action``; else :class:`Refusal` (audited).

    ``who`` is a window's :class:`Session` (compared with the account: a role or a
    password changed since the sign-in ends it) or an account just signed in (the
    command line), or None in set-up mode. Call it off the GUI thread: it reads the
    database.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if who is None:
        if accounts.required(store):
            raise AuthError("계정으로 로그인해야 합니다.", "this needs a signed-in account")
        return None
    name = who.name
    now = accounts.get(store, name)
    what_ko, what_en = ACTIONS[action]
    if now is None:
        raise _refuse(store, name, action, "gone", f"계정이 없습니다: {name}",
                      f"no such account: {name}", counter=counter, via=via)
    if not now.active:
        raise _refuse(store, name, action, "disabled",
                      f"사용 중지된 계정입니다: {name}. 관리자에게 문의하세요.",
                      f"the account {name} is disabled; ask an admin", counter=counter, via=via)
    if isinstance(who, Session):
        changed = now.password_changed_at
        if changed is not None and changed > who.signed_in_at:
            raise _refuse(store, name, action, "password_changed",
                          "로그인한 뒤 비밀번호가 바뀌었습니다. 다시 로그인해 주세요.",
                          "the password changed since this sign-in; sign in again",
                          counter=counter, via=via)
        if now.role != who.role:
            raise _refuse(store, name, action, "role_changed",
                          f"로그인한 뒤 역할이 바뀌었습니다({who.role} → {now.role}). 다시 로그인해 주세요.",
                          f"the role changed since this sign-in ({who.role} -> {now.role}); "
                          "sign in again", counter=counter, via=via)
    if not allowed(now.role, action):
        role_ko = accounts.ROLE_KO.get(now.role, now.role)
        raise _refuse(store, name, action, "no_right",
                      f"{name}({role_ko}) 계정에는 '{what_ko}' 권한이 없습니다.",
                      f"the account {name} ({now.role}) has no right to {action} ({what_en})",
                      counter=counter, via=via)
    return now
