"""Accounts and roles in the case database: one account per person, least privilege.

개인정보의 안전성 확보조치 기준 (제5조 access rights, 제6조 access control)
asks for one account per person, rights by role, limited failed sign-ins and
a record of every grant, change and revocation. So:

* an account has one role: ``clerk`` (intake, view, return/complete, print),
  ``supervisor`` (the clerk's rights plus RRN reveal, export, purge, the
  daily report and the access-log review) or ``admin`` (accounts, the
  access-log review, the masked lists; no reveal, no export);
* passwords are stored only as Argon2id hashes (``argon2-cffi``);
* failed sign-ins are slowed (a growing pause) and limited (after
  :data:`MAX_FAILURES` in a row the account is locked for
  :data:`LOCK_MINUTES`), and every attempt, good or bad, is an audit event;
* accounts are disabled, never deleted (their name stays in the audit trail);
* every add, role change, password change, disable and enable is an audit
  event (``account``) in the same transaction as the change.

On a database without accounts the first account made must be an admin;
from then on the ``meta`` row ``accounts = required`` stays, so emptying the
accounts table does not reopen the door (:func:`required`).
"""

from __future__ import annotations

import datetime as dt
import re
import time
import unicodedata
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Integer, String, Text, func, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from records import audit, sealing
from records.errors import AccountError, AuthError
from records.models import AuditEvent, Base, Meta, UTCDateTime
from records.permissions import ACTIONS, TABLE
from records.store import CaseStore

ROLES = ("clerk", "supervisor", "admin")
ROLE_KO = {"clerk": "민원 담당자", "supervisor": "감독자", "admin": "관리자"}

# The one role x action table (records/permissions.py): the sign-in checks the same rights.
RIGHTS: dict[str, frozenset[str]] = TABLE
RIGHT_KO = {action: names[0] for action, names in ACTIONS.items()}

MAX_FAILURES = 5  # failed sign-ins in a row before the account locks
LOCK_MINUTES = 15
MAX_DELAY = 8.0  # seconds: the pause after a failure doubles up to this
META_KEY = "accounts"
NAME_RE = re.compile(r"[A-Za-z0-9가-힣._-]{2,32}")

_hasher = PasswordHasher()  # Argon2id, RFC 9106 low-memory profile (t=3, 64 MiB, p=4)
_DUMMY_HASH = _hasher.hash("not a password: equal work for unknown names")


class Account(Base):
    """One person's account. Never deleted: ``disabled_at`` is set instead."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(64))
    password_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_signin_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # The last account or sign-in event naming the account, and the HMAC of the row
    # (records.sealing; revision 0006): a role, hash or lock edited by SQL, or an older
    # copy of the row put back, no longer matches.
    audit_seq: Mapped[int | None] = mapped_column(Integer)
    mac: Mapped[str | None] = mapped_column(String(64))


class AccessReview(Base):
    """A supervisor's "this period's access log was reviewed", with the findings."""

    __tablename__ = "access_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_from: Mapped[str] = mapped_column(String(10))
    period_to: Mapped[str] = mapped_column(String(10))
    reviewer: Mapped[str] = mapped_column(String(64))
    counter: Mapped[str] = mapped_column(String(64))
    reviewed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    events: Mapped[int] = mapped_column(Integer)
    flags: Mapped[int] = mapped_column(Integer)
    findings: Mapped[str] = mapped_column(Text)
    audit_seq: Mapped[int] = mapped_column(Integer)
    mac: Mapped[str | None] = mapped_column(String(64))  # records.sealing (revision 0006)


@dataclass(frozen=True)
class AccountInfo:
    """An account as lists and the signed-in session see it (never the hash)."""

    name: str
    role: str
    active: bool
    created_at: dt.datetime
    created_by: str
    last_signin_at: dt.datetime | None
    failed_count: int
    locked_until: dt.datetime | None
    password_changed_at: dt.datetime | None = None  # a session signed in before this is over

    @property
    def rights(self) -> frozenset[str]:
        return RIGHTS.get(self.role, frozenset()) if self.active else frozenset()

    def can(self, right: str) -> bool:
        return right in self.rights

    def to_json(self) -> dict[str, Any]:
        def iso(t: dt.datetime | None) -> str | None:
            return t.isoformat() if t else None

        return {"name": self.name, "role": self.role, "active": self.active,
                "created_at": iso(self.created_at), "created_by": self.created_by,
                "last_signin_at": iso(self.last_signin_at), "failed_count": self.failed_count,
                "locked_until": iso(self.locked_until), "rights": sorted(self.rights)}


def _info(a: Account) -> AccountInfo:
    return AccountInfo(a.name, a.role, a.disabled_at is None, a.created_at, a.created_by,
                       a.last_signin_at, a.failed_count, a.locked_until,
                       a.password_changed_at)


# -- rules --------------------------------------------------------------------


def check_name(name: str) -> None:
    if not NAME_RE.fullmatch(name or ""):
        raise AccountError(
            f"계정 이름은 한글·영문·숫자·. _ - 로 2~32자여야 합니다: {name!r}",
            f"an account name is 2-32 letters, digits, '.', '_' or '-': {name!r}",
        )


def check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"역할은 {', '.join(ROLES)} 중 하나입니다: {role!r}",
                           f"the role must be one of {', '.join(ROLES)}: {role!r}")


def check_password(password: str, name: str) -> None:
    """At least 8 characters of at least two kinds (letters, digits, symbols), not the name."""
    kinds = sum((any(c.isalpha() for c in password), any(c.isdigit() for c in password),
                 any(not c.isalnum() and not c.isspace() for c in password)))
    if len(password) < 8 or kinds < 2 or name.lower() in password.lower():
        raise AccountError(
            "비밀번호는 8자 이상, 문자·숫자·기호 중 두 가지 이상이며 계정 이름을 포함하지 않아야 합니다.",
            "a password needs 8 or more characters of at least two kinds (letters, digits, "
            "symbols) and must not contain the account name",
        )


def hash_password(password: str) -> str:
    return _hasher.hash(unicodedata.normalize("NFC", password))


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, unicodedata.normalize("NFC", password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def delay_after(failures: int) -> float:
    """Seconds to pause after the n-th failure in a row: 0.5, 1, 2, 4, 8, 8, ..."""
    return 0.0 if failures <= 0 else min(MAX_DELAY, 0.5 * 2 ** (failures - 1))


# -- reading ------------------------------------------------------------------


def required(store: CaseStore) -> bool:
    """True once an account has ever existed: from then on every action needs one."""
    with store.read() as s:
        return _required(s)


def _required(s: Session) -> bool:
    latched = s.get(Meta, META_KEY)
    if latched is not None:
        return True
    if s.execute(select(func.count()).select_from(Account)).scalar_one():
        return True
    # The marker and the accounts deleted by SQL: the keyed chain still says an account
    # was made, and set-up mode does not reopen (db check names the deletion).
    made = select(AuditEvent.seq).where(AuditEvent.action == "account").limit(1)
    return s.execute(made).first() is not None


def list_accounts(store: CaseStore) -> list[AccountInfo]:
    with store.read() as s:
        return [_info(a) for a in s.execute(select(Account).order_by(Account.name)).scalars()]


def get(store: CaseStore, name: str) -> AccountInfo | None:
    if not _can_be_name(name):
        return None
    ikey = store.integrity_key()
    with store.read() as s:
        a = s.execute(select(Account).where(Account.name == name)).scalar_one_or_none()
        if a is not None and not sealing.row_sound(ikey, a):
            raise sealing.tampered_row(a)  # its role, state or hash was edited behind our back
        return _info(a) if a is not None else None


# -- changing -----------------------------------------------------------------


# Issue 12 keys the audit chain (an HMAC under the store's integrity key). These helpers
# read that key before the transaction when the store has one, so every account event
# is keyed like the rest of the chain; on a store without it they change nothing.
_AUDIT_KEY: ContextVar[bytes | None] = ContextVar("audit_key", default=None)


def write_audited(store: CaseStore, work: Callable[[Session], Any]) -> Any:
    """``write_audited(store, work)`` whose :func:`append_event` calls are keyed when the chain is."""
    keyed = getattr(store, "integrity_key", None)
    token = _AUDIT_KEY.set(keyed() if callable(keyed) else None)
    try:
        return store.write(work)
    finally:
        _AUDIT_KEY.reset(token)


def append_event(s: Session, store: CaseStore, action: str, actor: str, counter: str,
                 detail: dict[str, Any]) -> AuditEvent:
    key = _AUDIT_KEY.get()
    extra: dict[str, Any] = {"key": key} if key is not None else {}
    return audit.append(s, action=action, actor=actor, counter=counter, at=store.now(),
                        detail=detail, **extra)


_event = append_event


def _can_be_name(name: str) -> bool:
    """Whether ``name`` could name an account (else it is never looked up: a lone surrogate
    from the command line cannot even be sent to the database)."""
    return NAME_RE.fullmatch(name or "") is not None


def _shown(name: str) -> str:
    """``name`` for a message or the audit trail: escapes and invalid text made visible."""
    return name if _can_be_name(name) else ascii(name)[1:-1][:64]


def _load(s: Session, name: str, *, for_update: bool = True) -> Account:
    q = select(Account).where(Account.name == name)
    a = (s.execute(q.with_for_update() if for_update else q).scalar_one_or_none()
         if _can_be_name(name) else None)
    if a is None:
        raise AccountError(f"계정이 없습니다: {_shown(name)}", f"no such account: {_shown(name)}")
    return a


def add(store: CaseStore, name: str, role: str, password: str, *, by: str | None,
        counter: str) -> AccountInfo:
    """A new account. ``by=None``: the first account of the database, which must be an admin."""
    check_name(name)
    check_role(role)
    check_password(password, name)
    hashed = hash_password(password)  # slow: outside the transaction

    def work(s: Session) -> AccountInfo:
        _lock_accounts(s)
        first = not _required(s)
        if by is None and not first:
            raise AuthError("이미 계정이 있습니다: 관리자 계정으로(--as) 추가해 주세요.",
                            "accounts exist already: add this one as an admin (--as)")
        if first and role != "admin":
            raise AccountError("첫 계정은 관리자(admin)여야 합니다.",
                               "the first account must be an admin (--role admin)")
        if s.execute(select(Account.id).where(Account.name == name)).first() is not None:
            raise AccountError(f"이미 있는 계정입니다: {name}", f"the account exists already: {name}")
        at = store.now()
        actor = by or name
        a = Account(name=name, role=role, password_hash=hashed, created_at=at, created_by=actor,
                    password_changed_at=at, failed_count=0)
        s.add(a)
        if first:
            s.merge(Meta(key=META_KEY, value="required"))
        _event(s, store, "account", actor, counter,
               {"op": "add", "account": name, "role": role, "first": first})
        s.flush()
        return _info(a)

    result: AccountInfo = write_audited(store, work)
    return result


# An arbitrary constant: the PostgreSQL advisory lock that serialises changes to the set of
# accounts. SQLite needs none: every write there is a BEGIN IMMEDIATE transaction.
_PG_ACCOUNTS_LOCK = 0x4D57_4143


def _lock_accounts(s: Session) -> None:
    """Hold the accounts lock until the transaction ends.

    Without it two "first admin" transactions on PostgreSQL both read "no account
    yet" and both commit; two admins disabling each other both see another admin.
    """
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_ACCOUNTS_LOCK})


def _active_admins(s: Session) -> int:
    return int(s.execute(select(func.count()).select_from(Account).where(
        Account.role == "admin", Account.disabled_at.is_(None))).scalar_one())


def disable(store: CaseStore, name: str, *, by: str, counter: str, reason: str = "") -> None:
    """Revoke every right of ``name``; the account stays (its name is in the audit trail)."""

    def work(s: Session) -> None:
        _lock_accounts(s)
        a = _load(s, name)
        if a.disabled_at is not None:
            raise AccountError(f"이미 사용 중지된 계정입니다: {name}", f"already disabled: {name}")
        if a.role == "admin" and _active_admins(s) <= 1:
            raise AccountError("마지막 관리자 계정은 중지할 수 없습니다. 다른 관리자를 먼저 만드세요.",
                               "the last active admin cannot be disabled: add another admin first")
        a.disabled_at = store.now()
        _event(s, store, "account", by, counter,
               {"op": "disable", "account": name, "role": a.role, "reason": reason})

    write_audited(store, work)


def enable(store: CaseStore, name: str, *, by: str, counter: str) -> None:
    def work(s: Session) -> None:
        a = _load(s, name)
        if a.disabled_at is None:
            raise AccountError(f"사용 중인 계정입니다: {name}", f"the account is active: {name}")
        a.disabled_at = None
        a.failed_count = 0
        a.locked_until = None
        _event(s, store, "account", by, counter, {"op": "enable", "account": name, "role": a.role})

    write_audited(store, work)


def set_role(store: CaseStore, name: str, role: str, *, by: str, counter: str) -> None:
    check_role(role)

    def work(s: Session) -> None:
        _lock_accounts(s)
        a = _load(s, name)
        if a.role == role:
            return
        if a.role == "admin" and a.disabled_at is None and _active_admins(s) <= 1:
            raise AccountError("마지막 관리자의 역할은 바꿀 수 없습니다.",
                               "the last active admin cannot lose the admin role")
        _event(s, store, "account", by, counter,
               {"op": "role", "account": name, "from": a.role, "role": role})
        a.role = role

    write_audited(store, work)


def set_password(store: CaseStore, name: str, password: str, *, by: str, counter: str) -> None:
    """A new password (by an admin, or by the account itself); unlocks a locked account."""
    check_password(password, name)
    hashed = hash_password(password)

    def work(s: Session) -> None:
        a = _load(s, name)
        a.password_hash = hashed
        a.password_changed_at = store.now()
        a.failed_count = 0
        a.locked_until = None
        _event(s, store, "account", by, counter,
               {"op": "password", "account": name, "self": by == name})

    write_audited(store, work)


# -- signing in ---------------------------------------------------------------


def _deny(ko: str, en: str, why: str, name: str) -> AuthError:
    err = AuthError(ko, en, {"reason": why, "account": name})
    err.reason = why
    return err


def _refuse(why: str, name: str) -> AuthError:
    """The one answer to a sign-in whose password is not proven, whatever the account.

    ``why`` is kept on the error (and in the audit event) but not shown or printed.
    """
    err = AuthError("계정 이름이나 비밀번호가 맞지 않습니다. 여러 번 틀리면 계정이 잠깁니다.",
                    "wrong account name or password; repeated failures lock the account",
                    {"reason": "denied", "account": name})
    err.reason = why
    return err


def authenticate(
    store: CaseStore, name: str, password: str, *, counter: str, via: str,
    right: str | None = None, sleep: Callable[[float], None] = time.sleep,
) -> AccountInfo:
    """Check a sign-in (and the right it is for); audited either way.

    A wrong password adds to the account's failures (the caller waits
    :func:`delay_after` seconds before hearing so); the :data:`MAX_FAILURES`-th
    locks the account for :data:`LOCK_MINUTES`. A right the role does not have
    is refused and recorded as well.
    """
    name = (name or "").strip()
    now = store.now()
    known = _can_be_name(name)
    ikey = store.integrity_key()
    with store.read() as s:
        a = (s.execute(select(Account).where(Account.name == name)).scalar_one_or_none()
             if known else None)
        if a is not None and not sealing.row_sound(ikey, a):
            # a role or password hash written behind the program's back signs nobody in
            raise sealing.tampered_row(a)
        hashed = a.password_hash if a is not None else _DUMMY_HASH
    good = _verify(hashed, password) and a is not None  # the same work for unknown names

    def work(s: Session) -> tuple[AccountInfo | None, AuthError | None, float]:
        acc = (s.execute(select(Account).where(Account.name == name).with_for_update()
                         ).scalar_one_or_none() if known else None)
        detail: dict[str, Any] = {"op": "signin", "account": _shown(name)[:64], "via": via}
        if right:
            detail["right"] = right
        err: AuthError | None = None
        pause = 0.0
        if acc is not None and acc.locked_until is not None and acc.locked_until <= now:
            acc.locked_until = None  # the lock has run out: a fresh count of tries
            acc.failed_count = 0
        # Until the password is proven, every refusal reads the same (the audit event keeps
        # the reason): a guesser must not learn which names exist, are disabled or locked.
        if acc is None:
            err = _refuse("unknown", _shown(name))
            pause = delay_after(1)
        elif not good:
            if acc.locked_until is not None and acc.locked_until > now:
                err = _refuse("locked", name)
            elif acc.disabled_at is not None:
                err = _refuse("disabled", name)
            else:
                acc.failed_count += 1
                detail["failures"] = acc.failed_count
                pause = delay_after(acc.failed_count)
                if acc.failed_count >= MAX_FAILURES:
                    acc.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                    detail["locked_minutes"] = LOCK_MINUTES
                    err = _refuse("locked", name)
                else:
                    err = _refuse("wrong_password", name)
        elif acc.disabled_at is not None:
            err = _deny(f"사용 중지된 계정입니다: {name}. 관리자에게 문의하세요.",
                        f"the account {name} is disabled; ask an admin", "disabled", name)
        elif acc.locked_until is not None and acc.locked_until > now:
            left = max(1, int((acc.locked_until - now).total_seconds() // 60) + 1)
            err = _deny(f"로그인 실패가 많아 계정이 잠겼습니다. {left}분 뒤에 다시 하거나 관리자에게 문의하세요.",
                        f"too many failed sign-ins: the account is locked for {left} more "
                        "minute(s), or ask an admin", "locked", name)
        elif right and right not in RIGHTS.get(acc.role, frozenset()):
            err = _deny(f"{name}({ROLE_KO.get(acc.role, acc.role)}) 계정에는 '{RIGHT_KO.get(right, right)}' 권한이 없습니다.",
                        f"the account {name} ({acc.role}) has no right to {right}",
                        "no_right", name)
            acc.failed_count = 0
            acc.last_signin_at = now
        else:
            acc.failed_count = 0
            acc.locked_until = None
            acc.last_signin_at = now
        detail["ok"] = err is None
        if err is not None:
            detail["reason"] = err.reason
        actor = acc.name if acc is not None else "?"
        _event(s, store, "signin", actor, counter, detail)
        return (_info(acc) if acc is not None else None), err, pause

    info: AccountInfo | None
    err: AuthError | None
    info, err, pause = write_audited(store, work)
    if err is not None:
        if pause:
            sleep(pause)
        raise err
    assert info is not None
    return info


def record_event(store: CaseStore, action: str, actor: str, counter: str,
                 detail: dict[str, Any]) -> None:
    """An account-related audit event outside the functions above (lock, unlock, sign-out)."""
    write_audited(store, lambda s: _event(s, store, action, actor, counter, detail))
