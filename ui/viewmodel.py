"""What the petition view shows, computed from a checked petition (no widgets here).

The widgets draw a :class:`PetitionView` and nothing else, so the rules of
what is shown (masking, autofilled values, findings beside their fields,
corrections, the attachment checklist, the power of attorney) are plain
Python that tests can read directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from decoding.document import Address, Person, mask_rrn
from decoding.forms.model import FieldDef, FormDef
from ui.draft import Correction

RRN_TYPES = ("rrn", "frn")


@dataclass(frozen=True)
class FindingView:
    form: str
    field: str | None
    severity: str  # "error" | "warning"
    message_ko: str
    message_en: str


@dataclass
class FieldRow:
    form: str
    id: str
    label_ko: str
    label_en: str
    type: str
    value: Any
    shown: str
    required: bool
    autofilled: bool
    findings: list[FindingView] = field(default_factory=list)
    corrected: Correction | None = None
    choices: tuple[str, ...] = ()

    @property
    def is_rrn(self) -> bool:
        return self.type in RRN_TYPES and bool(self.value)

    @property
    def severity(self) -> str | None:
        sev = {f.severity for f in self.findings}
        return "error" if "error" in sev else ("warning" if "warning" in sev else None)


@dataclass
class SectionView:
    title_ko: str
    title_en: str
    rows: list[FieldRow]


@dataclass
class AttachmentItem:
    name_ko: str
    name_en: str
    required: bool
    condition_ko: str
    pages: int = 0

    @property
    def done(self) -> bool:
        return self.pages > 0


@dataclass
class FormView:
    code: str
    ver: int
    title_ko: str
    title_en: str
    sections: list[SectionView]
    attachments: list[AttachmentItem]
    proxy_kind: str
    proxy_note_ko: str
    form_findings: list[FindingView]
    signature_required: bool = True


@dataclass
class PetitionView:
    origin: str  # "scan" | "paper"
    payload_id: str | None
    applicant: Person
    delegate: Person | None
    forms: list[FormView]
    findings: list[FindingView]

    @property
    def errors(self) -> list[FindingView]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[FindingView]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def title(self) -> str:
        return " · ".join(f.title_ko for f in self.forms)


def person_value(person: Person | None, member: str) -> Any:
    if person is None:
        return None
    return getattr(person, member, None)


def display_value(value: Any, ftype: str, reveal: bool = False) -> str:
    """A value as the clerk reads it; RRNs masked unless ``reveal``."""
    if value is None or value == "" or value == []:
        return "—"
    if ftype in RRN_TYPES and isinstance(value, str):
        if reveal:
            return f"{value[:6]}-{value[6:]}" if len(value) == 13 else value
        return mask_rrn(value)
    if isinstance(value, Address):
        return value.one_line()
    if isinstance(value, dict) and {"road", "postcode"} & set(value):
        return Address(value.get("postcode"), value.get("road"), value.get("detail")).one_line()
    if isinstance(value, bool):
        return "예" if value else "아니요"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if ftype == "money" and isinstance(value, int):
        return f"{value:,}원"
    if ftype == "brn" and isinstance(value, str) and len(value) == 10:
        return f"{value[:3]}-{value[3:5]}-{value[5:]}"
    return str(value)


def field_value(fd: FieldDef, fields: dict[str, Any], applicant: Person, delegate: Person | None) -> Any:
    """The field's value: its own, or filled from the applicant/delegate it names."""
    if fd.source:
        person = applicant if fd.source_person == "applicant" else delegate
        return person_value(person, fd.source_member or "")
    return fields.get(fd.id)


def build_form_view(
    formdef: FormDef,
    fields: dict[str, Any],
    applicant: Person,
    delegate: Person | None,
    findings: list[FindingView],
    corrections: list[Correction],
    page_counts: dict[str, int],
) -> FormView:
    by_field: dict[str, list[FindingView]] = {}
    form_level: list[FindingView] = []
    known = {f.id for f in formdef.fields}
    for fnd in findings:
        if fnd.form != formdef.code:
            continue
        if fnd.field and fnd.field in known:
            by_field.setdefault(fnd.field, []).append(fnd)
        else:
            form_level.append(fnd)
    latest: dict[str, Correction] = {}
    for c in corrections:
        if c.form == formdef.code:
            latest[c.field] = c
    sections = []
    for sec in formdef.sections:
        rows = []
        for fd in sec.fields:
            value = field_value(fd, fields, applicant, delegate)
            corr = latest.get(fd.id)
            if corr is not None:
                value = corr.after
            rows.append(
                FieldRow(
                    form=formdef.code, id=fd.id, label_ko=fd.label_ko, label_en=fd.label_en,
                    type=fd.type, value=value, shown=display_value(value, fd.type),
                    required=fd.required, autofilled=fd.source is not None,
                    findings=by_field.get(fd.id, []), corrected=corr, choices=fd.choices,
                )
            )
        sections.append(SectionView(sec.title_ko, sec.title_en, rows))
    effective = dict(fields)
    effective.update({k: c.after for k, c in latest.items()})
    attachments = [
        AttachmentItem(a.name_ko, a.name_en, a.required, a.condition_ko, page_counts.get(a.name_ko, 0))
        for a in formdef.attachments_for(effective)
    ]
    if delegate is not None:
        attachments.insert(0, AttachmentItem("위임장", "Power of attorney", True, "", page_counts.get("위임장", 0)))
        attachments.append(AttachmentItem("대리인 신분증 사본", "Delegate's ID copy", True, "",
                                          page_counts.get("대리인 신분증 사본", 0)))
    attachments.append(AttachmentItem("신분증 사본", "ID copy", False, "", page_counts.get("신분증 사본", 0)))
    note = formdef.proxy.needs_ko if formdef.proxy.kind == "restricted" else formdef.proxy.reason_ko
    return FormView(
        code=formdef.code, ver=formdef.ver, title_ko=formdef.title_ko, title_en=formdef.title_en,
        sections=sections, attachments=attachments, proxy_kind=formdef.proxy.kind,
        proxy_note_ko=note, form_findings=form_level,
    )
