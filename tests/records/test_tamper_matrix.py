"""The tamper matrix: each kind of change made behind the program's back is caught and named.

Someone who can write the database and the attachment folder, but does not
hold the office key, edits each security column by SQL, copies older rows
back, deletes, inserts and reorders rows, replays rows of another office's
database and swaps files. :func:`records.check.check` (``db check``,
``audit verify``, the window's button) must report each with its kind and
the row it names. Every tamper starts from a copy of one database in which
every action of the program has happened (:mod:`tests.records.world`), on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, delete, insert, select, update
from sqlalchemy.engine import Connection

from records import accounts, check
from records.accounts import AccessReview, Account
from records.models import (
    Attachment,
    AuditEvent,
    AuditHead,
    Case,
    CaseCounter,
    Correction,
    Meta,
    PurgedCase,
    StatusChange,
)
from tests.records.support import (
    OFFICE,
    create_pg_database,
    drop_pg_database,
    new_case,
    pg_admin_url,
)
from tests.records.world import COUNTER, PASSWORD, Place, World, clone, every_action


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres",
                                                               marks=pytest.mark.postgres)])
def built(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Place, World, Place]]:
    """The database every tamper copies, and another office's (its own data key)."""
    made: list[str] = []

    def url(folder: Path) -> str:
        if request.param == "sqlite":
            return f"sqlite:///{folder / 'cases.db'}"
        if not pg_admin_url():
            pytest.skip("COUNTER_TEST_PG_URL not set (start a server with tests/records/pg.sh)")
        made.append(create_pg_database())
        return made[-1]

    try:
        base, far = tmp_path_factory.mktemp("world"), tmp_path_factory.mktemp("other")
        place, other = Place(url(base), base), Place(url(far), far)
        with place.open() as store:
            world = every_action(store, base)
        with other.open() as store:
            accounts.add(store, "kim", "admin", PASSWORD, by=None, counter=COUNTER)
            store.record(new_case())
        yield place, world, other
    finally:
        for u in made:
            drop_pg_database(u)


@dataclass
class Ctx:
    """One copy under attack: SQL on it, the program on it, the other office's database."""

    place: Place
    world: World
    other: Place
    conn: Connection

    def one(self, model: Any, *where: Any) -> dict[str, Any]:
        return dict(self.conn.execute(select(model.__table__).where(*where)).mappings().one())

    def case(self, number: str) -> dict[str, Any]:
        return self.one(Case, Case.case_number == number)

    def program(self, work: Callable[[Any], Any]) -> None:
        """Something the program does on the copy meanwhile (its own transaction)."""
        self.conn.commit()
        with self.place.open() as store:
            work(store)

    def files(self) -> Path:
        return self.place.folder / "files"


Tamper = Callable[[Ctx], None]


def _set(model: Any, where: Any, **values: Any) -> Tamper:
    return lambda c: c.conn.execute(update(model).where(where).values(**values)).rowcount or None


def _case_set(attr: str, **values: Any) -> Tamper:
    def run(c: Ctx) -> None:
        c.conn.execute(update(Case).where(Case.case_number == getattr(c.world, attr))
                       .values(**values))
    return run


def _drop_case(c: Ctx, number: str) -> None:
    cid = c.case(number)["id"]
    for model in (Attachment, StatusChange, Correction):
        c.conn.execute(delete(model).where(model.case_id == cid))
    c.conn.execute(delete(Case).where(Case.id == cid))


def swap_rrn(c: Ctx) -> None:
    a, b = c.case(c.world.received), c.case(c.world.later_return)
    c.conn.execute(update(Case).where(Case.id == a["id"]).values(
        applicant_rrn_enc=b["applicant_rrn_enc"]))


def received_at(c: Ctx) -> None:
    at = c.case(c.world.received)["received_at"]
    c.conn.execute(update(Case).where(Case.case_number == c.world.received)
                   .values(received_at=at.replace(year=at.year - 1)))


def status_row(c: Ctx, number: str) -> int:
    cid = c.case(number)["id"]
    return int(c.conn.execute(select(StatusChange.id).where(StatusChange.case_id == cid)
                              .order_by(StatusChange.id.desc())).scalars().first() or 0)


def edit_history(c: Ctx) -> None:
    c.conn.execute(update(StatusChange).where(StatusChange.id == status_row(
        c, c.world.later_return)).values(reason="다른 사유"))


def drop_history(c: Ctx) -> None:
    c.conn.execute(delete(StatusChange).where(StatusChange.id == status_row(
        c, c.world.later_return)))


def _correction(c: Ctx) -> Any:
    return Correction.case_id == c.case(c.world.corrected)["id"]


def swap_attachments(c: Ctx) -> None:
    cid = c.case(c.world.received)["id"]
    rows = list(c.conn.execute(select(Attachment.id, Attachment.sha256)
                               .where(Attachment.case_id == cid).order_by(Attachment.id)))
    (a, sa), (b, sb) = rows[0], rows[-1]
    c.conn.execute(update(Attachment).where(Attachment.id == a).values(sha256=sb))
    c.conn.execute(update(Attachment).where(Attachment.id == b).values(sha256=sa))


def case_rollback(c: Ctx) -> None:
    old = c.case(c.world.received)
    c.program(lambda s: s.set_status(c.world.received, "completed", clerk="kim",
                                     counter=COUNTER))
    c.conn.execute(delete(StatusChange).where(StatusChange.id == status_row(
        c, c.world.received)))
    c.conn.execute(update(Case).where(Case.id == old["id"]).values(
        {k: old[k] for k in ("status", "status_reason", "closed_at", "seal", "seal_seq")}))


def _counter(c: Ctx) -> Any:
    year = int(c.world.newest.split("-")[1])
    return (CaseCounter.office == OFFICE) & (CaseCounter.year == year)


def newest_gone(c: Ctx) -> None:
    _drop_case(c, c.world.newest)
    last = c.one(CaseCounter, _counter(c))["last_serial"]
    c.conn.execute(update(CaseCounter).where(_counter(c)).values(last_serial=last - 1))


def case_inserted(c: Ctx) -> None:
    row = c.case(c.world.paper)
    row.update(id=row["id"] + 1000, uid="f" * 32, serial=777, payload_id=None,
               case_number=row["case_number"][:-6] + "000777")
    c.conn.execute(insert(Case).values(**row))


def counter_rollback(c: Ctx) -> None:
    old = c.one(CaseCounter, _counter(c))
    c.program(lambda s: s.record(new_case()))
    c.conn.execute(update(CaseCounter).where(_counter(c)).values(
        last_serial=old["last_serial"], mac=old["mac"]))


def _acct(name: str) -> Any:
    return Account.name == name


def account_hash_swap(c: Ctx) -> None:
    lee = c.one(Account, _acct("lee"))
    c.conn.execute(update(Account).where(_acct("kim")).values(password_hash=lee["password_hash"]))


def account_rollback(work: Callable[[Any], Any]) -> Tamper:
    def run(c: Ctx) -> None:
        old = c.one(Account, _acct("kim"))
        c.program(work)
        c.conn.execute(update(Account).where(_acct("kim")).values(
            {k: v for k, v in old.items() if k != "id"}))
    return run


def account_forged(c: Ctx) -> None:
    row = c.one(Account, _acct("admin1"))
    row.update(id=row["id"] + 1000, name="mallory")
    c.conn.execute(insert(Account).values(**row))


def accounts_wiped(c: Ctx) -> None:
    c.conn.execute(delete(Account))
    c.conn.execute(delete(Meta).where(Meta.key == "accounts"))


def review_forged(c: Ctx) -> None:
    row = c.one(AccessReview, AccessReview.id == 1)
    row.update(id=2, audit_seq=row["audit_seq"] - 1)
    c.conn.execute(insert(AccessReview).values(**row))


def _review_seq(c: Ctx) -> int:
    return int(c.one(AccessReview, AccessReview.id == 1)["audit_seq"])


def purge_forged(c: Ctx) -> None:
    row = c.one(PurgedCase, PurgedCase.case_number == c.world.purged[0])
    row.update(case_number=row["case_number"][:-6] + "000999", serial=999)
    c.conn.execute(insert(PurgedCase).values(**row))


def _intake_seq(c: Ctx, number: str) -> int:
    return int(c.conn.execute(select(AuditEvent.seq).where(
        AuditEvent.case_number == number, AuditEvent.action == "intake")).scalar_one())


def event_deleted(c: Ctx) -> None:
    c.conn.execute(delete(AuditEvent).where(AuditEvent.seq == _intake_seq(c, c.world.paper)))


def tail_cut(c: Ctx) -> None:
    head = c.one(AuditHead, AuditHead.id == 1)
    prev = c.one(AuditEvent, AuditEvent.seq == head["seq"] - 1)
    c.conn.execute(delete(AuditEvent).where(AuditEvent.seq == head["seq"]))
    c.conn.execute(update(AuditHead).values(seq=prev["seq"], hash=prev["hash"]))


def events_reordered(c: Ctx) -> None:
    a = _intake_seq(c, c.world.paper)
    c.conn.execute(update(AuditEvent).where(AuditEvent.seq == a).values(seq=-1))
    c.conn.execute(update(AuditEvent).where(AuditEvent.seq == a + 1).values(seq=a))
    c.conn.execute(update(AuditEvent).where(AuditEvent.seq == -1).values(seq=a + 1))


def _file(c: Ctx, number: str, kind: str = "page") -> Path:
    cid = c.case(number)["id"]
    sha = c.conn.execute(select(Attachment.sha256).where(
        Attachment.case_id == cid, Attachment.kind == kind)).scalars().first()
    assert sha
    return c.files() / sha[:2] / sha


def files_swapped(c: Ctx) -> None:
    a, b = _file(c, c.world.received, "page"), _file(c, c.world.received, "seal")
    data_a, data_b = a.read_bytes(), b.read_bytes()
    a.chmod(0o644)
    b.chmod(0o644)
    a.write_bytes(data_b)
    b.write_bytes(data_a)


def file_linked(c: Ctx) -> None:
    a, b = _file(c, c.world.received, "page"), _file(c, c.world.received, "seal")
    a.unlink()
    a.symlink_to(b)


def _other_conn(c: Ctx) -> Any:
    return create_engine(c.other.url)


def replay_case(c: Ctx) -> None:
    engine = _other_conn(c)
    with engine.connect() as far:
        row = dict(far.execute(select(Case.__table__)).mappings().first() or {})
    engine.dispose()
    mine = c.case(c.world.paper)
    keep = ("id", "uid", "case_number", "serial", "payload_id")
    c.conn.execute(update(Case).where(Case.id == mine["id"]).values(
        {k: v for k, v in row.items() if k not in keep}))


def replay_account(c: Ctx) -> None:
    engine = _other_conn(c)
    with engine.connect() as far:
        row = dict(far.execute(select(Account.__table__)).mappings().one())
    engine.dispose()
    c.conn.execute(update(Account).where(_acct("kim")).values(
        {k: v for k, v in row.items() if k != "id"}))


def replay_chain(c: Ctx) -> None:
    engine = _other_conn(c)
    with engine.connect() as far:
        events = [dict(r) for r in far.execute(select(AuditEvent.__table__)).mappings()]
    engine.dispose()
    for e in events:
        c.conn.execute(update(AuditEvent).where(AuditEvent.seq == e["seq"]).values(
            {k: v for k, v in e.items() if k != "seq"}))


W = World
# (tamper, kind the checker must report, the row it must name: a function of the world)
MATRIX: list[Any] = [
    ("case status", _case_set("received", status="completed"), "case_tampered", lambda w: w.received),
    ("case name", _case_set("received", applicant_name="김변조"), "case_tampered", lambda w: w.received),
    ("case clerk", _case_set("received", clerk="nobody"), "case_tampered", lambda w: w.received),
    ("case form", _case_set("received", form_code="OTHER"), "case_tampered", lambda w: w.received),
    ("case masked document", _case_set("received", document_masked="{}"), "case_tampered",
     lambda w: w.received),
    ("case return reason", _case_set("counter_return", status_reason="다른 사유"), "case_tampered",
     lambda w: w.counter_return),
    ("case received at", received_at, "case_tampered", lambda w: w.received),
    ("case number", _case_set("received", case_number="3210000-2026-000777"), "case_missing",
     lambda w: w.received),
    ("case RRN ciphertexts swapped", swap_rrn, "case_tampered", lambda w: w.received),
    ("case seal removed", _case_set("received", seal=None), "case_unsealed", lambda w: w.received),
    ("case chain place", _case_set("received", seal_seq=1), "case_tampered", lambda w: w.received),
    ("case data key id", _case_set("received", data_key_id="x" * 16), "case_tampered",
     lambda w: w.received),
    ("history reason", edit_history, "case_tampered", lambda w: w.later_return),
    ("history row deleted", drop_history, "case_tampered", lambda w: w.later_return),
    ("correction edited", lambda c: c.conn.execute(update(Correction).where(_correction(c))
                                                   .values(after_masked="x")),
     "case_tampered", lambda w: w.corrected),
    ("correction deleted", lambda c: c.conn.execute(delete(Correction).where(_correction(c))),
     "case_tampered", lambda w: w.corrected),
    ("attachment rows swapped", swap_attachments, "case_tampered", lambda w: w.received),
    ("attachment row deleted", lambda c: c.conn.execute(delete(Attachment).where(
        Attachment.case_id == c.case(c.world.received)["id"])), "case_tampered",
     lambda w: w.received),
    ("case rolled back", case_rollback, "case_rolled_back", lambda w: w.received),
    ("newest case deleted, counter rewound", newest_gone, "case_missing", lambda w: w.newest),
    ("case deleted", lambda c: _drop_case(c, c.world.paper), "case_missing", lambda w: w.paper),
    ("case inserted", case_inserted, "case_without_intake",
     lambda w: w.paper[:-6] + "000777"),
    ("counter rewound", lambda c: c.conn.execute(update(CaseCounter).where(_counter(c)).values(
        last_serial=CaseCounter.last_serial - 1)), "counter_tampered",
     lambda w: f"case_counters.{OFFICE}-{w.newest.split('-')[1]}"),
    ("counter deleted", lambda c: c.conn.execute(delete(CaseCounter).where(_counter(c))),
     "counter_mismatch", lambda w: f"case_counters.{OFFICE}-{w.newest.split('-')[1]}"),
    ("counter rolled back", counter_rollback, "counter_mismatch",
     lambda w: f"case_counters.{OFFICE}-{w.newest.split('-')[1]}"),
    ("account role", _set(Account, _acct("kim"), role="supervisor"), "account_tampered",
     lambda w: "accounts.kim"),
    ("account password hash", account_hash_swap, "account_tampered", lambda w: "accounts.kim"),
    ("account re-enabled", _set(Account, _acct("choi"), disabled_at=None), "account_tampered",
     lambda w: "accounts.choi"),
    ("account failures reset", _set(Account, _acct("kim"), failed_count=3), "account_tampered",
     lambda w: "accounts.kim"),
    ("account lock", _set(Account, _acct("kim"), locked_until=None, last_signin_at=None),
     "account_tampered", lambda w: "accounts.kim"),
    ("account rolled back (sign-in)", account_rollback(lambda s: accounts.authenticate(
        s, "kim", PASSWORD, counter=COUNTER, via="test")), "account_rolled_back",
     lambda w: "accounts.kim"),
    ("account rolled back (role)", account_rollback(lambda s: accounts.set_role(
        s, "kim", "supervisor", by="admin1", counter=COUNTER)), "account_rolled_back",
     lambda w: "accounts.kim"),
    ("account deleted", lambda c: c.conn.execute(delete(Account).where(_acct("lee"))),
     "account_missing", lambda w: "accounts.lee"),
    ("account inserted", account_forged, "account_without_event", lambda w: "accounts.mallory"),
    ("accounts and marker deleted", accounts_wiped, "setup_marker", lambda w: "meta.accounts"),
    ("set-up marker deleted", lambda c: c.conn.execute(delete(Meta).where(Meta.key == "accounts")),
     "setup_marker", lambda w: "meta.accounts"),
    ("set-up marker edited", _set(Meta, Meta.key == "accounts", value="no"), "meta_tampered",
     lambda w: "meta.accounts"),
    ("data key id seal", _set(Meta, Meta.key == "data_key_id", mac="0" * 64), "meta_tampered",
     lambda w: "meta.data_key_id"),
    ("row-seal record deleted", lambda c: c.conn.execute(delete(Meta).where(
        Meta.key == "row_seals")), "tampered", lambda w: "meta.row_seals"),
    ("review findings", _set(AccessReview, AccessReview.id == 1, findings="문제 없음"),
     "review_tampered", lambda w: "access_reviews.1"),
    ("review deleted", lambda c: c.conn.execute(delete(AccessReview)), "review_missing", None),
    ("review forged", review_forged, "review_without_event", lambda w: "access_reviews.2"),
    ("purge record deleted", lambda c: c.conn.execute(delete(PurgedCase).where(
        PurgedCase.case_number == c.world.purged[0])), "purge_record_missing",
     lambda w: w.purged[0]),
    ("purge record edited", lambda c: c.conn.execute(update(PurgedCase).where(
        PurgedCase.case_number == c.world.purged[0]).values(audit_seq=1)), "purge_tampered",
     lambda w: f"purged_cases.{w.purged[0]}"),
    ("purge record forged", purge_forged, "purge_without_event",
     lambda w: f"purged_cases.{w.purged[0][:-6]}000999"),
    ("event edited", lambda c: c.conn.execute(update(AuditEvent).where(
        AuditEvent.seq == _intake_seq(c, c.world.paper)).values(actor="mallory")), "audit",
     lambda w: w.paper),
    ("event deleted", event_deleted, "audit", None),
    ("events reordered", events_reordered, "audit", None),
    ("chain tail cut, head rewound", tail_cut, "audit", None),
    ("chain head deleted", lambda c: c.conn.execute(delete(AuditHead)), "tampered",
     lambda w: "audit_head"),
    ("attachment files swapped", files_swapped, "file_altered", lambda w: w.received),
    ("attachment file deleted", lambda c: _file(c, c.world.received, "seal").unlink(),
     "file_missing", lambda w: w.received),
    ("attachment file made a link", file_linked, "file_altered", lambda w: w.received),
    ("case replayed from another database", replay_case, "case_tampered", lambda w: w.paper),
    ("account replayed from another database", replay_account, "account_tampered",
     lambda w: "accounts.kim"),
    ("chain replayed from another database", replay_chain, "audit", None),
]


def test_a_copy_is_sound_before_the_attack(built: tuple[Place, World, Place],
                                           tmp_path: Path) -> None:
    place, world, _ = built
    copy = clone(place, tmp_path / "copy")
    try:
        with copy.open() as store:
            report = check.check(store, checkpoints=(world.checkpoint,))
        assert report.ok and report.cases == 7, report.to_json()
    finally:
        if not copy.url.startswith("sqlite"):
            drop_pg_database(copy.url)


def test_the_matrix_is_wide() -> None:
    assert len(MATRIX) >= 40 and len({m[0] for m in MATRIX}) == len(MATRIX)


@pytest.mark.parametrize("tamper, kind, where", [pytest.param(*m[1:], id=m[0]) for m in MATRIX])
def test_each_tamper_is_caught_and_named(
    built: tuple[Place, World, Place], tmp_path: Path, tamper: Tamper, kind: str,
    where: Callable[[World], str] | None,
) -> None:
    place, world, other = built
    copy = clone(place, tmp_path / "copy")  # sound: test_a_copy_is_sound_before_the_attack
    try:
        engine = create_engine(copy.url)
        try:
            with engine.connect() as conn:
                tamper(Ctx(copy, world, other, conn))
                conn.commit()
        finally:
            engine.dispose()
        with copy.open() as store:  # a new opening, as `db check` or another counter
            report = check.check(store, checkpoints=(world.checkpoint,))
        named = {(p.kind, p.where) for p in report.problems}
        assert kind in {k for k, _ in named}, report.to_json()
        if where is not None:
            assert (kind, where(world)) in named, report.to_json()
    finally:
        if not copy.url.startswith("sqlite"):
            drop_pg_database(copy.url)
