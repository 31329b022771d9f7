"""records.review: one case's audit events, a day's counts by status, the chain verdict."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from records import review
from records.models import AuditEvent
from records.store import CaseStore
from records.views import KST
from tests.records.support import new_case


def test_case_audit_lists_only_that_case_oldest_first(store: CaseStore) -> None:
    a = store.record(new_case(corrections=[("applicant.phone", "010-1", "010-2")]))
    b = store.record(new_case())
    store.reveal_rrn(a.case_id, "applicant", clerk="lee", counter="민원2")
    store.log("export", None, clerk="lee", counter="민원2", detail={"cases": 2})
    store.set_status(a.case_id, "returned", reason="서류 미비", clerk="lee", counter="민원2")

    events = review.case_audit(store, a.case_id)
    assert [e.action for e in events] == ["intake", "correction", "reveal_rrn", "status"]
    assert [e.seq for e in events] == sorted(e.seq for e in events)
    assert events[2].actor == "lee" and events[2].counter == "민원2"
    assert events[2].detail == {"person": "applicant"}
    assert events[3].detail == {"status": "returned", "reason": "서류 미비"}
    assert events[0].at.tzinfo is not None
    assert abs((events[0].at - a.received_at).total_seconds()) < 1
    assert [e.action for e in review.case_audit(store, b.case_id)] == ["intake"]
    assert review.case_audit(store, 999_999) == []
    # no personal data in what the window shows
    assert "9001011234568" not in repr([e.to_json() for e in events])


def test_status_counts_of_a_korean_day(store: CaseStore) -> None:
    a = store.record(new_case())
    b = store.record(new_case())
    store.record(new_case())
    store.set_status(a.case_id, "completed", clerk="kim", counter="민원1")
    store.set_status(b.case_id, "returned", reason="본인 확인 불가", clerk="kim", counter="민원1")
    today = a.received_at.astimezone(KST).date()
    assert review.status_counts(store, today) == {"received": 1, "returned": 1, "completed": 1}
    assert review.status_counts(store, today, office="9999999") == {
        "received": 0, "returned": 0, "completed": 0}
    assert review.status_counts(store, today - dt.timedelta(days=1)) == {
        "received": 0, "returned": 0, "completed": 0}


def test_verify_chain_ok_then_names_the_edited_link(store: CaseStore) -> None:
    a = store.record(new_case())
    store.reveal_rrn(a.case_id, "applicant", clerk="kim", counter="민원1")
    verdict = review.verify_chain(store)
    assert verdict.ok and verdict.events == 2
    with store.engine.begin() as conn:
        conn.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(detail='{"person":"x"}'))
    verdict = review.verify_chain(store)
    assert not verdict.ok and verdict.broken_seq == 2
    # an edited detail that is not JSON any more is still listed, never a crash
    with store.engine.begin() as conn:
        conn.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(detail="{broken"))
    assert review.case_audit(store, a.case_id)[1].detail == {"raw": "{broken"}
