"""Revision 0002 on a database made before it: its cases are sealed and the keyed
chain starts, with an ``integrity`` event saying so, the first time the program
opens it with the office key; its old events stay verifiable and cannot be
rewritten afterwards."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import delete, select, update

from records import check, db
from records.audit import GENESIS, event_hash
from records.models import AuditEvent, AuditHead, Meta
from records.store import CaseStore
from tests.records.support import new_case, open_test_store


def make_legacy(url: str, folder: Path) -> list[str]:
    """A revision-0001 database with cases and a plain SHA-256 chain, as the last wave left it."""
    with open_test_store(url, folder) as store:
        numbers = [store.record(new_case()).case_number for _ in range(3)]
        store.set_status(numbers[0], "completed", clerk="kim", counter="민원1")
        with store.engine.begin() as conn:
            conn.execute(delete(Meta).where(Meta.key == "integrity"))
            events = list(conn.execute(select(AuditEvent).order_by(AuditEvent.seq)))
            prev = GENESIS
            for e in events:
                digest = event_hash(e.seq, e.at, e.actor, e.counter, e.case_id, e.case_number,
                                    e.action, e.detail, prev)
                conn.execute(update(AuditEvent).where(AuditEvent.seq == e.seq)
                             .values(prev_hash=prev, hash=digest))
                prev = digest
            conn.execute(update(AuditHead).values(hash=prev))
            command.downgrade(db._alembic_config(conn), "0001")
    return numbers


def test_an_old_database_is_bound_at_its_first_opening(db_url: str, tmp_path: Path) -> None:
    numbers = make_legacy(db_url, tmp_path)
    with open_test_store(db_url, tmp_path) as store:  # upgrades to 0002 ...
        assert store.upgraded
        report = check.check(store)  # ... and binds with the office key
        assert report.ok, report.to_json()
        verdict = store.verify_audit()
        assert verdict.ok and verdict.keyed_from == 5 and verdict.events == 6
        with store.read() as s:
            note = s.get(AuditEvent, 5)
            rows = s.get(AuditEvent, 6)
        assert note is not None and note.action == "integrity"
        assert '"bound_cases":3' in note.detail and '"legacy_events":4' in note.detail
        # revision 0006: the rows checked against the chain, then sealed (cases, a counter)
        assert rows is not None and rows.action == "integrity"
        assert '"sealed_cases":3' in rows.detail and '"sealed_rows":1' in rows.detail
        # the old events are anchored by the first keyed one: rewriting one is found
        with store.engine.begin() as conn:
            e = conn.execute(select(AuditEvent).where(AuditEvent.seq == 2)).one()
            forged = event_hash(e.seq, e.at, "nobody", e.counter, e.case_id, e.case_number,
                                e.action, e.detail, e.prev_hash)
            conn.execute(update(AuditEvent).where(AuditEvent.seq == 2)
                         .values(actor="nobody", hash=forged))
        verdict = store.verify_audit()
        assert not verdict.ok and verdict.broken_seq == 3
        # and new work is sealed and keyed as usual
        store.set_status(numbers[1], "completed", clerk="kim", counter="민원1")
    # binding happens once: a second opening adds nothing
    with CaseStore(db_url, attachments_dir=tmp_path / "files", key_file=tmp_path / "data.key",
                   private_keys=[]) as again, again.read() as s:
        actions = list(s.execute(select(AuditEvent.action)).scalars())
    assert actions.count("integrity") == 2
