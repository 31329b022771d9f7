"""The review list at office-server scale: filters, counts, pages, positions; the day's statistics."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from records import caselist, daystats
from records.caselist import FLAGS, CaseQuery
from records.errors import RecordsError
from records.models import Case
from records.store import CaseStore
from records.views import KST
from tests.records.support import new_case


def _day(store: CaseStore) -> tuple[dt.date, list[int]]:
    """Twelve cases: kim/민원1 and lee/민원2, one paper, two returned, one corrected, one warned."""
    ids = []
    for i in range(12):
        clerk, counter = ("kim", "민원1") if i % 3 else ("lee", "민원2")
        kw: dict[str, object] = {"clerk": clerk, "counter": counter}
        if i == 4:
            kw["corrections"] = [("applicant.phone", "010-1", "010-2")]
        if i == 5:
            kw["detail"] = {"warnings": 2, "check_to_accept_s": 75.0}
        if i == 7:  # accepted without a required document's page, with the clerk's reason
            kw["detail"] = {"warnings": 0, "missing_documents": ["위임장"],
                            "missing_documents_reason": "원본 확인 후 반환"}
        if i == 8:
            kw["detail"] = {"warnings": 0, "missing_documents": []}
        if i == 6:
            kw.update(source="paper", payload_id=None)
        ids.append(store.record(new_case(**kw)).case_id)  # type: ignore[arg-type]
    store.set_status(ids[1], "returned", reason="구비서류 미비: 위임장 없음", clerk="kim", counter="민원1")
    store.set_status(ids[2], "returned", reason="구비서류 미비: 신분증 없음", clerk="kim", counter="민원1")
    store.set_status(ids[3], "completed", clerk="lee", counter="민원2")
    # spread over the morning, Korean time, so the hour filter has something to do
    with store.engine.begin() as conn:
        for i, case_id in enumerate(ids):
            at = dt.datetime.combine(dt.date(2026, 3, 9), dt.time(9 + i % 3, 5 * i), KST)
            conn.execute(update(Case).where(Case.id == case_id).values(received_at=at))
    return dt.date(2026, 3, 9), ids


def test_filters_count_and_pages(store: CaseStore) -> None:
    day, ids = _day(store)
    with store.read() as s:
        q = CaseQuery(day)
        assert caselist.count(s, q) == 12
        assert caselist.count(s, CaseQuery(day - dt.timedelta(days=1))) == 0
        assert caselist.count(s, CaseQuery(day - dt.timedelta(days=3), day)) == 12
        assert caselist.count(s, CaseQuery(day, clerk="lee")) == 4
        assert caselist.count(s, CaseQuery(day, counter="민원1", status="returned")) == 2
        assert caselist.count(s, CaseQuery(day, source="paper")) == 1
        assert caselist.count(s, CaseQuery(day, hour=10)) == 4
        assert caselist.count(s, CaseQuery(day, flags=frozenset({"corrected"}))) == 1
        assert caselist.count(s, CaseQuery(day, flags=frozenset({"warning_overridden"}))) == 1
        missing = caselist.page(s, CaseQuery(day, flags=frozenset({"documents_missing"})), 0, 50)
        assert [r.id for r in missing] == [ids[7]]
        assert caselist.count(s, CaseQuery(day, form="RESIDENT_CERT_ISSUE")) == 12
        assert caselist.count(s, CaseQuery(day, form="NO_SUCH_FORM")) == 0
        # words: every word matches some column (case-insensitive), or a form whose title holds it
        assert caselist.count(s, CaseQuery(day, words=(("KIM", ()),))) == 8
        assert caselist.count(s, CaseQuery(day, words=(("김민원", ()), ("민원2", ())))) == 4
        assert caselist.count(s, CaseQuery(day, words=(("등본", ("RESIDENT_CERT_ISSUE",)),))) == 12
        assert caselist.count(s, CaseQuery(day, words=(("%", ()),))) == 0  # a wildcard is a letter
        # "1_0" would match "3210000" as a LIKE pattern; taken literally it matches nothing
        for hostile in ("' OR 1=1 --", "1_0", "\\", '"); DROP TABLE cases; --', "kim\x00'"):
            assert caselist.count(s, CaseQuery(day, words=((hostile, ()),))) == 0
        assert caselist.count(s, CaseQuery(day, words=(("\x00\n", ()),))) == 12  # nothing to look for
        with pytest.raises(RecordsError, match="hour filter"):
            caselist.count(s, CaseQuery(day - dt.timedelta(days=400), day, hour=10))
        with pytest.raises(RecordsError):
            caselist.count(s, CaseQuery(day, hour=24))

        rows = caselist.page(s, q, 0, 5) + caselist.page(s, q, 5, 5) + caselist.page(s, q, 10, 5)
        assert len(rows) == 12 and len({r.id for r in rows}) == 12
        assert [r.received_at for r in rows] == sorted(r.received_at for r in rows)
        for n, r in enumerate(rows):
            assert caselist.position(s, q, r.id) == n
        assert caselist.position(s, CaseQuery(day, clerk="lee"), ids[1]) == -1
        assert caselist.choices(s, CaseQuery(day, clerk="lee")) == {
            "clerk": ["kim", "lee"], "counter": ["민원1", "민원2"], "form": ["RESIDENT_CERT_ISSUE"]}


def test_an_unknown_flag_is_refused_not_ignored(store: CaseStore) -> None:
    assert all(callable(f.where) for f in FLAGS.values())
    with store.read() as s, pytest.raises(ValueError, match="no_such_flag"):
        caselist.count(s, CaseQuery(dt.date(2026, 3, 9), flags=frozenset({"no_such_flag"})))


def test_day_stats(store: CaseStore) -> None:
    day, ids = _day(store)
    store.reveal_rrn(ids[0], "applicant", clerk="park", counter="감독")
    store.log("export", None, clerk="park", counter="감독", detail={"cases": 12})
    with store.read() as s:
        st = daystats.day_stats(s, day)
    assert st.total == 12 and st.by_status == {"received": 9, "returned": 2, "completed": 1}
    assert dict(st.by_hour)[9] == 4 and dict(st.by_hour)[10] == 4 and dict(st.by_hour)[17] == 0
    assert st.by_clerk == [("kim", 8), ("lee", 4)]
    assert st.by_source == {"qr": 11, "paper": 1}
    assert st.by_form == [("RESIDENT_CERT_ISSUE", 12)]
    assert st.reasons == [("구비서류 미비", 2)]
    assert [r.reason for r in st.returned] == ["구비서류 미비: 위임장 없음", "구비서류 미비: 신분증 없음"]
    assert st.corrected == 1
    # the audit events carry today's time (the cases were moved to 2026-03-09): no access that
    # day; the waits are those of the day's cases (as the list's wait filter reads them)
    assert st.access == [] and st.waits[2] == 1 and st.wait_median_s == 75.0  # 1–2 min
    today = dt.datetime.now(KST).date()
    with store.read() as s:
        now = daystats.day_stats(s, today)
    assert [(a.action, a.actor, a.counter) for a in now.access] == [
        ("reveal_rrn", "park", "감독"), ("export", "park", "감독")]
    assert sum(now.waits) == 0 and now.wait_median_s is None  # no case received today
    assert now.total == 0 and now.by_status == {"received": 0, "returned": 0, "completed": 0}
    assert now.by_source == {"qr": 0, "paper": 0}


def test_reason_group() -> None:
    assert caselist.reason_group("구비서류 미비: 위임장 없음") == "구비서류 미비"
    assert caselist.reason_group("본인 확인 불가") == "본인 확인 불가"
    assert caselist.reason_group("  ") == caselist.OTHER_REASON


def test_migration_0005_adds_and_removes_the_review_indexes(db_url: str) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from records import db

    engine = db.make_engine(db_url)
    try:
        db.upgrade(engine, db_url)

        def names() -> set[str]:
            insp = inspect(engine)
            return {ix["name"] for t in ("cases", "audit_events") for ix in insp.get_indexes(t)}

        ours = {"ix_cases_clerk_received_at", "ix_cases_counter_received_at",
                "ix_cases_form_code_received_at", "ix_cases_status_received_at",
                "ix_audit_events_action_at"}
        assert ours <= names()
        with engine.begin() as conn:
            command.downgrade(db._alembic_config(conn), "0004")
        assert not ours & names() and "ix_cases_received_at" in names()
        assert db.upgrade(engine, db_url) is True and ours <= names()
    finally:
        engine.dispose()
