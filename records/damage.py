"""Finding the row a read tripped on: garbage in a typed column becomes DB_DAMAGED naming it.

SQLite stores whatever a program outside ours writes into a column: text in
a date column, words in a count. SQLAlchemy then fails while turning the row
into Python (``ValueError: Couldn't parse datetime string``), deep inside a
query. :func:`locate` looks for such a value with plain SQL (SQLite's own
``datetime()`` and ``typeof()``), and :func:`damaged_row` is the error that
names the table, the row and the column, so IT staff can find it. PostgreSQL
checks types itself: nothing of the kind can be stored there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

from records.errors import DatabaseDamaged

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# The column that names a row for a person better than its rowid, where the table has one.
_ROW_NAMES = ("case_number", "name", "counter", "key", "seq")


@dataclass(frozen=True)
class BadValue:
    table: str
    rowid: int
    column: str
    row_name: str  # e.g. "case_number=2026-0001", or "" when the table has no such column

    def where(self) -> str:
        named = f" ({self.row_name})" if self.row_name else ""
        return f"{self.table} 행 rowid={self.rowid}{named}, 열 {self.column}"

    def where_en(self) -> str:
        named = f" ({self.row_name})" if self.row_name else ""
        return f"table {self.table}, row rowid={self.rowid}{named}, column {self.column}"


def _check(decl: str, col: str) -> str | None:
    """The SQL condition that a value of this declared type cannot be read back."""
    decl = decl.upper()
    if decl in ("DATETIME", "TIMESTAMP"):
        return f'("{col}" IS NOT NULL AND (typeof("{col}") != \'text\' OR datetime("{col}") IS NULL))'
    if decl == "DATE":
        return f'("{col}" IS NOT NULL AND (typeof("{col}") != \'text\' OR date("{col}") IS NULL))'
    if decl in ("INTEGER", "BIGINT", "SMALLINT", "BOOLEAN"):
        return f'(typeof("{col}") NOT IN (\'integer\', \'null\'))'
    return None


def locate_in(conn: Connection) -> BadValue | None:
    """The first value of a typed column that cannot be read back, on SQLite; else None."""
    if conn.dialect.name != "sqlite":
        return None
    tables = [r[0] for r in conn.execute(text(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"))]
    for table in tables:
        if not _NAME.fullmatch(table):
            continue
        columns = [(r[1], r[2] or "") for r in conn.execute(text(f'PRAGMA table_info("{table}")'))]
        names = {c for c, _ in columns}
        for col, decl in columns:
            cond = _check(decl, col) if _NAME.fullmatch(col) else None
            if cond is None:
                continue
            row = conn.execute(text(f'SELECT rowid FROM "{table}" WHERE {cond} LIMIT 1')).first()
            if row is None:
                continue
            rowid = int(row[0])
            named = next((n for n in _ROW_NAMES if n in names and n != col), None)
            row_name = ""
            if named:
                value = conn.execute(text(f'SELECT "{named}" FROM "{table}" WHERE rowid = :r'),
                                     {"r": rowid}).scalar()
                row_name = f"{named}={str(value)[:64]}"
            return BadValue(table, rowid, col, row_name)
    return None


def locate(engine: Engine) -> BadValue | None:
    try:
        with engine.connect() as conn:
            return locate_in(conn)
    except Exception:  # the search is a courtesy: a database too damaged to search says so elsewhere
        return None


def damaged_row(bad: BadValue, url: str) -> DatabaseDamaged:
    where = make_url(url).render_as_string(hide_password=True)
    details: dict[str, Any] = {"database": where, "table": bad.table, "rowid": bad.rowid,
                               "column": bad.column}
    if bad.row_name:
        details["row"] = bad.row_name
    return DatabaseDamaged(
        f"데이터베이스의 한 행이 손상되었습니다 (읽을 수 없는 값): {bad.where()}. 프로그램 밖에서 "
        "바뀐 것입니다. 전산 담당자에게 연락해 백업에서 복구해 주세요.",
        f"a row of the database is damaged (a value that cannot be read): {bad.where_en()}. "
        "It was changed outside the program; call IT staff to restore it from a backup.",
        details,
    )
