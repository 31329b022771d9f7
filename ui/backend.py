"""The window's access to decoding, the form catalogue and the case database.

Everything here is plain Python, called on the session's worker thread
(never on the GUI thread): decrypting a scan, validating it against the
catalogue, writing the case. The window shows a petition with its findings so
the clerk can correct it, so field errors are findings here, not a rejection;
a payload that cannot be read (``MW_PREFIX`` ... ``MW_EXPIRED``), a replay
(``MW_REPLAY``) or an unknown form (``MW_FORM_UNKNOWN``) is a rejection.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from decoding.document import Address, Document, Person, parse_document
from decoding.errors import ErrorCode, PayloadError
from decoding.forms.catalogue import Catalogue
from decoding.forms.validation import Finding, validate_document
from decoding.keys import KeyRing
from decoding.payload import PartProgress, PartReader, make_document
from ui.draft import Correction, Draft, Page
from ui.viewmodel import FindingView, PetitionView, build_form_view

Progress = PartProgress


@dataclass(frozen=True)
class Checked:
    """A petition read and validated, ready to be shown, corrected and accepted."""

    origin: str  # "scan" | "paper"
    texts: tuple[str, ...]
    document: Document
    findings: tuple[Finding, ...]
    paper: dict[str, Any] | None = None

    titles: str = ""

    @property
    def summary(self) -> str:
        names = self.titles or ", ".join(f.code for f in self.document.forms)
        return f"{self.document.applicant.name} · {names}"


@dataclass(frozen=True)
class Receipt:
    """What the clerk gets back after accepting or returning a petition."""

    case_number: str
    case_id: int | str
    status: str  # "received" | "returned"
    received_at: float
    reason: str = ""


class Intake(Protocol):
    """The case database side (``counter_app.intake.IntakeService``)."""

    def seen(self, payload_id: str) -> str | None: ...

    def record(
        self,
        checked: Checked,
        pages: list[Page],
        seal: str | None,
        corrections: list[Correction],
        status: str,
        reason: str,
    ) -> Receipt: ...

    def reveal(self, checked: Checked, who: list[str]) -> None: ...

    def printed(self, case_id: int | str, what: str) -> None: ...


def paper_document(paper: dict[str, Any]) -> Document:
    """A typed paper petition as a document, so it is shown and checked like a scanned one."""
    doc = make_document(
        paper["applicant"],
        [{"code": paper["form"], "ver": int(paper["ver"]), "fields": paper.get("fields", {})}],
        paper.get("delegate"),
    )
    return parse_document(doc)


def _corrected_document(
    doc: Document, corrections: list[Correction], catalogue: Catalogue
) -> Document:
    """The document with the clerk's corrections: a form's own field in the form, a field
    filled from the applicant or delegate at that person (as the intake records it)."""
    if not corrections:
        return doc
    people: dict[str, Person | None] = {"applicant": doc.applicant, "delegate": doc.delegate}
    forms = []
    for entry in doc.forms:
        fields = dict(entry.fields)
        formdef = catalogue.get(entry.code, entry.ver)
        for c in corrections:
            if c.form != entry.code:
                continue
            fd = formdef.get_field(c.field) if formdef else None
            person = people.get(fd.source_person or "") if fd and fd.source else None
            if fd is not None and person is not None and c.field not in entry.fields:
                member = fd.source_member or ""
                value = c.after
                if member == "address" and isinstance(value, dict):
                    value = Address(value.get("postcode"), value.get("road"), value.get("detail"))
                people[fd.source_person or ""] = replace(person, **{member: value})
            else:
                fields[c.field] = c.after
        forms.append(replace(entry, fields=fields))
    return replace(doc, forms=tuple(forms), applicant=people["applicant"] or doc.applicant,
                   delegate=people["delegate"])  # fmt: skip


class Backend:
    """One counter's reader, validator and intake, used from the worker thread."""

    def __init__(
        self,
        catalogue: Catalogue,
        keyring: KeyRing,
        intake: Intake,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.catalogue = catalogue
        self.keyring = keyring
        self.clock = clock
        self.intake = intake
        # Not strict: a part of a new message starts over (the citizen changed).
        self.reader = PartReader(keyring, clock)
        self._pending_texts: list[str] = []
        self._lock = threading.Lock()  # the reader keeps part state between scans

    def feed(self, text: str) -> PartProgress | Checked:
        with self._lock:
            texts = [*self._pending_texts, text] if text.upper().startswith("MWP:") else [text]
            result = self.reader.feed(text)
            if isinstance(result, PartProgress):
                if result.received == 1:
                    texts = [text]
                self._pending_texts = texts
                return result
            self._pending_texts = []
        return self._checked("scan", tuple(texts), result, None)

    def check(self, texts: list[str] | tuple[str, ...]) -> Checked:
        """Read a whole payload again (a restored draft, a queued scan)."""
        reader = PartReader(self.keyring, self.clock, strict=True)
        doc: Document | PartProgress | None = None
        for t in texts:
            doc = reader.feed(t)
        if not isinstance(doc, Document):
            raise PayloadError(
                ErrorCode.PART, "여러 장 QR 중 빠진 조각이 있습니다", "parts of the payload are missing"
            )
        return self._checked("scan", tuple(texts), doc, None)

    def check_paper(self, paper: dict[str, Any]) -> Checked:
        return self._checked("paper", (), paper_document(paper), paper)

    def _checked(
        self, origin: str, texts: tuple[str, ...], doc: Document, paper: dict[str, Any] | None
    ) -> Checked:
        if origin == "scan":
            first = self.intake.seen(doc.id)
            if first:
                raise PayloadError(
                    ErrorCode.REPLAY,
                    f"이미 접수된 QR입니다: {first}",
                    f"this QR was already received: {first}",
                    {"id": doc.id},
                )
        findings = validate_document(doc, self.catalogue)
        unknown = [f for f in findings if f.field is None and f.severity == "error" and f.form]
        if unknown:
            raise PayloadError(
                ErrorCode.FORM_UNKNOWN,
                " / ".join(f.message_ko for f in unknown),
                " / ".join(f.message_en for f in unknown),
            )
        titles = ", ".join(
            fd.title_ko for fd in (self.catalogue.get(f.code, f.ver) for f in doc.forms) if fd
        )
        return Checked(origin, texts, doc, tuple(findings), paper, titles)

    def revalidate(self, checked: Checked, corrections: list[Correction]) -> Checked:
        original = (checked.paper and paper_document(checked.paper)) or checked.document
        doc = _corrected_document(replace(original, id=checked.document.id), corrections,
                                  self.catalogue)  # fmt: skip
        return replace(checked, document=doc, findings=tuple(validate_document(doc, self.catalogue)))

    def accept(
        self, checked: Checked, pages: list[Page], seal: str | None, corrections: list[Correction]
    ) -> Receipt:
        errors = [f for f in checked.findings if f.severity == "error"]
        if errors:
            raise PayloadError(
                ErrorCode.FIELD_INVALID,
                f"오류가 남아 있어 접수할 수 없습니다: {errors[0].message_ko}",
                f"errors remain, cannot accept: {errors[0].message_en}",
            )
        return self.intake.record(checked, pages, seal, corrections, "received", "")

    def return_petition(
        self, checked: Checked, reason: str, pages: list[Page], corrections: list[Correction]
    ) -> Receipt:
        return self.intake.record(checked, pages, None, corrections, "returned", reason)

    def record_print(self, receipt: Receipt, what: str) -> None:
        """The receipt (or another document of the case) was printed or saved: an audit event."""
        self.intake.printed(receipt.case_id, what)

    def reveal_rrn(self, checked: Checked) -> dict[str, str]:
        """Write the audit event, then hand back the full numbers keyed by person."""
        doc = checked.document
        numbers = {}
        for role, person in (("applicant", doc.applicant), ("delegate", doc.delegate)):
            if person is not None and person.rrn:
                numbers[role] = person.rrn
        for entry in doc.forms:
            formdef = self.catalogue.get(entry.code, entry.ver)
            for fd in formdef.fields if formdef else ():
                value = entry.fields.get(fd.id)
                if fd.type in ("rrn", "frn") and isinstance(value, str):
                    numbers[f"{entry.code}.{fd.id}"] = value
        if numbers:
            self.intake.reveal(checked, sorted(numbers))
        return numbers

    def view(self, checked: Checked, draft: Draft) -> PetitionView:
        """The view model of the petition (fast, pure; fine on the GUI thread)."""
        doc = checked.document
        findings = [FindingView(f.form, f.field, f.severity, f.message_ko, f.message_en)
                    for f in checked.findings]  # fmt: skip
        counts: dict[str, int] = {}
        for p in draft.pages:
            if p.attachment:
                counts[p.attachment] = counts.get(p.attachment, 0) + 1
        forms = []
        for entry in doc.forms:
            formdef = self.catalogue.get(entry.code, entry.ver)
            if formdef is None:
                continue
            forms.append(build_form_view(
                formdef, dict(entry.fields), doc.applicant, doc.delegate, findings,
                draft.corrections, counts,
            ))  # fmt: skip
        return PetitionView(checked.origin, doc.id, doc.applicant, doc.delegate, forms, findings)


def person_dict(person: Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    out: dict[str, Any] = {"name": person.name}
    for key in ("rrn", "birth", "phone", "email", "relation"):
        value = getattr(person, key)
        if value:
            out[key] = value
    if person.address:
        out["address"] = {k: v for k, v in vars(person.address).items() if v}
    return out
