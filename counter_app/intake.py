"""The intake workflow: from scanned QR text to a recorded case.

Used by the CLI (``counter-app intake``) and by the clerk's window, which
calls it from a worker thread: nothing here touches Qt, and every call opens
its own database session, so one :class:`IntakeService` serves any thread.

The reader's checks run in the spec's order (section 3): steps 1-12 in
:func:`decoding.payload.decode`, step 13 (``MW_REPLAY``) against the case
database, steps 14-15 (``MW_FORM_UNKNOWN``, ``MW_FIELD_INVALID``) against the
form catalogue. :meth:`IntakeService.check` writes nothing; the clerk looks
at the petition, scans the attachments and the seal, corrects what the
citizen got wrong, and :meth:`IntakeService.accept` records it all at once.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import re
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counter_app.config import Settings
from decoding.document import Document, parse_document
from decoding.errors import ErrorCode, PayloadError
from decoding.forms import Catalogue, check_document
from decoding.keys import KeyRing
from decoding.payload import decode
from records.db import DEFAULT_BUSY_TIMEOUT, sqlite_path
from records.errors import AlreadyReceived, InvalidChange
from records.store import CaseStore, NewCase, sqlite_default_paths
from records.views import Receipt

Content = bytes | Path
PAPER_LIFETIME_SECONDS = 24 * 3600


@dataclass(frozen=True)
class CheckedPetition:
    """A petition that passed every check; ``warnings`` are what the clerk should look at."""

    document: Document
    warnings: list[Any] = field(default_factory=list)
    checked_at: float = 0.0
    source: str = "qr"


def replay_error(exc: AlreadyReceived) -> PayloadError:
    """The store's duplicate as the spec's ``MW_REPLAY``, saying when and by whom."""
    return PayloadError(ErrorCode.REPLAY, exc.message_ko, exc.message_en, dict(exc.details))


def private_keys(keyring: KeyRing) -> list[Any]:
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
) -> CaseStore:
    """The case store of this counter (the composition root's way to open it).

    With ``cleanup`` (the program starting), files left by intakes that
    crashed or failed are removed first (cheap: only those named by pending
    markers are looked at)."""
    url = url or settings.database_url
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


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _path(field_path: str) -> list[str | int]:
    """``forms[0].fields.purpose`` -> ["forms", 0, "fields", "purpose"]."""
    parts: list[str | int] = []
    for name, index in _PATH_PART.findall(field_path):
        parts.append(int(index) if index else name)
    if not parts:
        raise InvalidChange(f"잘못된 항목 경로: {field_path}", f"bad field path: {field_path}")
    return parts


def apply_corrections(
    raw: dict[str, Any], corrections: Sequence[tuple[str, Any, Any]]
) -> dict[str, Any]:
    """A copy of ``raw`` with each (field, before, after) applied.

    ``field`` is a path into the document: ``applicant.phone``,
    ``delegate.address.detail``, ``forms[0].fields.purpose``. ``before`` must
    be the current value (None for a member that is absent); ``after`` None
    removes the member. A mismatch means the screen showed something else
    than what is stored: refuse rather than guess.
    """
    doc = copy.deepcopy(raw)
    for field_path, before, after in corrections:
        parts = _path(field_path)
        node: Any = doc
        for part in parts[:-1]:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                raise InvalidChange(
                    f"고칠 항목이 없습니다: {field_path}", f"no such field: {field_path}"
                ) from None
        last = parts[-1]
        if isinstance(node, dict):
            current = node.get(last)
        elif isinstance(node, list) and isinstance(last, int) and last < len(node):
            current = node[last]
        else:
            raise InvalidChange(f"고칠 항목이 없습니다: {field_path}", f"no such field: {field_path}")
        if current != before:
            raise InvalidChange(
                f"{field_path} 의 현재 값이 화면의 값과 다릅니다.",
                f"{field_path}: the stored value is not the one shown as 'before'.",
                {"field": field_path},
            )
        if after is None and isinstance(node, dict):
            node.pop(last, None)
        else:
            node[last] = after
    return doc


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

    def check(self, texts: str | Iterable[str]) -> CheckedPetition:
        """Steps 1-15 of the spec for QR text(s); raises :class:`PayloadError`, writes nothing."""
        now = self.clock()
        doc = decode(texts, self.keyring, now)
        return self.check_document(doc, now)

    def check_document(self, doc: Document, now: float | None = None) -> CheckedPetition:
        """Steps 13-15 for a document already decoded (e.g. by a ``PartReader``)."""
        now = self.clock() if now is None else now
        first = self.store.find_by_payload(doc.id)
        if first is not None:
            raise replay_error(AlreadyReceived(first))
        return CheckedPetition(doc, self._catalogue_warnings(doc), now)

    def _catalogue_warnings(self, doc: Document) -> list[Any]:
        if self.catalogue is None:  # a counter without the catalogue skips steps 14-15
            return []
        return list(check_document(doc, self.catalogue))

    # -- recording ------------------------------------------------------------

    def accept(
        self,
        checked: CheckedPetition,
        attachments: Sequence[Content] = (),
        seal: Content | None = None,
        *,
        clerk: str,
        counter: str,
        corrections: Sequence[tuple[str, Any, Any]] = (),
    ) -> Receipt:
        """Record the checked petition with its pages, seal and the clerk's corrections.

        Returns once the case is durably committed. Raises ``MW_REPLAY`` if it
        was received meanwhile (another counter, same QR), ``MW_SCHEMA`` /
        ``MW_FIELD_INVALID`` if a correction broke the document, and
        :class:`records.errors.RecordsError` (locked, unreachable, disk full)
        with nothing lost: the clerk can try again.
        """
        raw = checked.document.raw
        if corrections:
            raw = apply_corrections(raw, corrections)
            corrected = parse_document(raw)
            self._catalogue_warnings(corrected)
        new = NewCase(
            office=self.office,
            document=raw,
            payload_id=checked.document.id if checked.source == "qr" else None,
            clerk=clerk,
            counter=counter,
            source=checked.source,
            pages=list(attachments),
            seal=seal,
            corrections=list(corrections),
            detail={"warnings": len(checked.warnings), **self._wait(checked)},
        )
        try:
            return self.store.record(new)
        except AlreadyReceived as exc:
            raise replay_error(exc) from None

    def _wait(self, checked: CheckedPetition) -> dict[str, float]:
        """Seconds from the scan (the check) to this accept, for the supervisor's charts."""
        if not checked.checked_at:
            return {}
        return {"check_to_accept_s": round(max(0.0, self.clock() - checked.checked_at), 1)}

    def check_paper(
        self,
        applicant: dict[str, Any],
        forms: list[dict[str, Any]],
        delegate: dict[str, Any] | None = None,
    ) -> CheckedPetition:
        """A paper petition typed in by the clerk, checked like a QR one (no payload id)."""
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
        doc = parse_document(raw)
        return CheckedPetition(doc, self._catalogue_warnings(doc), now, source="paper")

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
        checked = self.check_paper(applicant, forms, delegate)
        raw = {k: v for k, v in checked.document.raw.items() if k not in ("id", "exp")}
        doc = dataclasses.replace(checked.document, raw=raw)
        return self.accept(
            CheckedPetition(doc, checked.warnings, checked.checked_at, "paper"),
            attachments, seal, clerk=clerk, counter=counter,
        )

    # -- after intake ---------------------------------------------------------

    def return_case(self, case: int | str, reason: str, *, clerk: str, counter: str) -> None:
        """Return (반려) a case with the reason the citizen is told."""
        self.store.set_status(case, "returned", reason=reason, clerk=clerk, counter=counter)

    def complete_case(self, case: int | str, *, clerk: str, counter: str) -> None:
        self.store.set_status(case, "completed", clerk=clerk, counter=counter)

    def set_status(
        self, case: int | str, status: str, *, clerk: str, counter: str, reason: str | None = None
    ) -> None:
        self.store.set_status(case, status, reason=reason, clerk=clerk, counter=counter)

    def reveal_rrn(self, case: int | str, person: str, *, clerk: str, counter: str) -> str | None:
        """The unmasked RRN of "applicant" or "delegate"; audited before it is returned."""
        return self.store.reveal_rrn(case, person, clerk=clerk, counter=counter)

    def record_print(self, case: int | str, *, clerk: str, counter: str, what: str) -> None:
        """Audit a print of the case (the form, the receipt, the power of attorney)."""
        self.store.log("print", case, clerk=clerk, counter=counter, detail={"what": what})
