"""The lengths and characters every stored string must keep to.

PostgreSQL refuses a string longer than its ``VARCHAR(n)`` column
(``StringDataRightTruncation``) and any string holding NUL; SQLite takes
both. So the document rules (``decoding.document``) keep every value from a
petition within its column, the configuration and the CLI refuse clerk,
counter and office names that do not fit, and, as the last line, every flush
checks every string of every row against its column
(:func:`check_row_strings`): an overlong value is a clear
:class:`~records.errors.InvalidChange` naming the column, on every backend,
never a driver error half-way through an intake.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import String, event
from sqlalchemy.orm import Session

from decoding.document import MAX_NAME, MAX_RELATION
from decoding.text import is_unicode_text
from records.errors import InvalidChange
from records.models import Base

OFFICE = re.compile(r"[0-9A-Za-z]{1,16}")


def column_length(table: str, column: str) -> int:
    """The declared length of a ``VARCHAR(n)`` column of the case database."""
    length = getattr(Base.metadata.tables[table].c[column].type, "length", None)
    assert isinstance(length, int), (table, column)
    return length


MAX_CLERK = column_length("cases", "clerk")  # 64
MAX_COUNTER = column_length("cases", "counter")  # 64
MAX_REASON = 2000

# The document rules fit the columns (tests/records/test_limits.py checks each pair).
assert column_length("cases", "applicant_name") >= MAX_NAME
assert column_length("cases", "delegate_name") >= MAX_NAME
assert column_length("cases", "delegate_relation") >= MAX_RELATION


def office_problem(office: object) -> tuple[str, str] | None:
    """Why ``office`` cannot be an office code (part of every case number), or None."""
    if not isinstance(office, str) or not OFFICE.fullmatch(office):
        return ("기관 코드는 영문자·숫자 1~16자입니다 (예: 3210000)",
                "an office code is 1 to 16 ASCII letters or digits (e.g. 3210000)")
    return None


def name_problem(value: object, what: str, limit: int) -> tuple[str, str] | None:
    """Why a clerk or counter name cannot be stored, or None."""
    if not isinstance(value, str) or not value.strip():
        return f"{what}이(가) 비어 있습니다", f"{what} is empty"
    if len(value) > limit:
        return f"{what}은(는) {limit}자 이내입니다", f"{what} must be at most {limit} characters"
    if not is_unicode_text(value) or any(ord(c) < 32 or ord(c) == 127 for c in value):
        return f"{what}에 쓸 수 없는 문자가 있습니다", f"{what} contains control characters"
    return None


def check_case_values(new: Any) -> None:
    """Refuse a new case whose office, clerk or counter cannot be stored."""
    for problem in (
        office_problem(new.office),
        name_problem(new.clerk, "clerk", MAX_CLERK),
        name_problem(new.counter, "counter", MAX_COUNTER),
    ):
        if problem is not None:
            raise InvalidChange(f"접수할 수 없습니다: {problem[0]}",
                                f"cannot record the case: {problem[1]}")


def check_row_strings(row: Any) -> None:
    """Every string column of ``row`` within its length, with no NUL and no lone surrogate."""
    table = row.__table__
    for column in table.columns:
        value = getattr(row, column.key, None)
        if not isinstance(value, str):
            continue
        where = f"{table.name}.{column.key}"
        length = getattr(column.type, "length", None)
        if isinstance(column.type, String) and length is not None and len(value) > length:
            raise InvalidChange(
                f"{where} 값이 너무 깁니다 ({len(value)}자, 최대 {length}자). 저장하지 않았습니다.",
                f"{where} is too long ({len(value)} characters, at most {length}); "
                "nothing was saved.", {"column": where, "length": len(value), "limit": length})
        if "\x00" in value or not is_unicode_text(value):
            raise InvalidChange(
                f"{where} 값에 저장할 수 없는 문자가 있습니다. 저장하지 않았습니다.",
                f"{where} holds a character that cannot be stored (NUL or a lone surrogate); "
                "nothing was saved.", {"column": where})


@event.listens_for(Session, "before_flush")
def _check_before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for row in (*session.new, *session.dirty):
        if hasattr(row, "__table__"):
            check_row_strings(row)
