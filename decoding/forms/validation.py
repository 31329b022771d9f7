"""Checking a petition's forms against the catalogue (spec steps ``MW_FORM_UNKNOWN``
and ``MW_FIELD_INVALID``).

:func:`validate_document` lists every :class:`Finding` of a decoded document;
:func:`check_document` turns them into the reader's verdict. The same
:func:`validate_fields` checks a paper petition the clerk typed in. Messages
name the field, never its value: findings end up in logs and error details,
and values may be resident registration numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from decoding.document import Document, FormEntry, Person
from decoding.errors import ErrorCode, PayloadError
from decoding.forms.identifiers import Severity, rrn_birth_date
from decoding.forms.model import FieldDef, FormDef
from decoding.forms.validators import is_empty, validate_value

if TYPE_CHECKING:
    from decoding.forms.catalogue import Catalogue

_PERSON_KO = {"applicant": "신청인", "delegate": "대리인"}


@dataclass(frozen=True)
class Finding:
    """One problem of one field of one form. ``field`` is None for the form as a whole."""

    form: str
    field: str | None
    severity: Severity
    message_ko: str
    message_en: str

    @property
    def message(self) -> str:
        return f"{self.message_ko} ({self.message_en})"

    def to_json(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "field": self.field,
            "severity": self.severity,
            "message": self.message,
            "message_ko": self.message_ko,
            "message_en": self.message_en,
        }


def person_value(person: Person | None, member: str) -> Any:
    """A person's member as a form field value (the address as an object)."""
    if person is None:
        return None
    if member == "address":
        a = person.address
        if a is None:
            return None
        return {
            k: v
            for k, v in (("postcode", a.postcode), ("road", a.road), ("detail", a.detail))
            if v is not None
        }
    value: Any = getattr(person, member)
    return value


def _merge(
    formdef: FormDef, fields: Mapping[str, Any], applicant: Person | None, delegate: Person | None
) -> dict[str, Any]:
    people = {"applicant": applicant, "delegate": delegate}
    merged: dict[str, Any] = {}
    for fd in formdef.fields:
        if fd.id in fields and not is_empty(fields[fd.id]):
            merged[fd.id] = fields[fd.id]
        elif fd.source:
            value = person_value(people[fd.source_person or ""], fd.source_member or "")
            if not is_empty(value):
                merged[fd.id] = value
    return merged


def resolved_fields(
    formdef: FormDef, doc: Document, entry: FormEntry | None = None
) -> dict[str, Any]:
    """Every field of ``formdef`` that has a value: the form's own values, the rest
    filled from ``applicant``/``delegate`` (what the window and the printout show).

    ``entry`` picks one of the document's forms; by default the first with this
    code and version.
    """
    if entry is None:
        entry = next(
            (e for e in doc.forms if e.code == formdef.code and e.ver == formdef.ver),
            FormEntry(formdef.code, formdef.ver, {}),
        )
    return _merge(formdef, entry.fields, doc.applicant, doc.delegate)


def _label(fd: FieldDef) -> tuple[str, str]:
    return fd.label_ko, fd.label_en


def validate_fields(
    formdef: FormDef,
    fields: Mapping[str, Any],
    applicant: Person | None,
    delegate: Person | None = None,
) -> list[Finding]:
    """Findings for one form's values; ``applicant``/``delegate`` fill autofilled fields."""
    code = formdef.code
    findings: list[Finding] = []
    merged = _merge(formdef, fields, applicant, delegate)
    for fd in formdef.fields:
        if fd.source_person == "delegate" and delegate is None and fd.id not in merged:
            continue  # delegate fields only apply to proxy applications
        required = fd.required or bool(fd.required_if and fd.required_if.holds(merged))
        value = merged.get(fd.id)
        ko, en = _label(fd)
        if value is None:
            if required:
                if fd.source:
                    who = _PERSON_KO[fd.source_person or "applicant"]
                    findings.append(
                        Finding(
                            code,
                            fd.id,
                            "error",
                            f"{ko}: 필수 항목입니다 ({who} 정보 {fd.source}에서 채웁니다)",
                            f"{en}: required (filled from {fd.source})",
                        )
                    )
                else:
                    findings.append(
                        Finding(code, fd.id, "error", f"{ko}: 필수 항목입니다", f"{en}: required")
                    )
            continue
        for p in validate_value(fd, value):
            findings.append(
                Finding(code, fd.id, p.severity, f"{ko}: {p.message_ko}", f"{en}: {p.message_en}")
            )
    known = {fd.id for fd in formdef.fields}
    for extra in sorted(set(fields) - known):
        findings.append(
            Finding(
                code,
                extra,
                "warning",
                f"서식 '{formdef.title_ko}'에 없는 항목이라 무시합니다",
                f"not a field of form {code} ver {formdef.ver}; ignored",
            )
        )
    if delegate is not None:
        findings.extend(_proxy_findings(formdef))
    return findings


def _proxy_findings(formdef: FormDef) -> list[Finding]:
    rule = formdef.proxy
    code = formdef.code
    if rule.kind == "forbidden":
        return [
            Finding(
                code,
                "delegate",
                "error",
                f"{formdef.title_ko}은(는) 대리 신청을 할 수 없습니다: {rule.reason_ko}",
                f"{formdef.title_en} cannot be applied for by a delegate: {rule.reason_en}",
            )
        ]
    if rule.handwritten:
        return [
            Finding(
                code,
                "delegate",
                "warning",
                f"{formdef.title_ko}: QR로 만든 위임장은 쓸 수 없습니다. {rule.reason_ko}",
                f"{formdef.title_en}: a QR-made power of attorney cannot be used. {rule.reason_en}",
            )
        ]
    if rule.kind == "restricted":
        return [
            Finding(
                code,
                "delegate",
                "warning",
                f"{formdef.title_ko}: 대리 신청 제한 — {rule.needs_ko}",
                f"{formdef.title_en}: restricted proxy — {rule.needs_en or rule.needs_ko}",
            )
        ]
    return []


def _unknown_form(entry: FormEntry, catalogue: Catalogue) -> Finding:
    other = sorted(f.ver for f in catalogue.forms if f.code == entry.code)
    if other:
        known = ", ".join(str(v) for v in other)
        return Finding(
            entry.code,
            None,
            "error",
            f"서식 {entry.code}의 버전 {entry.ver}을(를) 모릅니다 (아는 버전: {known}). "
            "프로그램의 서식 목록을 갱신해야 할 수 있습니다.",
            f"Form {entry.code} version {entry.ver} is unknown (known: {known}); "
            "the form catalogue may need an update.",
        )
    return Finding(
        entry.code,
        None,
        "error",
        f"알 수 없는 민원 서식입니다: {entry.code} (버전 {entry.ver})",
        f"Unknown petition form: {entry.code} (version {entry.ver})",
    )


def _person_findings(doc: Document) -> list[Finding]:
    findings = []
    for role, person in (("applicant", doc.applicant), ("delegate", doc.delegate)):
        if person is None or not person.rrn or not person.birth:
            continue
        born = rrn_birth_date(person.rrn)
        if born is not None and born.isoformat() != person.birth:
            findings.append(
                Finding(
                    "",
                    f"{role}.birth",
                    "warning",
                    f"{_PERSON_KO[role]}의 생년월일과 주민등록번호 앞자리가 다릅니다",
                    f"the {role}'s birth date differs from the resident registration number",
                )
            )
    return findings


def validate_document(doc: Document, catalogue: Catalogue) -> list[Finding]:
    """Every finding of every form of ``doc``; an unknown form is an error finding."""
    # Imported here: the delegation module builds on this one's Finding.
    from decoding.forms.delegation import poa_findings

    findings = _person_findings(doc)
    for entry in doc.forms:
        formdef = catalogue.get(entry.code, entry.ver)
        if formdef is None:
            findings.append(_unknown_form(entry, catalogue))
            continue
        findings.extend(validate_fields(formdef, entry.fields, doc.applicant, doc.delegate))
        findings.extend(poa_findings(doc, formdef, entry))
    return findings


def check_document(doc: Document, catalogue: Catalogue) -> list[Finding]:
    """The reader's last two steps: raise ``MW_FORM_UNKNOWN`` / ``MW_FIELD_INVALID``,
    or return the warnings the clerk should see."""
    findings = validate_document(doc, catalogue)
    details = {"findings": [f.to_json() for f in findings]}
    unknown = [f for f in findings if f.field is None and f.severity == "error"]
    if unknown:
        raise PayloadError(
            ErrorCode.FORM_UNKNOWN,
            " / ".join(f.message_ko for f in unknown),
            " / ".join(f.message_en for f in unknown),
            details,
        )
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        first = errors[0]
        more_ko = f" 외 {len(errors) - 1}건" if len(errors) > 1 else ""
        more_en = f" and {len(errors) - 1} more" if len(errors) > 1 else ""
        raise PayloadError(
            ErrorCode.FIELD_INVALID,
            f"신청서 항목에 잘못된 값이 있습니다: [{first.form}] {first.message_ko}{more_ko}",
            f"The petition has invalid values: [{first.form}] {first.message_en}{more_en}",
            details,
        )
    return [f for f in findings if f.severity == "warning"]
