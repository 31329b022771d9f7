"""The district by logical replication: three throwaway PostgreSQL servers (two offices and
a district), started once for this module (tests/helpers/pgservers.py).

Cases and heartbeats written at the offices reach the district; an office that
stops and comes back catches up with nothing lost or doubled; a broken
subscription shows in ``district status`` and in the office's ``doctor``
check; no personal column is published or found in any district table.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine

from app.cli import main
from counter_app import district as service
from records.district import PUBLISHED, published_columns, return_category
from records.district_db import (
    DistrictError,
    add_office,
    init_district,
    remove_office,
    subscription_status,
)
from records.errors import AuthError
from records.fleet import Beat, write_heartbeat
from records.store import CaseStore
from tests.helpers import pgservers
from tests.records.support import RRN, document, new_case, open_test_store

pytestmark = pytest.mark.postgres

OFFICE_A, OFFICE_B = "3210000", "3220000"
# Words that must never reach the district: personal data and free text of every kind.
PERSONAL = ("name", "rrn", "address", "phone", "birth", "document", "reason", "relation",
            "detail", "summary", "attachment", "sha256", "payload", "clerk", "note", "seal",
            "enc", "masked", "text", "memo")
SECRET_VALUES = ("김민원", "이대리", RRN, "900101", "010-1234-5678", "남부순환로", "101동",
                 "위임장 없음", "kim")
PASSWORD = "district-pw-2026"


def personal(column: str) -> bool:
    """A column named for personal data or free text (by the words of its name)."""
    return any(part in PERSONAL for part in column.lower().split("_"))


@dataclass
class Cluster:
    office_urls: dict[str, str]
    stores: dict[str, CaseStore]
    district_url: str
    district: Engine
    servers: list[pgservers.Server]


def _create_db(server: pgservers.Server, name: str) -> str:
    engine = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server.url(name)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    try:
        pgservers.bindir()
    except pgservers.PgUnavailable as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(str(exc))
    with pgservers.servers(3) as servers:
        urls = {OFFICE_A: _create_db(servers[0], "office_a"),
                OFFICE_B: _create_db(servers[1], "office_b")}
        stores = {o: open_test_store(u, tmp_path_factory.mktemp(o)) for o, u in urls.items()}
        district_url = _create_db(servers[2], "district")
        engine = create_engine(district_url)
        init_district(engine)
        try:
            yield Cluster(urls, stores, district_url, engine, servers)
        finally:
            for s in stores.values():
                s.close()
            engine.dispose()


def wait_until(what: str, cond: Callable[[], bool], timeout: float = 90) -> None:
    """Poll (replication is asynchronous); a generous bound, not a speed target."""
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.2)


def rows(engine: Engine, table: str, office: str) -> set[tuple[object, ...]]:
    cols = ", ".join(PUBLISHED[table])
    with engine.connect() as conn:
        return {tuple(r) for r in conn.execute(
            text(f"SELECT {cols} FROM {table} WHERE office = :o"), {"o": office})}


def same(c: Cluster, office: str) -> bool:
    office_engine = c.stores[office].engine
    return all(rows(office_engine, t, office) == rows(c.district, t, office) for t in PUBLISHED)


def write_day(store: CaseStore, office: str, n: int) -> None:
    """Cases of every kind: QR and paper, proxy, corrected, with warnings, returned, completed."""
    for i in range(n):
        kind = i % 5
        case = new_case(office=office, counter=f"창구{i % 3}")
        if kind == 1:
            case = new_case(office=office, document=document(delegate=True))
        elif kind == 2:
            case = new_case(office=office, source="paper", payload_id=None,
                            corrections=[("applicant.phone", "010-1234-5678", "010-1234-5679")],
                            detail={"warnings": 1, "check_to_accept_s": 42.5})
        elif kind == 3:
            case = new_case(office=office, returned_reason="구비서류 미비: 위임장 없음",
                            detail={"missing_documents": ["위임장"]})
        receipt = store.record(case)
        if kind == 4:
            store.set_status(receipt.case_id, "completed", clerk="kim", counter="창구1")
        if kind == 0 and i % 2:
            store.set_status(receipt.case_id, "returned", reason="본인 또는 대리인 확인 불가 김민원",
                             clerk="kim", counter="창구1")
    for k in range(3):
        store.write(lambda s, k=k: write_heartbeat(s, Beat(
            office=office, counter=f"창구{k}", host=f"pc-{k}", version="0.3.0" if k else "0.2.9",
            config_hash="c0ffee", checks_failed=k == 2, checks_warned=k == 1,
            problems=[{"id": "config", "status": "fail", "detail": r"C:\Users\김민원\x"}]
            if k == 2 else [{"id": "update", "status": "warn", "detail": "0.3.1 failed"}]
            if k == 1 else [])))


@pytest.fixture(scope="module")
def subscribed(cluster: Cluster) -> Cluster:
    for office in (OFFICE_A, OFFICE_B):
        write_day(cluster.stores[office], office, 10)  # before the subscription: the first copy
        add_office(cluster.district, office, cluster.office_urls[office],
                   now=dt.datetime.now(dt.UTC))
    for office in (OFFICE_A, OFFICE_B):
        write_day(cluster.stores[office], office, 5)  # after: streamed
    for office in (OFFICE_A, OFFICE_B):
        wait_until(f"office {office} replicated", lambda o=office: same(cluster, o))
    return cluster


def test_return_reason_keeps_its_category_only() -> None:
    assert return_category("구비서류 미비: 위임장 없음") == "documents"
    assert return_category("  수수료   미납") == "fee"
    assert return_category("김민원 님 본인이 아님") == "other"
    assert return_category(None) == "other"


def test_publication_names_only_non_personal_columns(cluster: Cluster) -> None:
    for office, store in cluster.stores.items():
        with store.engine.connect() as conn:
            listed = published_columns(conn)
            every = list(conn.execute(text(
                "SELECT pubname, tablename, attnames FROM pg_publication_tables")))
        assert listed is not None
        assert {t: sorted(c) for t, c in listed.items()} == {
            t: sorted(c) for t, c in PUBLISHED.items()}, office
        for pub, table, cols in every:
            assert table in PUBLISHED, (pub, table)
            for col in cols:
                assert not personal(col), (pub, table, col)


def test_cases_and_heartbeats_reach_the_district(subscribed: Cluster) -> None:
    c = subscribed
    with c.district.connect() as conn:
        counts = dict(conn.execute(text("SELECT office, count(*) FROM case_facts GROUP BY 1")).all())
        kinds = conn.execute(text(
            "SELECT count(*) FILTER (WHERE proxy), count(*) FILTER (WHERE corrected), "
            "count(*) FILTER (WHERE warnings), count(*) FILTER (WHERE documents_missing), "
            "count(*) FILTER (WHERE origin = 'paper'), count(*) FILTER (WHERE scanned_at IS NOT NULL), "
            "count(*) FILTER (WHERE status = 'completed' AND completed_at IS NOT NULL) "
            "FROM case_facts")).one()
        categories = dict(conn.execute(text(
            "SELECT return_category, count(*) FROM case_facts WHERE status = 'returned' "
            "GROUP BY 1")).all())
        beats = conn.execute(text("SELECT count(*) FROM counter_heartbeats")).scalar_one()
    assert counts == {OFFICE_A: 15, OFFICE_B: 15}
    assert tuple(kinds) == (6, 6, 6, 6, 6, 6, 6)
    assert categories == {"documents": 6, "identity": 2}
    assert beats == 6
    status = subscription_status(c.district)
    assert [s.state for s in status] == ["ok", "ok"], [s.as_json() for s in status]
    assert all(s.slot == "reserved" and s.lag_bytes is not None for s in status)


def test_no_personal_value_or_column_in_any_district_table(subscribed: Cluster) -> None:
    with subscribed.district.connect() as conn:
        tables = inspect(conn).get_table_names()
        assert set(PUBLISHED) <= set(tables)
        for table in tables:
            cols = [col["name"] for col in inspect(conn).get_columns(table)]
            if table == "district_viewers":  # the district's own accounts: name, role, hash
                continue
            for col in cols:
                assert not personal(col), (table, col)
            for row in conn.execute(text(f"SELECT * FROM {table}")):
                for value in row:
                    shown = str(value)
                    assert not any(secret in shown for secret in SECRET_VALUES), (table, shown)


def test_an_office_offline_catches_up_with_nothing_lost_or_doubled(subscribed: Cluster) -> None:
    c = subscribed
    office, server = OFFICE_B, c.servers[1]
    store = c.stores[office]
    write_day(store, office, 5)  # some of these may still be on their way when it stops
    store.engine.dispose()
    server.stop()
    wait_until("the stopped office reported failing",
               lambda: any(s.office == office and s.state == "failing"
                           for s in subscription_status(c.district)))
    server.start()
    write_day(store, office, 7)
    wait_until("the office caught up", lambda: same(c, office))
    with c.district.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM case_facts WHERE office = :o"),
                         {"o": office}).scalar_one()
    assert n == 15 + 5 + 7
    wait_until("the subscription is ok again",
               lambda: all(s.state == "ok" for s in subscription_status(c.district)))


def test_viewers_see_their_offices_only(subscribed: Cluster) -> None:
    c = subscribed
    now = dt.datetime.now(dt.UTC)
    service.add_viewer(c.district, "gu-office", "district", PASSWORD, None, now)
    service.add_viewer(c.district, "sup-a", "supervisor", PASSWORD, OFFICE_A, now)
    with pytest.raises(AuthError):
        service.sign_in(c.district, "sup-a", "wrong-password-1")
    district = service.sign_in(c.district, "gu-office", PASSWORD)
    sup = service.sign_in(c.district, "sup-a", PASSWORD)
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=9))).date()
    stats, counts = service.review(c.district, district, today)
    assert {o.office for o in counts} == {OFFICE_A, OFFICE_B, ""}
    assert stats.total == counts[-1].total == sum(o.total for o in counts[:-1])
    assert dict(stats.by_clerk) == {o.office: o.total for o in counts[:-1]}  # the office chart
    mine, counts_a = service.review(c.district, sup, today)
    assert [o.office for o in counts_a] == [OFFICE_A, ""] and mine.total == counts_a[0].total
    with pytest.raises(AuthError):
        service.review(c.district, sup, today, office=OFFICE_B)
    with pytest.raises(AuthError):
        service.fleet(c.district, sup, OFFICE_B)
    fleet = service.fleet(c.district, sup)
    assert {x["office"] for x in fleet["counters"]} == {OFFICE_A}
    issues = {x["counter"]: x["issues"] for x in fleet["counters"]}
    assert issues["창구0"] == ["outdated"] and "config_refused" in issues["창구2"]
    assert issues["창구1"] == ["update_warn"]
    filtered, _ = service.review(c.district, district, today, form="RESIDENT_CERT_ISSUE",
                                 status="returned")
    assert filtered.total == stats.by_status["returned"]
    documents, _ = service.review(c.district, district, today, category="documents")
    assert documents.total == dict(stats.reasons)["구비서류 미비"] > 0


def test_commands_status_fleet_and_review(subscribed: Cluster, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    c = subscribed
    assert main(["district", "status", "--db", c.district_url, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and {s["office"] for s in out["subscriptions"]} == {OFFICE_A, OFFICE_B}
    pw = tmp_path / "pw"
    pw.write_text(PASSWORD)
    with pytest.raises(SystemExit):
        main(["district", "fleet", "--db", c.district_url, "--json"])  # who is asking?
    capsys.readouterr()
    assert main(["district", "fleet", "--db", c.district_url, "--json", "--account", "sup-a",
                 "--password-file", str(pw)]) == 1  # a counter with a problem: exit 1
    fleet = json.loads(capsys.readouterr().out)
    assert {x["office"] for x in fleet["counters"]} == {OFFICE_A}
    assert main(["district", "fleet", "--db", c.district_url, "--json", "--account", "sup-a",
                 "--password-file", str(pw), "--office", OFFICE_B]) == 1
    refused = json.loads(capsys.readouterr().out)
    assert refused["error"] == "AUTH_DENIED" and "counters" not in refused
    assert main(["district", "add-office", "--db", c.district_url, "--office", "bad code!",
                 "--source", c.office_urls[OFFICE_A]]) == 2
    assert "기관 코드" in capsys.readouterr().out


def test_the_district_counts_what_the_office_review_counts(subscribed: Cluster) -> None:
    """The district's charts for one office equal the office's own review charts."""
    from records.daystats import day_stats
    from records.district_stats import district_stats

    c = subscribed
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=9))).date()
    for office in (OFFICE_A, OFFICE_B):
        wait_until("replicated", lambda o=office: same(c, o))
        with c.stores[office].read() as s:
            mine = day_stats(s, today, office=office)
        with c.district.connect() as conn:
            theirs = district_stats(conn, today, offices=[office])
        assert theirs.total == mine.total > 0
        for name in ("by_status", "by_hour", "by_form", "by_source", "waits", "wait_median_s",
                     "corrected", "warnings_accepted", "documents_missing", "complete_median_s"):
            assert getattr(theirs, name) == getattr(mine, name), name
        assert sum(n for _, n in theirs.reasons) == sum(n for _, n in mine.reasons)
        assert theirs.by_clerk == [(office, mine.total)]


def test_a_schema_mismatch_fails_until_the_district_adds_the_column(subscribed: Cluster) -> None:
    """The order of an upgrade: a published column the district lacks stops the office's
    subscription (status: failing); ``district init`` adds it and the rows come."""
    c = subscribed
    office = OFFICE_B
    wait_until("replicated", lambda: same(c, office))
    with c.district.begin() as conn:
        conn.execute(text("ALTER TABLE case_facts DROP COLUMN documents_missing"))
    write_day(c.stores[office], office, 2)
    wait_until("the mismatch reported", lambda: any(
        s.office == office and s.state == "failing" for s in subscription_status(c.district)))
    assert init_district(c.district) == ["case_facts.documents_missing"]

    def uids(engine: Engine) -> set[str]:
        with engine.connect() as conn:
            return {str(u) for (u,) in conn.execute(
                text("SELECT uid FROM case_facts WHERE office = :o"), {"o": office})}

    wait_until("the office caught up after the district's upgrade",
               lambda: uids(c.stores[office].engine) == uids(c.district))
    # (The rows from before lost the dropped column's values: a fresh copy brings them back.)
    remove_office(c.district, office)
    add_office(c.district, office, c.office_urls[office], now=dt.datetime.now(dt.UTC))
    wait_until("the fresh copy", lambda: same(c, office))


def test_a_dropped_slot_shows_in_status_and_doctor(subscribed: Cluster) -> None:
    c = subscribed
    office = OFFICE_A
    assert service.office_slots(c.office_urls[office]) is not None
    with c.district.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"ALTER SUBSCRIPTION district_{office} DISABLE"))
    wait_until("the slot is idle", lambda: (service.office_slots(c.office_urls[office])
                                            or ("", ""))[0] == "warn")
    with c.stores[office].engine.connect() as conn:
        conn.execute(text(f"SELECT pg_drop_replication_slot('district_{office}')"))
        conn.commit()
    with c.district.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"ALTER SUBSCRIPTION district_{office} ENABLE"))
    wait_until("the dropped slot reported", lambda: any(
        s.office == office and s.state == "failing" and s.slot == "missing"
        for s in subscription_status(c.district)))
    # Removing and adding the office again starts it afresh: the same rows, none doubled.
    with pytest.raises(DistrictError):
        add_office(c.district, office, c.office_urls[office], now=dt.datetime.now(dt.UTC))
    assert remove_office(c.district, office)["slot_left_at_office"] == f"district_{office}"
    add_office(c.district, office, c.office_urls[office], now=dt.datetime.now(dt.UTC))
    write_day(c.stores[office], office, 2)
    wait_until("the office re-added", lambda: same(c, office))
    assert service.office_slots(c.office_urls[office]) == (
        "ok", service.office_slots(c.office_urls[office])[1])  # type: ignore[index]


def test_the_district_window_shows_every_office_and_filters(subscribed: Cluster, qtbot: Any) -> None:
    from ui.district.window import DistrictWindow

    c = subscribed
    viewer = service.Viewer("gu", "district", None)
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=9))).date()
    window = DistrictWindow(c.district, viewer, today)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.loaded == 1, timeout=30000)
    offices = {window.counts.item(r, 0).text() for r in range(window.counts.rowCount())}
    assert {OFFICE_A, OFFICE_B} <= offices
    assert window.counts.item(0, 0).text() == "합계"  # the total first
    total = int(window.counts.item(0, 1).text())
    office_chart = window.charts.view("office").chart
    assert office_chart is not None and sum(b.value for b in office_chart.bars) == total
    window.choose("hour", 10)  # an hour bar only shows
    window.choose("office", OFFICE_A)  # a bar of the office chart clicked
    qtbot.waitUntil(lambda: window.loaded == 2, timeout=30000)
    assert {window.counts.item(r, 0).text() for r in range(window.counts.rowCount())} == {
        OFFICE_A, "합계"}
    assert {window.fleet.item(r, 0).text() for r in range(window.fleet.rowCount())} == {OFFICE_A}
    window.close()
