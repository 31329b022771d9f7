"""The case database around an update: a backup before, and after a failed migration
a restore only when it cannot cost a case.

A new release migrates the database itself (``NEW/counter-app db upgrade``,
:func:`records.db.upgrade`): one transaction on PostgreSQL, one exclusive
transaction on SQLite, so a migration that fails leaves nothing behind and the
backup is not needed. The backup is for a migration that left the database
half-changed anyway (a release whose migration commits in steps, a crash of the
disk). Other counters may have written cases since the backup was taken, so
:func:`after_failed_migration` compares, under a write lock that other counters
wait on:

* the schema is the backup's: the migration rolled back; nothing to restore
  (whatever other counters wrote is kept);
* the schema changed, and every table of the backup still holds exactly the
  backup's rows: nothing was written since; the backup's schema is put back in
  the same locked transaction;
* the schema changed *and* rows changed: restoring would erase what was written
  since the backup. Nothing is restored; the update is *blocked* and the program
  stops and says so, for IT to decide with both files in hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

# Bookkeeping a migration is expected to change; not "written by a counter".
_SCHEMA_TABLES = ("alembic_version", "sqlite_sequence", "sqlite_stat1")


@dataclass(frozen=True)
class Outcome:
    """What was done after a failed migration: ``untouched``, ``restored`` or ``blocked``."""

    kind: str
    detail: str = ""


def backup_database(url: str, backups: Path, label: str) -> Path | None:
    """A consistent copy of a SQLite database (the online backup API); None for a server."""
    from records.db import sqlite_path

    db_file = sqlite_path(url)
    if db_file is None or not db_file.exists():
        return None
    backups.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    target = backups / f"{db_file.stem}-before-{label}-{stamp}.db"
    with closing(sqlite3.connect(db_file)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def _schema(con: sqlite3.Connection, schema: str) -> dict[str, tuple[str, str, str]]:
    rows = con.execute(
        f"SELECT type, name, tbl_name, sql FROM {schema}.sqlite_master "
        "WHERE name NOT LIKE 'sqlite_%'"
    )
    return {name: (kind, table, sql or "") for kind, name, table, sql in rows}


def _digest(con: sqlite3.Connection, schema: str, table: str, columns: list[str]) -> str:
    cols = ", ".join(f'"{c}"' for c in columns)
    h = hashlib.sha256()
    # Ordered by every column: the same rows give the same digest in either file.
    order = ", ".join(str(i + 1) for i in range(len(columns)))
    for row in con.execute(f'SELECT {cols} FROM {schema}."{table}" ORDER BY {order}'):
        h.update(repr(row).encode())
    return h.hexdigest()


def _columns(con: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in con.execute(f'PRAGMA {schema}.table_info("{table}")')]


def after_failed_migration(url: str, backup: Path) -> Outcome:
    """Decide and do what a failed migration leaves to do (see the module docstring)."""
    from records.db import sqlite_path

    db_file = sqlite_path(url)
    if db_file is None:
        return Outcome("untouched", "server database: the migration's transaction rolled back")
    con = sqlite3.connect(db_file, timeout=600, isolation_level=None)
    try:
        con.execute("PRAGMA foreign_keys = OFF")  # tables are dropped and made again below
        con.execute("ATTACH DATABASE ? AS b", (str(backup),))
        # Other counters' writers wait here until the database is decided on.
        con.execute("BEGIN IMMEDIATE")
        try:
            outcome = _decide_and_restore(con)
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
        return outcome
    finally:
        con.close()


def _decide_and_restore(con: sqlite3.Connection) -> Outcome:
    now, then = _schema(con, "main"), _schema(con, "b")
    tables = [n for n, (kind, _t, _s) in then.items() if kind == "table"]
    versions = [
        (_digest(con, "main", "alembic_version", ["version_num"]) if "alembic_version" in now
         else ""),
        (_digest(con, "b", "alembic_version", ["version_num"]) if "alembic_version" in then
         else ""),
    ]
    if now == then and versions[0] == versions[1]:
        return Outcome("untouched", "the migration left no change; cases written since are kept")
    changed = []
    for table in tables:
        if table in _SCHEMA_TABLES:
            continue
        cols = _columns(con, "b", table)
        if table not in now or not set(cols) <= set(_columns(con, "main", table)):
            changed.append(table)
            continue
        if _digest(con, "main", table, cols) != _digest(con, "b", table, cols):
            changed.append(table)
    if changed:
        return Outcome(
            "blocked",
            "rows changed since the backup in: " + ", ".join(sorted(changed)[:10]),
        )
    # Nothing written since the backup: put its schema back (same rows).
    for name, (kind, _table, _sql) in now.items():
        if kind == "table" and (name not in then or now[name] != then[name]):
            con.execute(f'DROP TABLE main."{name}"')
        elif kind in ("index", "trigger", "view") and now[name] != then.get(name):
            con.execute(f'DROP {kind.upper()} IF EXISTS main."{name}"')
    after = _schema(con, "main")
    for name, (kind, _table, sql) in then.items():
        if kind == "table" and name not in after:
            con.execute(sql)  # CREATE TABLE without a schema name: into main
            con.execute(f'INSERT INTO main."{name}" SELECT * FROM b."{name}"')
    after = _schema(con, "main")
    for name, (kind, _table, sql) in then.items():
        if kind != "table" and name not in after and sql:
            con.execute(sql)
    if "alembic_version" in then:  # the revision the backup was at
        con.execute('DELETE FROM main."alembic_version"')
        con.execute('INSERT INTO main."alembic_version" SELECT * FROM b."alembic_version"')
    return Outcome("restored", "the backup's schema was put back; no row had changed")
