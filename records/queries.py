"""Reading cases: a day's list, one case in full (masked), a date range for export.

Lists select only the columns they show, through the ``received_at`` index,
so a day of a million-case database lists in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from records.files import AttachmentStore, is_content_hash
from records.models import Attachment, Case, Correction, StatusChange
from records.views import (
    KST,
    AttachmentView,
    CaseDetail,
    CaseRow,
    CorrectionView,
    StatusView,
)

ROW_COLUMNS = (
    Case.id, Case.case_number, Case.received_at, Case.status, Case.form_code, Case.form_codes,
    Case.applicant_name, Case.applicant_rrn_masked, Case.delegate_name, Case.clerk,
    Case.counter, Case.source,
)


def day_bounds(first: dt.date, last: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    """UTC bounds of the Korean days ``first``..``last`` (inclusive), half-open."""
    last = last or first
    start = dt.datetime.combine(first, dt.time(), KST).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), KST).astimezone(dt.UTC)
    return start, end


def _rows_between(start: dt.datetime, end: dt.datetime, office: str | None) -> Select[*tuple[Any, ...]]:
    q: Select[*tuple[Any, ...]] = select(*ROW_COLUMNS).where(Case.received_at >= start, Case.received_at < end)
    if office:
        q = q.where(Case.office == office)
    return q.order_by(Case.received_at, Case.id)


def _row(r: Any) -> CaseRow:
    return CaseRow(*r)


def list_between(
    s: Session, first: dt.date, last: dt.date | None = None, office: str | None = None
) -> list[CaseRow]:
    start, end = day_bounds(first, last)
    return [_row(r) for r in s.execute(_rows_between(start, end, office))]


def iter_between(
    s: Session, first: dt.date, last: dt.date, office: str | None = None
) -> Iterator[CaseRow]:
    start, end = day_bounds(first, last)
    q = _rows_between(start, end, office).execution_options(yield_per=2000)
    for r in s.execute(q):
        yield _row(r)


def detail(s: Session, case: int | str, files: AttachmentStore) -> CaseDetail | None:
    q = select(Case).where(Case.id == case if isinstance(case, int) else Case.case_number == case)
    c = s.execute(q).scalar_one_or_none()
    if c is None:
        return None
    row = CaseRow(
        c.id, c.case_number, c.received_at, c.status, c.form_code, c.form_codes,
        c.applicant_name, c.applicant_rrn_masked, c.delegate_name, c.clerk, c.counter, c.source,
    )
    atts = s.execute(
        select(Attachment).where(Attachment.case_id == c.id)
        .order_by(Attachment.kind, Attachment.position)
    ).scalars()
    hist = s.execute(
        select(StatusChange).where(StatusChange.case_id == c.id).order_by(StatusChange.id)
    ).scalars()
    corr = s.execute(
        select(Correction).where(Correction.case_id == c.id).order_by(Correction.id)
    ).scalars()
    return CaseDetail(
        row=row,
        payload_id=c.payload_id,
        form_ver=c.form_ver,
        status_reason=c.status_reason,
        closed_at=c.closed_at,
        delegate_relation=c.delegate_relation,
        delegate_rrn_masked=c.delegate_rrn_masked,
        document=_masked_document(c.document_masked),
        attachments=[
            AttachmentView(a.kind, a.position, a.sha256, a.size, a.media_type, a.name,
                           files.path_of(a.sha256) if is_content_hash(a.sha256)
                           else files.root / ".not-a-content-hash")
            for a in atts
        ],
        history=[StatusView(h.at, h.status, h.reason, h.clerk, h.counter) for h in hist],
        corrections=[
            CorrectionView(k.field, k.before_masked, k.after_masked, k.clerk, k.at) for k in corr
        ],
    )


def _masked_document(text: str) -> dict[str, Any]:
    """The stored masked document; an edited row that is no JSON object shows as empty
    (``db check`` names the case) instead of failing every screen that lists it."""
    try:
        value = json.loads(text)
    except (ValueError, TypeError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}
