"""Updates while other counters work: a failing migration loses nothing; N-1 runs on N's schema.

Each test copies the program's migrations into a folder and adds the next
release's: an *expand* migration (a new nullable column, ``oldest_reader``
the revision before it), a *contract* one (``oldest_reader`` itself), or one
that fails half-way while another counter is writing a case. Run on SQLite and
(with COUNTER_TEST_PG_URL) on PostgreSQL.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect

from records import db
from records.errors import SchemaOutdated
from tests.records.support import new_case, open_test_store

HEAD = db.head_revision()
NEXT = f"{int(HEAD) + 1:04d}"
AFTER = f"{int(HEAD) + 2:04d}"

EXPAND = f'''
import sqlalchemy as sa
from alembic import op
revision = "{NEXT}"
down_revision = "{HEAD}"
oldest_reader = "{HEAD}"  # expand: release N-1 ({HEAD}) still runs on this schema
def upgrade():
    op.add_column("cases", sa.Column("v2_note", sa.Text(), nullable=True))
'''

CONTRACT = f'''
import sqlalchemy as sa
from alembic import op
revision = "{AFTER}"
down_revision = "{NEXT}"
oldest_reader = "{NEXT}"  # contract: only releases that know {NEXT} run on it
def upgrade():
    op.create_table("v3_only", sa.Column("x", sa.Integer(), primary_key=True))
'''

FAILING = f'''
import os, time
from pathlib import Path
import sqlalchemy as sa
from alembic import op
revision = "{NEXT}"
down_revision = "{HEAD}"
def upgrade():
    op.add_column("cases", sa.Column("v2_note", sa.Text(), nullable=True))
    op.create_table("half_done", sa.Column("x", sa.Integer(), primary_key=True))
    gate = Path(os.environ["COUNTER_TEST_GATE"])
    (gate / "ready").touch()
    deadline = time.monotonic() + 60
    while not (gate / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    raise RuntimeError("migration {NEXT} failed: column exists")
'''


@pytest.fixture
def release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """``release(*scripts)`` points the migrations at a copy with the next release's scripts;
    ``release()`` with no scripts goes back to this program's own."""
    own = db.MIGRATIONS_DIR

    def use(*scripts: str) -> None:
        if not scripts:
            monkeypatch.setattr(db, "MIGRATIONS_DIR", own)
            return
        folder = tmp_path / f"migrations-{len(scripts)}"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(own, folder, ignore=shutil.ignore_patterns("__pycache__"))
        for i, body in enumerate(scripts):
            (folder / "versions" / f"{int(HEAD) + 1 + i:04d}_next.py").write_text(body)
        monkeypatch.setattr(db, "MIGRATIONS_DIR", folder)

    yield use


def _columns(url: str, table: str) -> set[str]:
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            insp = inspect(conn)
            if table not in insp.get_table_names():
                return set()
            return {c["name"] for c in insp.get_columns(table)}
    finally:
        engine.dispose()


def test_release_n_minus_1_runs_on_the_expanded_schema_of_n(
    db_url: str, tmp_path: Path, release: object
) -> None:
    use = release  # type: ignore[assignment]
    open_test_store(db_url, tmp_path).close()  # this release's schema
    use(EXPAND)  # the pilot counter runs release N: it migrates
    with open_test_store(db_url, tmp_path) as pilot:
        assert pilot.upgraded
        pilot.record(new_case())
    use()  # back to N-1, on the same database
    with open_test_store(db_url, tmp_path, migrate=False) as older:  # require_current
        receipt = older.record(new_case())
        assert older.get(receipt.case_id) is not None
    with open_test_store(db_url, tmp_path) as older:  # upgrade: nothing to do, nothing refused
        assert not older.upgraded
    engine = db.make_engine(db_url)
    try:
        state = db.schema_state(engine, db_url)
        assert (state.kind, state.current, state.oldest_reader, state.runs_here) == (
            "ahead", NEXT, HEAD, True)
    finally:
        engine.dispose()
    # The contract step (a later release) ends it: N-1 is refused with what to do.
    use(EXPAND, CONTRACT)
    open_test_store(db_url, tmp_path).close()
    use()
    for migrate in (True, False):
        with pytest.raises(SchemaOutdated, match="update check") as err:
            open_test_store(db_url, tmp_path, migrate=migrate)
        assert err.value.code == "DB_SCHEMA"


def test_a_migration_failing_while_another_counter_writes_loses_nothing(
    db_url: str, tmp_path: Path, release: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    use = release  # type: ignore[assignment]
    gate = tmp_path / "gate"
    gate.mkdir()
    monkeypatch.setenv("COUNTER_TEST_GATE", str(gate))
    with open_test_store(db_url, tmp_path) as other:
        before = other.record(new_case()).case_id
    use(FAILING)
    failures: list[BaseException] = []

    def updating_counter() -> None:
        engine = db.make_engine(db_url)
        try:
            db.upgrade(engine, db_url)
        except BaseException as exc:
            failures.append(exc)
        finally:
            engine.dispose()

    migrating = threading.Thread(target=updating_counter, name="migrating-counter")
    migrating.start()
    deadline = time.monotonic() + 60
    while not (gate / "ready").exists() and migrating.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert (gate / "ready").exists(), failures
    # Counter 2 (release N-1) writes a case while the migration holds its lock.
    use()
    written: list[int] = []

    def writing_counter() -> None:
        with open_test_store(db_url, tmp_path, migrate=False, busy_timeout=60) as store:
            written.append(store.record(new_case()).case_id)

    writer = threading.Thread(target=writing_counter, name="writing-counter")
    writer.start()
    (gate / "go").touch()
    migrating.join(timeout=90)
    writer.join(timeout=90)
    assert len(failures) == 1 and "column exists" in str(failures[0])
    assert len(written) == 1
    # Nothing of the failed migration is left, and both counters' cases are there.
    assert "v2_note" not in _columns(db_url, "cases")
    assert _columns(db_url, "half_done") == set()
    with open_test_store(db_url, tmp_path, migrate=False) as store:
        assert store.get(before) is not None
        assert store.get(written[0]) is not None
    engine = db.make_engine(db_url)
    try:
        assert db.current_revision(engine, db_url) == HEAD
    finally:
        engine.dispose()
