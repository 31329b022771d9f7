"""Checks at intake: the number counter against the cases, and what may be stored as a file.

A counter set back is named, not an IntegrityError; an attachment is a plain
file of bounded size, never followed through a symbolic link.

``case_counters`` holds the last serial of each office and year. Set back by
SQL (or by restoring the table alone), the next intake would take a number
that a case already has, and fail deep in the database with a unique
constraint error. :func:`check_not_taken` says what happened instead, before
anything is written.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from decoding.limits import ATTACHMENT_BYTES, read_plain_file
from records.errors import InvalidChange, Tampered
from records.models import Case


def attachment_bytes(content: bytes | Path) -> bytes:
    """An attachment's bytes; a path must name a plain file (no symbolic link, device or folder)
    of at most :data:`decoding.limits.ATTACHMENT_BYTES`. Every entry point stores through here."""
    if isinstance(content, bytes):
        return content
    try:
        return read_plain_file(content, ATTACHMENT_BYTES)
    except OSError as exc:
        raise InvalidChange(
            f"첨부 파일을 저장할 수 없습니다: {content} ({exc.strerror})",
            f"the attachment {content} cannot be stored: {exc.strerror}",
            {"file": str(content)},
        ) from None


def check_not_taken(session: Session, office: str, year: int, serial: int) -> None:
    """Raise :class:`Tampered` (DB_TAMPERED) if a case of ``office``/``year`` has ``serial`` or above."""
    used = session.execute(
        select(func.max(Case.serial)).where(Case.office == office, Case.year == year)
    ).scalar_one()
    if used is None or used < serial:
        return
    raise Tampered(
        f"접수번호 카운터가 되돌려졌습니다: {office} {year}년의 다음 번호 {serial} 은(는) 이미 "
        f"쓰였습니다 (마지막 번호 {used}). 접수하지 않았습니다. 전산 담당자에게 연락해 주세요.",
        f"the case number counter was set back: the next number of {office}/{year}, {serial}, "
        f"is taken already (highest {used}); nothing was received. Call IT staff.",
        {"table": "case_counters", "office": office, "year": year, "counter": serial,
         "highest": int(used)},
    )
