"""Retention purge: closed cases go, with their own files; the numbering and the audit stay sound."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from records import audit, check, purge
from records.models import AuditEvent, PurgedCase
from records.store import CaseStore
from tests.records.support import KEY_PATH, new_case, open_test_store

REPO = Path(__file__).resolve().parents[2]


def test_purge_removes_closed_cases_only(store: CaseStore) -> None:
    shared_seal = b"\x89PNG the same seal on two cases"
    old_done = store.record(new_case(pages=[b"only mine"], seal=shared_seal))
    old_returned = store.record(new_case(pages=[b"mine too"]))
    still_open = store.record(new_case(seal=shared_seal))
    store.set_status(old_done.case_id, "completed", clerk="kim", counter="민원1")
    store.set_status(old_returned.case_id, "returned", reason="서류 미비", clerk="kim",
                     counter="민원1")
    own_files = [a.path for c in (old_done, old_returned) for a in store.get(c.case_id).attachments
                 if a.kind == "page"]
    seal_path = store.get(still_open.case_id).attachments[0].path

    # closed today: a purge of everything closed before today keeps them
    today = dt.datetime.now(dt.UTC).date()
    assert purge.purge(store, today - dt.timedelta(days=1), clerk="it", counter="전산").case_numbers == []
    result = purge.purge(store, today + dt.timedelta(days=2), clerk="it", counter="전산")
    assert sorted(result.case_numbers) == sorted([old_done.case_number, old_returned.case_number])
    assert result.files_removed == 2
    assert not any(p.exists() for p in own_files)
    assert seal_path.exists()  # still used by the open case
    assert [r.case_number for r in store.list_day(today, today + dt.timedelta(days=1))] == [
        still_open.case_number]
    with store.read() as s:
        tomb = set(s.execute(select(PurgedCase.case_number)).scalars())
        assert tomb == set(result.case_numbers)
        last = s.execute(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).scalar_one()
        assert last.action == "purge" and old_done.case_number in last.detail
        assert audit.verify(s, store.integrity_key()).ok
    assert check.check(store).ok  # the numbering gap is explained by the tombstones


def test_cli_purge(store: CaseStore) -> None:
    r = store.record(new_case(pages=[b"p"]))
    store.set_status(r.case_id, "completed", clerk="kim", counter="민원1")
    tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2)).isoformat()
    p = subprocess.run(
        [sys.executable, "-m", "app", "db", "purge", "--db", store.url, "--files",
         str(store.files.root), "--before", tomorrow, "--clerk", "it",
         "--key", str(KEY_PATH), "--data-key", str(store.key_file)],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out == {"ok": True, "before": tomorrow, "cases_removed": 1, "files_removed": 1}


def test_purged_data_is_gone_from_the_sqlite_file(tmp_path: Path) -> None:
    name = "삭제될민원인"
    store = open_test_store(f"sqlite:///{tmp_path / 'cases.db'}", tmp_path)
    try:
        case = new_case()
        case.document["applicant"]["name"] = name
        r = store.record(case)
        store.record(new_case())
        store.set_status(r.case_id, "completed", clerk="kim", counter="민원1")
        db_files = [tmp_path / "cases.db", tmp_path / "cases.db-wal"]
        assert any(name.encode() in f.read_bytes() for f in db_files if f.exists())
        later = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2)
        assert purge.purge(store, later, clerk="it", counter="전산").case_numbers == [
            r.case_number]
        for f in db_files:
            if f.exists():
                assert name.encode() not in f.read_bytes(), f
    finally:
        store.close()
    assert name.encode() not in (tmp_path / "cases.db").read_bytes()
