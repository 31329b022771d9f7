"""The one intake pipeline: from scanned QR text (or a typed paper form) to a recorded case.

Used by the command line (``counter-app intake``), the demo and the clerk's
window, which calls it from its worker thread: nothing here touches Qt, and
every call opens its own database session, so one :class:`IntakeService`
serves any thread.

The reader's checks run in the spec's order (section 3): steps 1-12 in
:mod:`decoding.payload`, step 13 (``MW_REPLAY``) against the case database,
steps 14-15 against the form catalogue. A payload that cannot be read, a
replay or an unknown form (``MW_FORM_UNKNOWN``) is a rejection; field
problems are *findings* of the :class:`Checked` petition, so the clerk can
see and correct them. :meth:`IntakeService.check` writes nothing;
:meth:`IntakeService.revalidate` checks the petition again with the clerk's
corrections; :meth:`IntakeService.accept` refuses a petition whose errors
remain (``MW_FIELD_INVALID``) and records the case, its pages, seal and
corrections, and a return (반려) if there is one, in one transaction.

:class:`Desk` is one counter's use of the pipeline: the clerk and counter,
the multi-part reader holding the parts scanned so far, and the service
opened lazily (the window opens the database on its worker).
"""

from __future__ import annotations

import base64
import secrets
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey

from counter_app.casestatus import CaseStatusService
from counter_app.config import Settings
from counter_app.corrections import Correction, FieldChange, apply_corrections, correction_paths
from decoding.canonical import canonical, canonical_document, field_types
from decoding.document import Document, parse_document
from decoding.errors import CounterError, ErrorCode, PayloadError
from decoding.forms import Catalogue, Finding, check_document, validate_document
from decoding.keys import KeyRing
from decoding.payload import PartProgress, decode
from records.db import DEFAULT_BUSY_TIMEOUT, sqlite_path
from records.errors import AlreadyReceived, InvalidChange
from records.models import CaseStatus, Origin
from records.store import CaseStore, NewCase, sqlite_default_paths
from records.views import Receipt

__all__ = [
    "CaseStatus", "Checked", "Correction", "FieldChange", "IntakeService", "Message",
    "Origin", "PartProgress", "Receipt", "apply_corrections", "correction_paths",
    "open_store", "replay_error",
]

Content = bytes | Path
PAPER_LIFETIME_SECONDS = 24 * 3600


# -- what the pipeline hands out -------------------------------------------------


@dataclass(frozen=True)
class Message:
    """A text for a person, in Korean and English: the window shows the one in use."""

    ko: str
    en: str
    code: str = ""  # MW_* / DB_* when it reports an error

    @classmethod
    def of(cls, exc: BaseException) -> Message:
        """What went wrong: the program's errors carry both languages and their code."""
        if isinstance(exc, CounterError):
            return cls(exc.message_ko, exc.message_en, str(exc.code))
        return cls(f"처리하지 못했습니다: {exc}", f"failed: {exc}", "")

    def text(self, english: bool) -> str:
        return self.en if english and self.en else self.ko


class WithFindings:
    """Something with catalogue findings: its errors (they block acceptance) and warnings."""

    findings: Sequence[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


@dataclass(frozen=True)
class Checked(WithFindings):
    """A petition read and checked (steps 1-15), ready to be shown, corrected and accepted.

    ``findings`` are the catalogue's errors and warnings for the document as it
    stands (with the clerk's corrections, after :meth:`IntakeService.revalidate`);
    ``texts`` the QR texts it was read from; ``paper`` the typed paper petition.
    """

    origin: Origin
    document: Document
    findings: tuple[Finding, ...] = ()
    texts: tuple[str, ...] = ()
    paper: dict[str, Any] | None = None
    titles: str = ""
    checked_at: float = 0.0
    original: Document | None = None  # before the corrections, when there are some

    @property
    def as_given(self) -> Document:
        """The document as the citizen (or the paper form) gave it: corrections apply to this."""
        return self.original or self.document

    @property
    def summary(self) -> str:
        names = self.titles or ", ".join(f.code for f in self.document.forms)
        return f"{self.document.applicant.name} · {names}"


def replay_error(exc: AlreadyReceived) -> PayloadError:
    """The store's duplicate as the spec's ``MW_REPLAY``, saying when and by whom."""
    return PayloadError(ErrorCode.REPLAY, exc.message_ko, exc.message_en, dict(exc.details))


def private_keys(keyring: KeyRing) -> list[EllipticCurvePrivateKey]:
    """The ring's keys, newest first (the order they were added in)."""
    return [k for k in (keyring.get(kid) for kid in keyring.kids) if k is not None]


def store_paths(url: str, settings: Settings) -> tuple[Path, Path]:
    """Where the attachments and the data key file of the database at ``url`` live.

    Beside a SQLite file ``D/NAME.db``: ``D/NAME-attachments/`` and
    ``D/NAME.db.key`` (so the default database in the data folder has
    ``cases-attachments/`` and ``cases.db.key``; the window uses the same rule).
    For a server database, in the data folder: ``attachments/`` and ``data.key``
    (IT points ``data_dir`` of every counter at the same shared folder).
    """
    db_file = sqlite_path(url)
    if db_file is not None:
        return sqlite_default_paths(db_file)
    return settings.data_dir / "attachments", settings.data_dir / "data.key"


def open_store(
    settings: Settings,
    keyring: KeyRing | None = None,
    *,
    url: str | None = None,
    attachments_dir: Path | None = None,
    key_file: Path | None = None,
    clock: Callable[[], float] = time.time,
    migrate: bool | None = True,
    cleanup: bool = True,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    refuse_shared: bool = False,
) -> CaseStore:
    """The case store of this counter (the composition root's way to open it).

    ``refuse_shared`` (the counter window starting): a SQLite database that
    several PCs share is refused (:mod:`counter_app.shared_db`).

    With ``cleanup`` (the program starting), files left by intakes that
    crashed or failed are removed first (cheap: only those named by pending
    markers are looked at)."""
    url = url or settings.database_url
    if refuse_shared:
        from counter_app.shared_db import shared_sqlite

        refusal = shared_sqlite(url)
        if refusal is not None:
            raise refusal
    files, key = store_paths(url, settings)
    db_file = sqlite_path(url)
    if db_file is not None and url == settings.database_url:
        db_file.parent.mkdir(parents=True, exist_ok=True)
    store = CaseStore(
        url,
        attachments_dir=attachments_dir or files,
        key_file=key_file or key,
        private_keys=private_keys(keyring) if keyring is not None else (),
        clock=clock,
        migrate=migrate,
        busy_timeout=busy_timeout,
    )
    if cleanup:
        try:
            store.cleanup()
        except BaseException:
            store.close()
            raise
    return store


def paper_parts(
    paper: Mapping[str, Any],
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any] | None]:
    """(applicant, forms, delegate) of a typed paper petition.

    The window's paper form gives one form (``form``, ``ver``, ``fields``); a
    paper petition may also list ``forms`` as the wire format does.
    """
    if "forms" in paper:
        forms = [dict(f) for f in paper["forms"]]
    else:
        forms = [{"code": paper["form"], "ver": int(paper["ver"]),
                  "fields": dict(paper.get("fields") or {})}]
    delegate = paper.get("delegate")
    return dict(paper["applicant"]), forms, dict(delegate) if delegate else None


class IntakeService:
    """Check and record petitions for one office. Thread-safe per call; no Qt."""

    def __init__(
        self,
        keyring: KeyRing,
        store: CaseStore,
        *,
        office: str,
        catalogue: Catalogue | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.keyring = keyring
        self.store = store
        self.office = office
        self.catalogue = catalogue
        self.clock = clock

    # -- checking -------------------------------------------------------------

    def check(self, texts: str | Iterable[str]) -> Checked:
        """Steps 1-15 for the QR text(s) of one petition; writes nothing.

        Raises :class:`PayloadError` for a payload that cannot be read, a
        replay or an unknown form; field problems are the result's findings.
        """
        texts = (texts,) if isinstance(texts, str) else tuple(texts)
        now = self.clock()
        return self.check_document(decode(texts, self.keyring, now), texts=texts, now=now)

    def check_document(
        self,
        doc: Document,
        *,
        texts: tuple[str, ...] = (),
        origin: Origin = Origin.QR,
        paper: dict[str, Any] | None = None,
        now: float | None = None,
    ) -> Checked:
        """Steps 13-15 for a document already decoded (e.g. by a multi-part reader)."""
        now = self.clock() if now is None else now
        # One canonical form for QR and paper alike (NFC, spaces, phone, dates): what the
        # case database holds and the counter searches does not depend on the keyboard.
        doc = canonical(doc, self.catalogue)
        if origin is Origin.QR:
            first = self.store.find_by_payload(doc.id)
            if first is not None:
                raise replay_error(AlreadyReceived(first))
        findings = self._findings(doc)
        unknown = [f for f in findings if f.field is None and f.severity == "error" and f.form]
        if unknown:
            raise PayloadError(
                ErrorCode.FORM_UNKNOWN,
                " / ".join(f.message_ko for f in unknown),
                " / ".join(f.message_en for f in unknown),
                {"findings": [f.to_json() for f in findings]},
            )
        return Checked(origin, doc, tuple(findings), texts, paper, self._titles(doc), now)

    def check_paper(self, paper: Mapping[str, Any]) -> Checked:
        """A paper petition typed in by the clerk, checked like a QR one (no payload id)."""
        applicant, forms, delegate = paper_parts(paper)
        now = int(self.clock())
        raw: dict[str, Any] = {
            "v": 1,
            # parse_document wants an id; a paper petition has no QR to replay,
            # so this one is dropped before the case is stored.
            "id": base64.urlsafe_b64encode(secrets.token_bytes(16)).rstrip(b"=").decode(),
            "iat": now,
            "exp": now + PAPER_LIFETIME_SECONDS,
            "office": self.office,
            "applicant": applicant,
            "forms": forms,
        }
        if delegate is not None:
            raw["delegate"] = delegate
        raw = canonical_document(raw, field_types(self.catalogue, forms))
        return self.check_document(parse_document(raw), origin=Origin.PAPER,
                                   paper=dict(paper), now=now)

    def revalidate(self, checked: Checked, corrections: Sequence[Correction | FieldChange]) -> Checked:
        """The petition with the clerk's corrections, checked again (findings, not exceptions).

        A correction that breaks the document's structure (a resident number
        of the wrong length...) is an error finding on that field.
        """
        source = checked.as_given
        if not corrections:
            return replace(checked, document=source, original=None,
                           findings=tuple(self._findings(source)))
        try:
            doc = self._corrected(source, corrections)
        except (PayloadError, InvalidChange) as exc:
            last = corrections[-1]
            form, name = (last.form, last.field) if isinstance(last, Correction) else ("", last[0])
            broken = Finding(form, name, "error", exc.message_ko, exc.message_en)
            return replace(checked, findings=(*self._findings(checked.document), broken))
        return replace(checked, document=doc, original=source,
                       findings=tuple(self._findings(doc)))

    def _corrected(self, doc: Document, corrections: Sequence[Correction | FieldChange]) -> Document:
        raw = apply_corrections(doc.raw, correction_paths(doc.raw, self.catalogue, corrections))
        return parse_document(raw)

    def _findings(self, doc: Document) -> list[Finding]:
        if self.catalogue is None:  # a counter without the catalogue skips steps 14-15
            return []
        return validate_document(doc, self.catalogue)

    def _titles(self, doc: Document) -> str:
        if self.catalogue is None:
            return ""
        defs = (self.catalogue.get(f.code, f.ver) for f in doc.forms)
        return ", ".join(fd.title_ko for fd in defs if fd)

    # -- recording ------------------------------------------------------------

    def accept(
        self,
        checked: Checked,
        attachments: Sequence[Content] = (),
        seal: Content | None = None,
        *,
        clerk: str,
        counter: str,
        corrections: Sequence[Correction | FieldChange] = (),
        returned: str | None = None,
        noted: Mapping[str, Any] | None = None,
    ) -> Receipt:
        """Record the checked petition with its pages, seal and the clerk's corrections.

        ``noted`` goes into the case's intake audit event: required documents
        accepted missing with the clerk's reason, the times its registration
        numbers were shown on screen before it had a case number.

        With ``returned`` (the reason told to the citizen) the case is recorded
        as returned (반려) in the same transaction. Returns once the case is
        durably committed. Raises ``MW_FIELD_INVALID`` if errors remain (a
        return is allowed with errors: they are often why), ``MW_SCHEMA`` if a
        correction broke the document, ``MW_REPLAY`` if it was received
        meanwhile (another counter, same QR), and
        :class:`records.errors.RecordsError` (locked, unreachable, disk full)
        with nothing lost: the clerk can try again.
        """
        source = checked.as_given
        paths = correction_paths(source.raw, self.catalogue, corrections)
        raw = apply_corrections(source.raw, paths) if paths else source.raw
        doc = parse_document(raw) if paths else source
        if returned is None and self.catalogue is not None:
            warnings = check_document(doc, self.catalogue)  # raises while errors remain
        else:
            warnings = self._findings(doc)
        if checked.origin is Origin.PAPER:  # no QR to replay: drop the id made for parsing
            raw = {k: v for k, v in raw.items() if k not in ("id", "exp")}
        new = NewCase(
            office=self.office,
            document=raw,
            payload_id=source.id if checked.origin is Origin.QR else None,
            clerk=clerk,
            counter=counter,
            source=checked.origin,
            pages=list(attachments),
            seal=seal,
            corrections=paths,
            detail={"warnings": len([f for f in warnings if f.severity == "warning"]),
                    **self._wait(checked), **(noted or {})},
            returned_reason=returned.strip() if returned is not None else None,
        )
        try:
            return self.store.record(new)
        except AlreadyReceived as exc:
            raise replay_error(exc) from None

    def _wait(self, checked: Checked) -> dict[str, float]:
        """Seconds from the scan (the check) to this accept, for the supervisor's charts."""
        if not checked.checked_at:
            return {}
        return {"check_to_accept_s": round(max(0.0, self.clock() - checked.checked_at), 1)}

    def accept_paper(
        self,
        applicant: dict[str, Any],
        forms: list[dict[str, Any]],
        delegate: dict[str, Any] | None = None,
        attachments: Sequence[Content] = (),
        seal: Content | None = None,
        *,
        clerk: str,
        counter: str,
    ) -> Receipt:
        checked = self.check_paper({"applicant": applicant, "forms": forms, "delegate": delegate})
        return self.accept(checked, attachments, seal, clerk=clerk, counter=counter)

    # -- after intake ---------------------------------------------------------

    def return_case(self, case: int | str, reason: str, *, clerk: str, counter: str) -> None:
        """Return (반려) a case received earlier, with the reason the citizen is told."""
        CaseStatusService(self.store).return_case(case, reason, clerk=clerk, counter=counter)

    def complete_case(self, case: int | str, *, clerk: str, counter: str) -> None:
        CaseStatusService(self.store).complete(case, clerk=clerk, counter=counter)

    def reveal_rrn(self, case: int | str, person: str, *, clerk: str, counter: str) -> str | None:
        """The unmasked RRN of "applicant" or "delegate"; audited before it is returned."""
        return self.store.reveal_rrn(case, person, clerk=clerk, counter=counter)

    def reveal_numbers(self, checked: Checked, *, clerk: str, counter: str) -> dict[str, str]:
        """The full registration numbers of a petition not recorded yet, keyed by person
        (``applicant``) or ``FORM.field``; the audit event is written before they are returned."""
        doc = checked.document
        numbers: dict[str, str] = {}
        for role, person in (("applicant", doc.applicant), ("delegate", doc.delegate)):
            if person is not None and person.rrn:
                numbers[role] = person.rrn
        for entry in doc.forms:
            formdef = self.catalogue.get(entry.code, entry.ver) if self.catalogue else None
            for fd in formdef.fields if formdef else ():
                value = entry.fields.get(fd.id)
                if fd.type in ("rrn", "frn") and isinstance(value, str):
                    numbers[f"{entry.code}.{fd.id}"] = value
        if numbers:
            self.store.log("reveal_rrn", None, clerk=clerk, counter=counter,
                           detail={"payload_id": doc.id, "fields": sorted(numbers)})
        return numbers

    def record_print(self, case: int | str, *, clerk: str, counter: str, what: str) -> None:
        """Audit a print of the case (the form, the receipt, the power of attorney)."""
        self.store.log("print", case, clerk=clerk, counter=counter, detail={"what": what})


