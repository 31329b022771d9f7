"""The migrations build exactly the models' schema; upgrading is idempotent and race-safe."""

from __future__ import annotations

import threading
from pathlib import Path

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
