"""Acting as an account: the one sign-in every command and window goes through.

Command line: the commands that read personal data or change cases take
``--as NAME`` and the password from ``--password-file F`` (first line) or a
prompt on the terminal; :func:`act_as` checks it with
:func:`records.accounts.authenticate` for the right the command needs and
gives the name to write to the audit trail. A wrong password, an unknown,
disabled or locked account, or a role without the right raises
:class:`records.errors.AuthError` (the CLI prints it, exit 1), and the
attempt is already an audit event.

The policy a privacy officer signs off (see README "계정과 권한"): a database
that has never had an account is in *set-up mode* -- the commands work as
before, writing the configured ``clerk`` name (and ``--clerk``) -- so IT can
install, migrate and make the first admin with ``users add``. From the first
account on, for good (the ``meta`` latch survives an emptied accounts table),
every one of these commands needs ``--as``. The windows (``run``,
``review``) never run without a sign-in: on a database without accounts
they say to make the first admin and stop.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from counter_app import authz
from counter_app.config import Settings
from decoding.keys import KeyRing
from decoding.limits import SECRET_BYTES, read_bounded, secret_line
from records import accounts
from records.accounts import AccountInfo
from records.errors import AuthError
from records.store import CaseStore


def add_arguments(p: argparse.ArgumentParser) -> None:
    """``--as NAME`` and ``--password-file F`` on a command that acts as an account."""
    p.add_argument("--as", dest="as_user", metavar="NAME",
                   help="act as this account (password from --password-file or a prompt)")
    p.add_argument("--password-file", type=Path, metavar="FILE",
                   help="file whose first line is the password of --as (else asked on the terminal)")


def read_password_file(path: Path, what: str = "--password-file") -> str:
    """The password in ``path``: the whole file but one final line end; a clear error otherwise.

    Only "\\n" / "\\r\\n" end the line: U+2028, U+0085, \\v and \\f are part of the
    password (``str.splitlines`` would cut there and a shorter password would sign in).
    """
    try:
        data = read_bounded(path, SECRET_BYTES)
    except OSError as exc:
        raise AuthError(f"{what} 파일을 읽을 수 없습니다: {path} ({exc.strerror})",
                        f"cannot read the {what} file {path}: {exc.strerror}") from None
    try:
        text = secret_line(data).decode("utf-8")
    except UnicodeDecodeError:
        raise AuthError(f"{what} 파일이 UTF-8 글자가 아닙니다: {path}",
                        f"the {what} file is not UTF-8 text: {path}") from None
    except ValueError:
        raise AuthError(f"{what} 파일에는 비밀번호 한 줄만 있어야 합니다: {path}",
                        f"the {what} file must hold the password on one line only: {path}") from None
    text = text.removeprefix("\ufeff")  # Notepad's byte order mark
    if not text:
        raise AuthError(f"{what} 파일이 비어 있습니다: {path}", f"the {what} file is empty: {path}")
    return text


def _prompt(name: str) -> str:
    if not sys.stdin.isatty():
        raise AuthError(
            f"{name} 의 비밀번호가 필요합니다: --password-file 을 주거나 터미널에서 실행하세요.",
            f"the password of {name} is needed: give --password-file or run in a terminal",
        )
    try:
        return getpass.getpass(f"{name} 비밀번호 / password: ")
    except (EOFError, OSError):
        raise AuthError("비밀번호를 읽을 수 없습니다.", "cannot read the password") from None


@dataclass(frozen=True)
class Actor:
    """Who the audit trail names for a command, and whether a sign-in proved it."""

    name: str
    account: AccountInfo | None  # None: set-up mode (no account has ever existed)


def act_as(
    args: argparse.Namespace, store: CaseStore, right: str, *, counter: str, fallback: str,
    command: str, sleep: Callable[[float], None] = time.sleep,
) -> Actor:
    """Sign ``--as`` in for ``right`` (audited), or the set-up mode's ``fallback`` name."""
    name = getattr(args, "as_user", None)
    if not accounts.required(store):
        if name:
            raise AuthError(
                "이 데이터베이스에는 아직 계정이 없습니다: 먼저 'counter-app users add NAME --role admin' 으로 관리자를 만드세요.",
                "this database has no accounts yet: make the first admin with "
                "'counter-app users add NAME --role admin'",
            )
        return Actor(fallback, None)
    if not name:
        raise AuthError(
            f"'{command}' 는 계정으로만 할 수 있습니다: --as NAME (--password-file F) 를 주세요.",
            f"'{command}' needs an account: give --as NAME (and --password-file F)",
        )
    if getattr(args, "clerk", None) and args.clerk != name:
        raise AuthError("--clerk 는 계정이 있는 데이터베이스에서 쓸 수 없습니다: --as 가 기록됩니다.",
                        "--clerk cannot be used once accounts exist: --as is what is recorded")
    pw_file = getattr(args, "password_file", None)
    password = read_password_file(pw_file) if pw_file else _prompt(name)
    info = accounts.authenticate(store, name, password, counter=counter, via=f"cli:{command}",
                                 sleep=sleep)
    # the one gate, as for the windows (right: an action of records.permissions.TABLE)
    authz.authorize(store, info, right, counter=counter, via=f"cli:{command}")
    return Actor(info.name, info)


class Gate:
    """The windows' sign-in, re-authentication and lock, against one case store.

    Blocking calls (Argon2 and the pause after a failure): the windows run
    them on a worker thread. ``counter`` is the terminal written to every event.
    """

    def __init__(self, store: CaseStore, counter: str, *, via: str,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.store = store
        self.counter = counter
        self.via = via
        self.sleep = sleep

    def has_accounts(self) -> bool:
        return accounts.required(self.store)

    def sign_in(self, name: str, password: str, right: str | None = None) -> AccountInfo:
        return accounts.authenticate(self.store, name, password, counter=self.counter,
                                     via=self.via, right=right, sleep=self.sleep)

    def confirm(self, account: AccountInfo, password: str, right: str) -> AccountInfo:
        """The password asked again before a reveal, an export or a purge (audited)."""
        return accounts.authenticate(self.store, account.name, password, counter=self.counter,
                                     via=f"{self.via}:confirm", right=right, sleep=self.sleep)

    def authorize(self, session: authz.Session, action: str) -> AccountInfo | None:
        """The gate for a window's action (worker thread): the account read again, then the table."""
        return authz.authorize(self.store, session, action, counter=self.counter, via=self.via)

    def note(self, account: AccountInfo, op: str) -> None:
        """A lock or a sign-out, in the audit trail."""
        accounts.record_event(self.store, "signin", account.name, self.counter,
                              {"op": op, "account": account.name, "via": self.via, "ok": True})

    def close(self) -> None:
        self.store.close()


def open_gate(settings: Settings, *, via: str, url: str | None = None,
              migrate: bool | None = True) -> Gate:
    """The accounts of the configured (or ``url``) database, for a window's sign-in (worker thread).

    The office keys are loaded when configured: they open the data key (the keyed audit
    chain of issue 12 needs it for every event, sign-ins included)."""
    from counter_app.intake import open_store

    store = open_store(settings, office_keys(settings), url=url, migrate=migrate, cleanup=False)
    return Gate(store, settings.counter, via=via)


def office_keys(settings: Settings) -> KeyRing | None:
    """The configured office keys (None when there are none); a clear error when they do not open."""
    from decoding.keys import KeyFileError, read_passphrase
    from records.errors import RecordsError

    if not settings.keys:
        return None
    try:
        passphrase = read_passphrase(settings.passphrase_file) if settings.passphrase_file else None
        return KeyRing.from_files(settings.keys, passphrase)
    except KeyFileError as exc:
        raise RecordsError(f"기관 키를 열 수 없습니다: {exc}",
                           f"cannot open the office keys: {exc}") from exc


# The demo's accounts, shown on its sign-in screen. Never in a real office: only the demo
# folder's own database gets them (see app.cli.window.run_demo).
DEMO_PASSWORD = "demo-1234"
DEMO_ACCOUNTS: tuple[tuple[str, str], ...] = (
    ("demo-clerk", "clerk"), ("demo-supervisor", "supervisor"), ("demo-admin", "admin"))


def ensure_demo_accounts(store: CaseStore, counter: str) -> None:
    """The demo accounts, once, in a demo database."""
    if accounts.required(store):
        return
    accounts.add(store, "demo-admin", "admin", DEMO_PASSWORD, by=None, counter=counter)
    for name, role in DEMO_ACCOUNTS:
        if name != "demo-admin":
            accounts.add(store, name, role, DEMO_PASSWORD, by="demo-admin", counter=counter)
