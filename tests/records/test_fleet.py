"""The fleet view: heartbeats in, stale/outdated/failing counters out (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.cli import main
from records.fleet import Beat, Heartbeat, fleet_status, newer, server_now, write_heartbeat
from records.store import CaseStore
from tests.records.support import new_case


def beat(counter: str, version: str = "0.2.0", **kw: object) -> Beat:
    return Beat(office="3210000", counter=counter, host=f"pc-{counter}", version=version,
                config_hash="c0ffee", **kw)  # type: ignore[arg-type]


def test_fleet_lists_stale_outdated_and_failing_counters(
    store: CaseStore, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store.write(lambda s: write_heartbeat(s, beat("민원1")))
    store.write(lambda s: write_heartbeat(s, beat("민원2", "0.1.9")))
    store.write(lambda s: write_heartbeat(s, beat("민원3", checks_failed=1,
        problems=[{"id": "devices", "status": "fail", "detail": "serial:COM3: 연결되어 있지 않습니다"}])))
    store.write(lambda s: write_heartbeat(s, beat("민원4")))
    store.record(new_case())  # a case taken at the test's counter name

    # 민원4 last reported an hour ago (by the server's clock): stale.
    def age(s: object) -> None:
        now = server_now(s)  # type: ignore[arg-type]
        s.execute(update(Heartbeat).where(Heartbeat.counter == "민원4")  # type: ignore[attr-defined]
                  .values(seen_at=now - dt.timedelta(hours=1)))

    store.write(age)
    with store.read() as s:
        fleet = fleet_status(s)
    status = {c.counter: c for c in fleet.counters}
    assert fleet.latest_version == "0.2.0"
    assert status["민원1"].ok
    assert status["민원2"].issues() == ["outdated"]
    assert status["민원3"].issues() == ["failing"]
    assert status["민원4"].issues() == ["stale"]
    assert [c.counter for c in fleet.counters][-1] == "민원1"  # problems first
    # A second heartbeat replaces the first (one row per counter) and keeps the last scan.
    scan = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)).replace(microsecond=0)
    store.write(lambda s: write_heartbeat(s, beat("민원1", last_scan_at=scan)))
    store.write(lambda s: write_heartbeat(s, beat("민원1", "0.2.1")))
    with store.read() as s:
        fleet = fleet_status(s)
    one = next(c for c in fleet.counters if c.counter == "민원1")
    assert one.version == "0.2.1" and one.last_scan_at == scan and one.ok
    assert len(fleet.counters) == 4 and fleet.latest_version == "0.2.1"
    # The command: JSON and text, exit 1 while some counter has a problem.
    assert main(["fleet", "--db", db_url, "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert {c["counter"]: c["issues"] for c in out["counters"]}["민원4"] == ["stale", "outdated"]
    assert main(["fleet", "--db", db_url, "--stale-minutes", "120", "--latest", "0.2.1"]) == 1
    text = capsys.readouterr().out
    assert "응답 없음" not in text and "구버전/outdated" in text and "serial:COM3" in text


def test_last_scan_comes_from_the_cases_too(store: CaseStore) -> None:
    case = new_case()
    store.record(case)
    store.write(lambda s: write_heartbeat(s, beat(case.counter)))
    with store.read() as s:
        fleet = fleet_status(s)
    assert fleet.counters[0].last_scan_at is not None


def test_fleet_on_an_unreachable_or_empty_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fleet", "--db", "postgresql+psycopg://u:pw@127.0.0.1:9/x", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["error"] == "DATABASE" and "pw" not in out["message"]
    url = f"sqlite:///{tmp_path / 'c.db'}"
    assert main(["db", "upgrade", "--db", url]) == 0
    capsys.readouterr()
    assert main(["fleet", "--db", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counters"] == []


def test_versions_compare_as_numbers() -> None:
    assert newer("0.10.0", "0.9.9") and not newer("0.9.9", "0.10.0") and not newer("1.0", "1.0")


def test_a_hostile_heartbeat_is_bounded_on_every_backend(store: CaseStore) -> None:
    """What a PC reports (host name, version, doctor details) never exceeds a column
    nor holds what PostgreSQL refuses (NUL, lone surrogates)."""
    hostile = Beat(office="3210000\x00" * 4, counter="창" * 300, host="pc\x00" * 100,
                   version="9" * 100, config_hash="z" * 500,
                   problems=[{"id": "x\udcff", "status": "fail", "detail": "\x00" * 5000}])
    store.write(lambda s: write_heartbeat(s, hostile))
    with store.read() as s:
        row = s.scalars(select(Heartbeat)).one()
        fleet = fleet_status(s)
    assert len(row.counter) == 64 and len(row.host) == 128 and len(row.version) == 32
    assert len(row.office) == 16 and len(row.config_hash) == 64 and "\x00" not in row.host
    assert fleet.counters[0].problems[0]["status"] == "fail"


def test_clock_skew_a_refused_configuration_and_failed_updates_are_flagged(
    store: CaseStore, capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    store.write(lambda s: write_heartbeat(s, beat("민원1", clock_skew_s=3)))
    store.write(lambda s: write_heartbeat(s, beat("민원2", clock_skew_s=95)))
    store.write(lambda s: write_heartbeat(s, beat("민원3", config_refused=True)))
    store.write(lambda s: write_heartbeat(s, beat("민원4", update_state="expired",
                                                  update_detail='{"running": "0.2.0"}')))
    store.write(lambda s: write_heartbeat(s, beat("민원5", update_state="ok")))
    with store.read() as s:
        fleet = fleet_status(s)
    issues = {c.counter: c.issues() for c in fleet.counters}
    assert issues == {"민원1": [], "민원2": ["clock"], "민원3": ["config-refused"],
                      "민원4": ["update-failed"], "민원5": []}
    assert fleet.counters[0].counter == "민원3"  # a refused one is failing: first
    assert main(["fleet", "--db", db_url]) == 1
    out = capsys.readouterr().out
    assert "시계 차이/clock" in out and "설정 거부/config-refused" in out
    assert "업데이트 실패/update-failed (expired)" in out
