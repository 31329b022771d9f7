"""The audit hash chain: every change is a link, and any edit is found and named."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import delete, select, update

from records import audit
from records.models import AuditEvent
from records.store import CaseStore
from tests.records.support import KEY_PATH, new_case

REPO = Path(__file__).resolve().parents[2]


def _events(store: CaseStore) -> list[AuditEvent]:
    with store.read() as s:
        return list(s.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars())


def _fill(store: CaseStore) -> None:
    a = store.record(new_case(corrections=[("applicant.phone", "1", "2")]))
    store.reveal_rrn(a.case_id, "applicant", clerk="kim", counter="민원1")
    store.log("print", a.case_id, clerk="kim", counter="민원1", detail={"what": "receipt"})
    store.set_status(a.case_id, "completed", clerk="kim", counter="민원1")
    store.record(new_case())


def _verify(store: CaseStore) -> audit.Verdict:
    return store.verify_audit()


def test_every_action_is_a_linked_event(store: CaseStore) -> None:
    _fill(store)
    events = _events(store)
    assert [e.action for e in events] == [
        "intake", "correction", "reveal_rrn", "print", "status", "intake"]
    assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6]
    assert events[0].prev_hash == audit.GENESIS
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert {e.actor for e in events} == {"kim"}
    assert events[0].case_number and events[0].counter == "민원1"
    assert _verify(store).ok and _verify(store).events == 6


def test_an_edited_event_is_named(store: CaseStore) -> None:
    _fill(store)
    with store.engine.begin() as conn:
        conn.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(actor="nobody"))
    v = _verify(store)
    assert not v.ok and v.broken_seq == 3
    assert "edited" in v.problem_en and "#3" in v.problem_en


def test_a_rehashed_edit_breaks_the_next_link(store: CaseStore) -> None:
    _fill(store)
    e = _events(store)[1]
    forged = audit.event_hash(e.seq, e.at, "nobody", e.counter, e.case_id, e.case_number,
                              e.action, e.detail, e.prev_hash)
    with store.engine.begin() as conn:
        conn.execute(update(AuditEvent).where(AuditEvent.seq == 2)
                     .values(actor="nobody", hash=forged))
    v = _verify(store)
    # the chain is keyed: a plain recomputed hash is itself the broken link
    assert not v.ok and v.broken_seq == 2


def test_deleted_events_are_found(store: CaseStore) -> None:
    _fill(store)
    with store.engine.begin() as conn:
        conn.execute(delete(AuditEvent).where(AuditEvent.seq == 6))
    v = _verify(store)
    assert not v.ok and v.broken_seq == 6 and "cut off" in v.problem_en
    with store.engine.begin() as conn:
        conn.execute(delete(AuditEvent).where(AuditEvent.seq == 2))
    v = _verify(store)
    assert not v.ok and v.broken_seq == 2 and "missing" in v.problem_en


def test_cli_audit_verify(store: CaseStore, tmp_path: Path) -> None:
    _fill(store)

    def run() -> tuple[int, dict[str, object]]:
        p = subprocess.run(
            [sys.executable, "-m", "app", "audit", "verify", "--db", store.url,
             "--key", str(KEY_PATH), "--data-key", str(store.key_file)],
            cwd=REPO, capture_output=True, text=True, timeout=60,
        )
        return p.returncode, json.loads(p.stdout)

    code, out = run()
    assert code == 0 and out["ok"] is True and out["events"] == 6
    with store.engine.begin() as conn:
        conn.execute(update(AuditEvent).where(AuditEvent.seq == 4).values(detail="{}"))
    code, out = run()
    assert code == 1 and out["ok"] is False and out["broken_seq"] == 4
    assert "#4" in str(out["message"])
