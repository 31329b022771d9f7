"""The window's intake on top of the case store (:class:`records.store.CaseStore`).

Called on the session's worker thread only. It turns a checked petition into
a :class:`records.store.NewCase` (the document with the clerk's corrections
applied, the pages and the seal as files, the corrections as before/after),
and writes reveals of resident registration numbers to the audit trail.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from decoding.errors import ErrorCode, PayloadError
from records.errors import AlreadyReceived
from records.store import CaseStore, NewCase
from ui.backend import Checked, Receipt, person_dict
from ui.draft import Correction, Page

KST = dt.timezone(dt.timedelta(hours=9))


def document_dict(checked: Checked) -> dict[str, Any]:
    """The petition document as recorded: the raw one with the forms' (corrected) fields."""
    doc = dict(checked.document.raw)
    doc["applicant"] = person_dict(checked.document.applicant)
    if checked.document.delegate is not None:
        doc["delegate"] = person_dict(checked.document.delegate)
    doc["forms"] = [{"code": f.code, "ver": f.ver, "fields": dict(f.fields)}
                    for f in checked.document.forms]  # fmt: skip
    return doc


class StoreIntake:
    """``seen`` / ``record`` / ``reveal`` for :class:`ui.backend.Backend`."""

    def __init__(self, store: CaseStore, office: str, clerk: str, counter: str) -> None:
        self.store = store
        self.office = office
        self.clerk = clerk
        self.counter = counter

    def seen(self, payload_id: str) -> str | None:
        first = self.store.find_by_payload(payload_id)
        if first is None:
            return None
        when = first.received_at.astimezone(KST).strftime("%Y-%m-%d %H:%M")
        return f"{first.case_number} ({when}, {first.counter} {first.clerk})"

    def record(
        self,
        checked: Checked,
        pages: list[Page],
        seal: str | None,
        corrections: list[Correction],
        status: str,
        reason: str,
    ) -> Receipt:
        new = NewCase(
            office=self.office,
            document=document_dict(checked),
            payload_id=checked.document.id if checked.origin == "scan" else None,
            clerk=self.clerk,
            counter=self.counter,
            source="qr" if checked.origin == "scan" else "paper",
            pages=[Path(p.path) for p in pages],
            seal=Path(seal) if seal else None,
            corrections=[(f"{c.form}.{c.field}", c.before, c.after) for c in corrections],
            detail={"attachments": [p.attachment for p in pages]},
        )
        try:
            rec = self.store.record(new)
        except AlreadyReceived as exc:
            raise PayloadError(ErrorCode.REPLAY, exc.message_ko, exc.message_en) from exc
        if status == "returned":
            self.store.set_status(rec.case_id, "returned", clerk=self.clerk,
                                  counter=self.counter, reason=reason)  # fmt: skip
        return Receipt(rec.case_number, rec.case_id, status, rec.received_at.timestamp(), reason)

    def reveal(self, checked: Checked, who: list[str]) -> None:
        self.store.log(
            "reveal_rrn", None, clerk=self.clerk, counter=self.counter,
            detail={"payload_id": checked.document.id, "fields": who, "at": time.time()},
        )  # fmt: skip

