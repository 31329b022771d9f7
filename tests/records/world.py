"""A database in which every action of the program has happened, for the integrity tests.

:func:`every_action` drives the real services (the intake service, the store,
accounts, the access review, export, purge) through each thing a counter,
a supervisor and an admin do; :class:`World` names what it made, so the
tamper matrix can aim at each kind of row. :func:`clone` copies a built
database (SQLite file, or a PostgreSQL database made from it as a template)
with its key file and attachments, so each tamper starts from the same state
without building it again.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from counter_app.authz import authorize
from counter_app.casestatus import CaseStatusService
from counter_app.intake import IntakeService
from decoding.forms import default_catalogue
from decoding.keys import KeyRing, load_public_key
from decoding.payload import encode
from records import access, accounts, export, purge
from records.db import sqlite_path
from records.errors import AuthError
from records.store import CaseStore
from records.views import KST
from tests.records.support import (
    OFFICE,
    PUB_PATH,
    document,
    open_test_store,
    pg_admin_url,
    private_key,
)

PASSWORD = "counter-pass-1"
COUNTER = "민원1"


@dataclass
class World:
    """What :func:`every_action` made, by what it is for."""

    purged: list[str] = field(default_factory=list)
    received: str = ""  # accepted, still received (attachments, seal)
    warned: str = ""  # accepted with warnings, completed
    corrected: str = ""  # accepted with a correction, revealed and printed
    counter_return: str = ""  # returned at the counter (Ctrl+R)
    later_return: str = ""  # returned after intake
    paper: str = ""  # a paper petition
    newest: str = ""
    checkpoint: str = ""


def _no_sleep(_: float) -> None:
    return None


def _qr(doc: dict[str, Any]) -> list[str]:
    return encode(doc, load_public_key(PUB_PATH))


def every_action(store: CaseStore, folder: Path) -> World:
    """Accounts, intakes of every kind, returns, completion, reveal, print, export, the access
    review and a purge, each through the service a window or the CLI calls."""
    w = World()
    service = IntakeService(KeyRing([private_key()]), store, office=OFFICE,
                            catalogue=default_catalogue())
    # accounts: the first admin, people, a good sign-in, a lock-out, unlock, role, disable
    accounts.add(store, "admin1", "admin", PASSWORD, by=None, counter=COUNTER)
    for name, role in (("kim", "clerk"), ("lee", "supervisor"), ("park", "clerk"),
                       ("choi", "clerk")):
        accounts.add(store, name, role, PASSWORD, by="admin1", counter=COUNTER)
    kim = accounts.authenticate(store, "kim", PASSWORD, counter=COUNTER, via="test",
                                sleep=_no_sleep)
    for _ in range(accounts.MAX_FAILURES):  # the last one locks the account
        with pytest.raises(AuthError):
            accounts.authenticate(store, "park", "wrong-pass-9", counter=COUNTER, via="test",
                                  sleep=_no_sleep)
    with pytest.raises(AuthError):
        accounts.authenticate(store, "nobody", PASSWORD, counter=COUNTER, via="test",
                              sleep=_no_sleep)
    with pytest.raises(AuthError):
        authorize(store, kim, "export", counter=COUNTER, via="test")  # the one gate: audited refusal
    accounts.set_password(store, "park", "counter-pass-2", by="admin1", counter=COUNTER)
    accounts.set_role(store, "park", "supervisor", by="admin1", counter=COUNTER)
    accounts.disable(store, "park", by="admin1", counter=COUNTER, reason="transfer")
    accounts.enable(store, "park", by="admin1", counter=COUNTER)
    accounts.disable(store, "choi", by="admin1", counter=COUNTER, reason="left the office")
    accounts.record_event(store, "signin", "kim", COUNTER, {"op": "signout", "account": "kim"})

    page, seal = folder / "page.png", folder / "seal.png"
    page.write_bytes(b"\x89PNG a scanned page " + uuid.uuid4().bytes)
    seal.write_bytes(b"\x89PNG a seal " + uuid.uuid4().bytes)

    # cases closed and purged first, so numbering has a hole the purge explains
    for _ in range(2):
        r = service.accept(service.check(_qr(document())), clerk="kim", counter=COUNTER)
        service.complete_case(r.case_number, clerk="kim", counter=COUNTER)
        w.purged.append(r.case_number)
    today = store.now().astimezone(KST).date()
    purge.purge(store, today + dt.timedelta(days=2), clerk="lee", counter=COUNTER)

    w.received = service.accept(service.check(_qr(document())), [page, b"\xff\xd8 two"], seal,
                                clerk="kim", counter=COUNTER).case_number
    warned = document()
    warned["forms"][0]["fields"]["not_a_field"] = "x"  # a warning: unknown field, ignored
    checked = service.check(_qr(warned))
    assert checked.warnings
    w.warned = service.accept(checked, clerk="kim", counter=COUNTER).case_number
    service.complete_case(w.warned, clerk="kim", counter=COUNTER)
    checked = service.check(_qr(document(delegate=True)))
    service.reveal_numbers(checked, clerk="lee", counter=COUNTER)
    w.corrected = service.accept(
        checked, [page], clerk="kim", counter=COUNTER,
        corrections=[("applicant.phone", "010-1234-5678", "010-9876-5432")]).case_number
    service.reveal_rrn(w.corrected, "applicant", clerk="lee", counter=COUNTER)
    service.record_print(w.corrected, clerk="kim", counter=COUNTER, what="form")
    store.log("view", w.corrected, clerk="lee", counter=COUNTER)
    w.counter_return = service.accept(service.check(_qr(document())), clerk="kim",
                                      counter=COUNTER, returned="서류가 부족합니다").case_number
    w.later_return = service.accept(service.check(_qr(document())), clerk="kim",
                                    counter=COUNTER).case_number
    CaseStatusService(store).return_case(w.later_return, "본인 확인이 되지 않았습니다",
                                         clerk="lee", counter=COUNTER)  # the review window's way
    w.paper = service.accept_paper(document()["applicant"], document()["forms"],
                                   clerk="kim", counter=COUNTER).case_number
    export.export(store, today, today, "csv", folder / "out.csv", clerk="lee",
                  counter=COUNTER, reason="감사 자료 제출")
    report = access.access_report(store, today, today)
    access.record_review(store, report, reviewer="lee", counter=COUNTER, findings="이상 없음")
    w.newest = service.accept(service.check(_qr(document())), [page], clerk="kim",
                              counter=COUNTER).case_number
    w.checkpoint = store.checkpoint().text
    return w


# -- copies of a built database ------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A database and its folder (key file, attachments)."""

    url: str
    folder: Path

    def open(self, **kw: Any) -> CaseStore:
        return open_test_store(self.url, self.folder, **kw)


def clone(src: Place, folder: Path) -> Place:
    """A copy of ``src`` (closed) in ``folder``: its database, key file and attachments."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src.folder / "data.key", folder / "data.key")
    shutil.copytree(src.folder / "files", folder / "files", symlinks=True)
    db_file = sqlite_path(src.url)
    if db_file is not None:
        for suffix in ("", "-wal", "-shm"):
            part = db_file.with_name(db_file.name + suffix)
            if part.exists():
                shutil.copy2(part, folder / (db_file.name + suffix))
        return Place(f"sqlite:///{folder / db_file.name}", folder)
    admin = pg_admin_url()
    assert admin
    name = f"ct_{uuid.uuid4().hex[:16]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(src.url).database}"'))
    engine.dispose()
    return Place(make_url(admin).set(database=name).render_as_string(hide_password=False), folder)
