"""The migrations build exactly the models' schema; upgrading is idempotent and race-safe."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select

import records.accounts  # noqa: F401  (its tables are part of the schema)
from records import db
from records.models import Base, Case
from tests.records.support import new_case, open_test_store


def test_migrations_match_models(db_url: str) -> None:
    engine = db.make_engine(db_url)
    try:
        assert db.upgrade(engine, db_url) is True
        assert db.upgrade(engine, db_url) is False
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
        assert db.current_revision(engine, db_url) == db.head_revision()
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        names = {ix["name"] for ix in inspect(engine).get_indexes("cases")}
        assert "ix_cases_received_at" in names
    finally:
        engine.dispose()


def test_stores_opening_at_once_create_the_schema_once(db_url: str, tmp_path: Path) -> None:
    errors: list[BaseException] = []

    def opener() -> None:
        try:
            with open_test_store(db_url, tmp_path) as s:
                s.record(new_case())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    with open_test_store(db_url, tmp_path) as s, s.read() as session:
        assert session.execute(select(func.count()).select_from(Case)).scalar_one() == 4


class _Cursor:
    """A connection's cursor whose WAL switch is refused ``locked`` times, as SQLite refuses
    it at once while another connection holds the file (no busy timeout for it)."""

    def __init__(self, locked: int, mode: str = "delete", error: str = "database is locked") -> None:
        self.locked, self.mode, self.error = locked, mode, error
        self.sql: list[str] = []

    def execute(self, sql: str) -> _Cursor:
        self.sql.append(sql)
        if sql == "PRAGMA journal_mode = WAL":
            if self.locked:
                self.locked -= 1
                raise sqlite3.OperationalError(self.error)
            self.mode = "wal"
        return self

    def fetchone(self) -> tuple[str]:
        return (self.mode,)


def test_the_wal_switch_waits_out_a_lock_sqlite_does_not_wait_for() -> None:
    cur = _Cursor(locked=3)
    db._write_ahead_log(cur, busy_timeout=5)
    assert cur.mode == "wal" and cur.sql.count("PRAGMA journal_mode = WAL") == 4
    done = _Cursor(locked=0, mode="wal")  # already in WAL mode (kept in the file): not switched again
    db._write_ahead_log(done, busy_timeout=5)
    assert done.sql == ["PRAGMA journal_mode"]
    with pytest.raises(sqlite3.OperationalError, match="locked"):  # for longer than the timeout
        db._write_ahead_log(_Cursor(locked=1000), busy_timeout=0.2)
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):  # other errors at once
        db._write_ahead_log(_Cursor(locked=1, error="disk I/O error"), busy_timeout=5)
