"""No false alarms: after every action the program has, the one checker says sound.

Every action (accept, accept with warnings, correct, return at the counter,
return later, complete, purge, reveal, print, export, view, account changes,
sign-ins good and bad, the access review, an update's migration) runs through
the real services; ``db check``, ``audit verify`` and the review window's
button (one function, :func:`records.check.check`) must then find nothing.
"Set aside" (보류) keeps a petition in the counter's queue and writes no row.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from records import check, db, review
from records.integrity import seal_case
from records.models import AuditEvent, Case, CaseStatus
from records.store import CaseStore
from tests.conftest import REPO
from tests.records.support import KEY_PATH, new_case, open_test_store
from tests.records.world import COUNTER, every_action


def _sound(store: CaseStore, checkpoints: tuple[str, ...] = ()) -> check.CheckReport:
    report = check.check(store, checkpoints=checkpoints)
    assert report.ok, report.to_json()
    return report


def test_every_action_leaves_a_sound_database(db_url: str, tmp_path: Path) -> None:
    with open_test_store(db_url, tmp_path) as store:
        world = every_action(store, tmp_path)
        report = _sound(store, (world.checkpoint,))
        assert report.chain is not None and report.chain.checkpoints == 1
        # the window's button gives the same verdict
        assert review.verify_chain(store).ok
        with store.read() as s:
            status = dict(s.execute(select(Case.case_number, Case.status)).all())
        assert status[world.counter_return] == CaseStatus.RETURNED
        assert status[world.later_return] == CaseStatus.RETURNED
        assert status[world.warned] == CaseStatus.COMPLETED
        assert not set(world.purged) & set(status)
    # a new opening (another counter, the CLI) agrees
    with open_test_store(db_url, tmp_path) as again:
        _sound(again)


def test_returned_at_the_counter_is_no_alarm(store: CaseStore) -> None:
    """The reported case: every Ctrl+R return was 'changed outside the program'."""
    for _ in range(3):
        store.record(new_case(returned_reason="서류 미비"))
    report = _sound(store)
    assert report.cases == 3


def test_db_check_audit_verify_and_the_window_give_one_verdict(store: CaseStore) -> None:
    number = store.record(new_case(returned_reason="서류 미비")).case_number

    def run(*words: str) -> tuple[int, dict[str, Any]]:
        p = subprocess.run(
            [sys.executable, "-m", "app", *words, "--db", store.url,
             "--key", str(KEY_PATH), "--data-key", str(store.key_file),
             "--files", str(store.files.root)],
            cwd=REPO, capture_output=True, text=True, timeout=120,
        )
        return p.returncode, json.loads(p.stdout)

    def verdicts() -> list[tuple[int, list[Any]]]:
        window = review.verify_chain(store)  # the 감사 기록 검증 button's call
        (c1, checked), (c2, verified) = run("db", "check"), run("audit", "verify")
        return [(c1, checked["problems"]), (c2, verified["problems"]),
                (0 if window.ok else 1, [p.to_json() for p in window.problems])]

    sound = verdicts()
    assert sound == [(0, [])] * 3
    with store.engine.begin() as conn:  # returned -> received behind the program's back
        conn.execute(update(Case).where(Case.case_number == number).values(status="received"))
    broken = verdicts()
    assert broken[0] == broken[1] == broken[2] and broken[0][0] == 1
    assert {p["kind"] for p in broken[0][1]} == {"case_tampered"}


def test_an_update_migration_then_work_is_sound(db_url: str, tmp_path: Path) -> None:
    """A database of the last release (revision 0005: no row seals) upgraded by the program,
    then used: its rows are checked against the chain, sealed once, and stay sound."""
    with open_test_store(db_url, tmp_path) as store:
        world = every_action(store, tmp_path)
        ikey = store.integrity_key()
        # what the last release wrote: case seals without a chain place, rows without MACs
        with Session(store.engine) as s, s.begin():
            for c in s.execute(select(Case)).scalars():
                c.seal_seq = None
                seal_case(s, ikey, c)
        with store.engine.begin() as conn:
            command.downgrade(db._alembic_config(conn), "0005")
    with open_test_store(db_url, tmp_path) as store:  # the update's migration
        assert store.upgraded
        _sound(store, (world.checkpoint,))
        with store.read() as s:
            last = s.execute(select(AuditEvent).order_by(AuditEvent.seq.desc())).scalars().first()
        assert last is not None and last.action == "integrity"
        # 7 cases; 5 accounts, a review, 2 purge records and a counter
        assert '"sealed_cases":7,"sealed_rows":9' in last.detail
        store.set_status(world.received, "completed", clerk="kim", counter=COUNTER)
        store.record(new_case(returned_reason="서류 미비"))
        _sound(store)
    with open_test_store(db_url, tmp_path) as again, again.read() as s:
        integrity = s.execute(select(AuditEvent.seq).where(AuditEvent.action == "integrity"))
        assert len(list(integrity)) == 1  # sealed once, not at every opening
