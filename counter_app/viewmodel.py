"""What the petition view shows, computed from a checked petition (no widgets here).

The widgets draw a :class:`PetitionView` and nothing else, so the rules of
what is shown (masking, autofilled values, findings beside their fields,
corrections, the attachment checklist, the power of attorney) are plain
Python that tests can read directly. A field's value and its text are the
form catalogue's own rules (:func:`decoding.forms.resolved_fields`: the
form's own value wins over the applicant's; :func:`decoding.forms.display_value`),
the same ones validation and the printouts use.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from counter_app.intake import Checked, Correction, Origin, WithFindings
from decoding.document import Address, Document, FormEntry, Person
from decoding.forms import (
    Catalogue,
    FieldDef,
    Finding,
    FormDef,
    power_of_attorney,
    render_html,
    resolved_fields,
)
from decoding.forms import display_value as field_text

RRN_TYPES = ("rrn", "frn")


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
    findings: list[Finding] = field(default_factory=list)
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
    form_findings: list[Finding]
    signature_required: bool = True


@dataclass
class PetitionView(WithFindings):
    origin: Origin
    payload_id: str | None
    applicant: Person
    delegate: Person | None
    forms: list[FormView]
    findings: list[Finding]

    @property
    def title(self) -> str:
        return " · ".join(f.title_ko for f in self.forms)


@functools.lru_cache(maxsize=64)
def _typed(ftype: str) -> FieldDef:
    return FieldDef(id="", label_ko="", label_en="", type=ftype)


def display_value(value: Any, ftype: str, reveal: bool = False) -> str:
    """A value as the clerk reads it (the catalogue's rule); RRNs masked unless ``reveal``."""
    if isinstance(value, Address):
        value = {k: v for k, v in vars(value).items() if v is not None}
    if ftype in RRN_TYPES and isinstance(value, str) and len(value) != 13 and reveal:
        return value
    return field_text(_typed(ftype), value, reveal_rrn=reveal) or "—"


def build_form_view(
    formdef: FormDef,
    doc: Document,
    entry: FormEntry,
    findings: Sequence[Finding],
    corrections: Sequence[Correction],
    page_counts: dict[str, int],
) -> FormView:
    by_field: dict[str, list[Finding]] = {}
    form_level: list[Finding] = []
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
    values = resolved_fields(formdef, doc, entry)  # the form's own value wins, as in validation
    sections = []
    for sec in formdef.sections:
        rows = []
        for fd in sec.fields:
            value = values.get(fd.id)
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
    effective = dict(entry.fields)
    effective.update({k: c.after for k, c in latest.items()})
    attachments = [
        AttachmentItem(a.name_ko, a.name_en, a.required, a.condition_ko, page_counts.get(a.name_ko, 0))
        for a in formdef.attachments_for(effective)
    ]
    if doc.delegate is not None:
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


def petition_view(
    checked: Checked,
    catalogue: Catalogue,
    corrections: Sequence[Correction] = (),
    page_counts: dict[str, int] | None = None,
) -> PetitionView:
    """The view model of a checked petition (fast, pure; fine on the GUI thread)."""
    doc = checked.document
    findings = list(checked.findings)
    forms = []
    for entry in doc.forms:
        formdef = catalogue.get(entry.code, entry.ver)
        if formdef is not None:
            forms.append(build_form_view(formdef, doc, entry, findings, corrections,
                                         page_counts or {}))
    payload_id = doc.id if checked.origin is Origin.QR else None
    return PetitionView(checked.origin, payload_id, doc.applicant, doc.delegate, forms, findings)


def power_of_attorney_html(checked: Checked, catalogue: Catalogue) -> str:
    """The 위임장 of a proxy petition as it stands (the clerk's corrections in), the same
    page ``counter-app forms attorney --html`` prints; "" when there is no delegate."""
    poa = power_of_attorney(checked.document, catalogue)
    return render_html(poa) if poa is not None else ""
