"""What the store hands out: plain frozen dataclasses, masked, with no session attached."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from records.models import CaseStatus

KST = dt.timezone(dt.timedelta(hours=9), "KST")


def kst(when: dt.datetime) -> str:
    return when.astimezone(KST).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class Receipt:
    """A recorded case: printed by ``counter-app intake`` once the commit is durable."""

    case_id: int
    case_number: str
    received_at: dt.datetime
    status: CaseStatus = CaseStatus.RECEIVED
    reason: str = ""  # why it was returned (반려), told to the citizen

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": True, "case_number": self.case_number,
                               "case_id": self.case_id}
        if self.status is not CaseStatus.RECEIVED:
            out["status"] = str(self.status)
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class CaseRow:
    """One line of a day's list."""

    id: int
    case_number: str
    received_at: dt.datetime
    status: str
    form_code: str
    form_codes: str
    applicant_name: str
    applicant_rrn_masked: str | None
    delegate_name: str | None
    clerk: str
    counter: str
    source: str

    def to_json(self) -> dict[str, Any]:
        return {
            "case_id": self.id,
            "case_number": self.case_number,
            "received_at": self.received_at.isoformat(),
            "received_at_kst": kst(self.received_at),
            "status": self.status,
            "form_code": self.form_code,
            "forms": self.form_codes.split(","),
            "applicant": self.applicant_name,
            "applicant_rrn": self.applicant_rrn_masked,
            "delegate": self.delegate_name,
            "clerk": self.clerk,
            "counter": self.counter,
            "source": self.source,
        }


@dataclass(frozen=True)
class AttachmentView:
    kind: str
    position: int
    sha256: str
    size: int
    media_type: str
    name: str | None
    path: Path

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "position": self.position, "sha256": self.sha256,
            "size": self.size, "media_type": self.media_type, "name": self.name,
            "path": str(self.path),
        }


@dataclass(frozen=True)
class StatusView:
    at: dt.datetime
    status: str
    reason: str | None
    clerk: str
    counter: str

    def to_json(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "status": self.status, "reason": self.reason,
                "clerk": self.clerk, "counter": self.counter}


@dataclass(frozen=True)
class CorrectionView:
    field: str
    before: str | None
    after: str | None
    clerk: str
    at: dt.datetime

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "before": self.before, "after": self.after,
                "clerk": self.clerk, "at": self.at.isoformat()}


@dataclass(frozen=True)
class CaseDetail:
    """Everything about one case, masked: what ``cases show`` prints and the window displays."""

    row: CaseRow
    payload_id: str | None
    form_ver: int
    status_reason: str | None
    closed_at: dt.datetime | None
    delegate_relation: str | None
    delegate_rrn_masked: str | None
    document: dict[str, Any]
    attachments: list[AttachmentView] = field(default_factory=list)
    history: list[StatusView] = field(default_factory=list)
    corrections: list[CorrectionView] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = self.row.to_json()
        out.update(
            payload_id=self.payload_id,
            form_ver=self.form_ver,
            status_reason=self.status_reason,
            closed_at=self.closed_at.isoformat() if self.closed_at else None,
            delegate_relation=self.delegate_relation,
            delegate_rrn=self.delegate_rrn_masked,
            document=self.document,
            attachments=[a.to_json() for a in self.attachments],
            history=[h.to_json() for h in self.history],
            corrections=[c.to_json() for c in self.corrections],
        )
        return out
