"""A locked database, an unreachable one, a full disk: a clear message, and nothing lost."""

from __future__ import annotations

import errno
import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, select, text

from records import check, files
from records.errors import DatabaseLocked, DatabaseUnavailable, StorageFull
from records.models import CaseCounter
from records.store import CaseStore
from tests.records.support import KEY_PATH, new_case, open_test_store

REPO = Path(__file__).resolve().parents[2]


def _hold_write_lock(store: CaseStore) -> Callable[[], None]:
    """Another counter in the middle of a long write: a connection holding the lock.

    Returns the function that lets go."""
    if store.engine.dialect.name == "sqlite":
        assert store.engine.url.database
        raw = sqlite3.connect(store.engine.url.database, isolation_level=None)
        raw.execute("BEGIN IMMEDIATE")
        return raw.close
    other = create_engine(store.url)
    conn = other.connect()
    conn.begin()
    conn.execute(select(CaseCounter).with_for_update())  # every counter row of this database
    conn.execute(text("SELECT * FROM audit_head FOR UPDATE"))

    def release() -> None:
        conn.close()
        other.dispose()

    return release


def test_locked_database_gives_a_clear_message_and_retry_works(db_url: str, tmp_path: Path) -> None:
    with open_test_store(db_url, tmp_path) as first:
        first.record(new_case())  # the counter rows exist, so the lock below covers them
        release = _hold_write_lock(first)
        try:
            with open_test_store(db_url, tmp_path, busy_timeout=0.3, attempts=2) as store:
                case = new_case(pages=[b"scanned while locked"])
                with pytest.raises(DatabaseLocked) as err:
                    store.record(case)
                assert "잠겨" in err.value.message_ko and "locked" in err.value.message_en
                assert "kept" in err.value.message_en
                # reading never waits for a writer
                assert store.get(1).row.case_number.endswith("000001")
        finally:
            release()
        # the lock is gone: the same petition goes in, with its files
        r = first.record(case)
        assert first.get(r.case_id).attachments[0].path.read_bytes() == b"scanned while locked"
        assert r.case_number.endswith("000002")
        assert check.check(first).ok


def test_unreachable_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailable) as err:
        open_test_store("postgresql+psycopg://nobody@127.0.0.1:1/cases", tmp_path)
    assert "연결할 수 없습니다" in err.value.message_ko and "cannot be reached" in err.value.message_en
    with pytest.raises(DatabaseUnavailable):
        open_test_store(f"sqlite:///{tmp_path / 'no such folder' / 'cases.db'}", tmp_path)


def test_cli_intake_on_unreachable_database(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "app", "intake", "--db",
         "postgresql+psycopg://nobody@127.0.0.1:1/cases", "--key", str(KEY_PATH), "-"],
        input="MW1:ANYTHING\n", cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert r.returncode == 1
    out = json.loads(r.stdout)
    assert out["ok"] is False and out["error"] == "DB_UNAVAILABLE"
    assert "Traceback" not in r.stderr


def test_full_disk_while_writing_attachments(
    store: CaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(out: Any, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    store.record(new_case())
    case = new_case(pages=[b"page one", b"page two"])
    with monkeypatch.context() as m:
        m.setattr(files, "_write_all", no_space)
        with pytest.raises(StorageFull) as err:
            store.record(case)
    assert "디스크가 가득" in err.value.message_ko and "disk is full" in err.value.message_en
    assert list(store.files.temp_files()) == []
    with store.read() as s:
        assert s.execute(text("SELECT count(*) FROM cases")).scalar_one() == 1
    r = store.record(case)  # space again: the same petition goes in
    assert r.case_number.endswith("000002")
    assert check.check(store).ok


def test_full_disk_in_the_sqlite_database(tmp_path: Path) -> None:
    store = open_test_store(f"sqlite:///{tmp_path / 'cases.db'}", tmp_path)
    try:
        store.record(new_case())

        def tiny(dbapi_connection: Any, _record: Any) -> None:
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        event.listen(store.engine, "connect", tiny)
        store.engine.dispose()
        big = new_case()
        big.document["forms"][0]["fields"]["purpose"] = "x" * 200_000
        with pytest.raises(StorageFull):
            store.record(big)
        event.remove(store.engine, "connect", tiny)
        store.engine.dispose()
        r = store.record(big)
        assert r.case_number.endswith("000002")
        assert check.check(store).ok
    finally:
        store.close()
