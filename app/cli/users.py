"""``counter-app users``: accounts and roles (IT / the office's admin).

    users add NAME --role clerk|supervisor|admin --new-password-file F [--as ADMIN ...]
    users list [--json]                 --as ADMIN
    users disable NAME [--reason R]     --as ADMIN
    users enable NAME                   --as ADMIN
    users role NAME --role ROLE         --as ADMIN
    users password NAME --new-password-file F   --as ADMIN (or --as NAME: one's own)

On a database without accounts, ``users add`` makes the first account, which
must be an admin, and needs no ``--as``. After that every ``users`` command
signs in an admin (``--as`` with ``--password-file`` or a prompt); a user may
also change their own password. Each change is an audit event (``account``);
accounts are never deleted. Prints one JSON object; exit 0, 1 (refused, with
the reason in Korean and English), 2 (usage).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.codec import print_json
from app.cli.common import EXIT_OK
from app.cli.records import _common, _guarded, _open, _settings, counter_name
from counter_app import auth
from records import accounts
from records.accounts import ROLE_KO, ROLES, AccountInfo
from records.errors import AuthError
from records.store import CaseStore
from records.views import kst


def _counter(args: argparse.Namespace) -> str:
    return args.counter or _settings().counter


def _admin(args: argparse.Namespace, store: CaseStore, command: str, *,
           own: str | None = None) -> str:
    """Sign ``--as`` in as an admin (or as ``own``, for one's own password); the actor's name."""
    if not accounts.required(store):
        raise AuthError("이 데이터베이스에는 아직 계정이 없습니다: 먼저 'users add NAME --role admin' 으로 관리자를 만드세요.",
                        "this database has no accounts yet: make the first admin with "
                        "'users add NAME --role admin'")
    if own is not None and getattr(args, "as_user", None) == own:
        return _self(args, store, command).name  # one's own password: the current one is the proof
    return auth.act_as(args, store, "users", counter=_counter(args), fallback="",
                       command=f"users {command}").name


def _self(args: argparse.Namespace, store: CaseStore, command: str) -> auth.Actor:
    name = args.as_user
    password = (auth.read_password_file(args.password_file) if args.password_file
                else auth._prompt(name))
    info = accounts.authenticate(store, name, password, counter=_counter(args),
                                 via=f"cli:users {command}")
    return auth.Actor(info.name, info)


def _new_password(args: argparse.Namespace) -> str:
    return auth.read_password_file(args.new_password_file, "--new-password-file")


def _run_add(args: argparse.Namespace) -> int:
    password = _new_password(args)
    store = _open(args, must_exist=False)
    try:
        by = _admin(args, store, "add") if accounts.required(store) else None
        if by is None and args.as_user:
            raise AuthError("계정이 없는 데이터베이스의 첫 관리자는 --as 없이 만듭니다.",
                            "the first admin of a database is made without --as")
        info = accounts.add(store, args.name, args.role, password, by=by, counter=_counter(args))
    finally:
        store.close()
    print_json({"ok": True, "account": info.to_json(),
                "message": f"계정을 만들었습니다: {info.name} ({ROLE_KO[info.role]}) / "
                           f"account added: {info.name} ({info.role})"})
    return EXIT_OK


def _line(a: AccountInfo) -> str:
    state = "사용" if a.active else "중지"
    if a.active and a.locked_until is not None and a.failed_count:
        state = f"잠김~{kst(a.locked_until)}"
    last = kst(a.last_signin_at) if a.last_signin_at else "-"
    return f"{a.name:<20} {a.role:<10} {ROLE_KO[a.role]:<7} {state:<8} 마지막 로그인 {last}"


def _run_list(args: argparse.Namespace) -> int:
    store = _open(args)
    try:
        _admin(args, store, "list")
        rows = accounts.list_accounts(store)
    finally:
        store.close()
    if args.json:
        print_json({"ok": True, "count": len(rows), "accounts": [a.to_json() for a in rows]})
    else:
        for a in rows:
            print(_line(a))
        print(f"계정 {len(rows)}개 / {len(rows)} accounts", file=sys.stderr)
    return EXIT_OK


def _admin_change(args: argparse.Namespace, command: str,
                  change: Callable[[CaseStore, str], None], result: dict[str, Any]) -> int:
    """Sign an admin in, make ``change`` (given the store and the admin's name), print ``result``."""
    store = _open(args)
    try:
        change(store, _admin(args, store, command))
    finally:
        store.close()
    print_json({"ok": True, "account": args.name, **result})
    return EXIT_OK


def _run_disable(args: argparse.Namespace) -> int:
    return _admin_change(
        args, "disable",
        lambda store, by: accounts.disable(store, args.name, by=by, counter=_counter(args),
                                           reason=args.reason or ""),
        {"active": False},
    )


def _run_enable(args: argparse.Namespace) -> int:
    return _admin_change(
        args, "enable",
        lambda store, by: accounts.enable(store, args.name, by=by, counter=_counter(args)),
        {"active": True},
    )


def _run_role(args: argparse.Namespace) -> int:
    return _admin_change(
        args, "role",
        lambda store, by: accounts.set_role(store, args.name, args.role, by=by,
                                            counter=_counter(args)),
        {"role": args.role},
    )


def _run_password(args: argparse.Namespace) -> int:
    password = _new_password(args)
    store = _open(args)
    try:
        by = _admin(args, store, "password", own=args.name)
        accounts.set_password(store, args.name, password, by=by, counter=_counter(args))
    finally:
        store.close()
    print_json({"ok": True, "account": args.name, "message": "비밀번호를 바꿨습니다 / password changed"})
    return EXIT_OK


def _args(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("--counter", type=counter_name,
                   help="counter (terminal) name for the audit trail (default: configured)")
    auth.add_arguments(p)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    users = sub.add_parser("users", help="계정과 권한 / accounts and roles (admin)")
    us = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    p = us.add_parser("add", help="add an account (the first one, an admin, needs no --as)")
    _args(p)
    p.add_argument("name", help="account name (one per person)")
    p.add_argument("--role", choices=ROLES, required=True)
    p.add_argument("--new-password-file", type=Path, required=True, metavar="FILE",
                   help="file whose first line is the new account's password")
    p.set_defaults(func=_guarded(_run_add))
    p = us.add_parser("list", help="the accounts, their roles and state")
    _args(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_guarded(_run_list))
    p = us.add_parser("disable", help="revoke an account (never deleted)")
    _args(p)
    p.add_argument("name")
    p.add_argument("--reason", help="why (kept in the audit trail)")
    p.set_defaults(func=_guarded(_run_disable))
    p = us.add_parser("enable", help="give a disabled account back its role")
    _args(p)
    p.add_argument("name")
    p.set_defaults(func=_guarded(_run_enable))
    p = us.add_parser("role", help="change an account's role")
    _args(p)
    p.add_argument("name")
    p.add_argument("--role", choices=ROLES, required=True)
    p.set_defaults(func=_guarded(_run_role))
    p = us.add_parser("password", help="set a new password (an admin, or the account itself)")
    _args(p)
    p.add_argument("name")
    p.add_argument("--new-password-file", type=Path, required=True, metavar="FILE")
    p.set_defaults(func=_guarded(_run_password))

