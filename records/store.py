"""The case store: the one API through which cases are written and read.

Every method opens its own session, so one :class:`CaseStore` may be used by
several threads at once (the window calls it from a worker thread). Writes
follow one rule: files first (durable), then one database transaction that
takes the case number, inserts the case and appends the audit event; only
after its commit does the caller hear "ok".

Case numbers (접수번호) look like ``3210000-2026-000123``: office code, year
(Korean time) and a serial per office and year. The serial comes from a
counter row locked in the same transaction as the insert (``SELECT ... FOR
UPDATE`` on PostgreSQL; on SQLite the ``BEGIN IMMEDIATE`` of every write
serialises writers), so a failed intake rolls its number back with it:
numbers have no gaps and no duplicates, however many counters write at once.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from decoding.document import mask_rrn
from decoding.text import text_problem
from records import audit, crosscheck, db, district, queries, sealing
from records.datakey import DataKey, load_data_key
from records.errors import (
    AlreadyReceived,
    CaseNotFound,
    DataKeyError,
    FirstReceipt,
    InvalidChange,
)
from records.files import ORPHAN_GRACE_SECONDS, AttachmentStore, content_hash, media_type
from records.integrity import (
    Checkpoint,
    integrity_key,
)
from records.limits import MAX_REASON, check_case_values
from records.models import (
    CLOSED_STATUSES,
    STATUS_RECEIVED,
    STATUS_RETURNED,
    STATUSES,
    Attachment,
    Case,
    CaseCounter,
    CaseStatus,
    Correction,
    Meta,
    StatusChange,
)
from records.numbering import attachment_bytes, check_not_taken
from records.redact import mask_text, redact
from records.views import KST, CaseDetail, CaseRow, Receipt

Content = bytes | Path


@dataclass(frozen=True)
class NewCase:
    """A petition the clerk accepted. ``document`` is the full document, corrections applied."""

    office: str
    document: dict[str, Any]
    payload_id: str | None
    clerk: str
    counter: str
    source: str = "qr"  # a records.models.Origin
    pages: Sequence[Content] = ()
    seal: Content | None = None
    corrections: Sequence[tuple[str, Any, Any]] = ()
    detail: dict[str, Any] = field(default_factory=dict)
    # Returned (반려) at the counter: recorded and returned in the same transaction,
    # so a crash never leaves it "received".
    returned_reason: str | None = None


def sqlite_default_paths(db_file: Path) -> tuple[Path, Path]:
    """Attachment folder and data key file beside a SQLite file ``D/NAME.db``."""
    return db_file.with_name(f"{db_file.stem}-attachments"), db_file.with_name(db_file.name + ".key")


def case_number(office: str, year: int, serial: int) -> str:
    return f"{office}-{year}-{serial:06d}"


def _insert_ignore(session: Session, model: Any, values: dict[str, Any]) -> None:
    """INSERT unless the primary key exists (race-safe on SQLite and PostgreSQL)."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        session.execute(postgresql.insert(model).values(**values).on_conflict_do_nothing())
    elif name == "sqlite":
        session.execute(sqlite.insert(model).values(**values).on_conflict_do_nothing())
    else:
        try:
            with session.begin_nested():
                session.execute(model.__table__.insert().values(**values))
        except IntegrityError:
            pass


def take_serial(session: Session, office: str, year: int) -> int:
    """The next serial of ``office``/``year``, locked until the caller's transaction ends."""
    first = {"office": office, "year": year, "last_serial": 0}
    key = sealing.session_key(session)
    if key is not None:  # sealed as it is made: the increment below checks the seal
        first["mac"] = sealing.row_mac(key, "case_counters", first)
    _insert_ignore(session, CaseCounter, first)
    row = session.execute(
        select(CaseCounter)
        .where(CaseCounter.office == office, CaseCounter.year == year)
        .with_for_update()
    ).scalar_one()
    row.last_serial += 1
    check_not_taken(session, office, year, row.last_serial)
    session.flush()
    return row.last_serial


class CaseStore:
    """Cases, their files and their audit trail in one database and one folder."""

    def __init__(
        self,
        url: str,
        *,
        attachments_dir: Path,
        key_file: Path | None = None,
        private_keys: Sequence[ec.EllipticCurvePrivateKey] = (),
        clock: Callable[[], float] = time.time,
        busy_timeout: float = db.DEFAULT_BUSY_TIMEOUT,
        attempts: int = 3,
        migrate: bool | None = True,
    ) -> None:
        self.url = url
        db.refuse_emptied_file(url, attachments_dir, key_file)
        self.engine = db.make_engine(url, busy_timeout=busy_timeout)
        self.files = AttachmentStore(attachments_dir)
        self.key_file = key_file
        self._private_keys = list(private_keys)
        self._clock = clock
        self._attempts = attempts
        self._key: DataKey | None = None
        self._ikey: bytes | None = None
        self._key_lock = threading.Lock()
        # migrate: True brings the schema up to date, False refuses a stale one,
        # None leaves it as it is (``db check`` reports it).
        self.upgraded = False
        try:
            if migrate:
                self.upgraded = db.upgrade(self.engine, url)
            elif migrate is False:
                db.require_current(self.engine, url)
        except BaseException:
            self.engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing -------------------------------------------------------------

    def now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self._clock(), dt.UTC)

    def write(self, work: Callable[[Session], Any], *, binding: bool = False) -> Any:
        """Run ``work`` in one write transaction; once the key is open, every row the
        transaction adds or changes is sealed at its end (:mod:`records.sealing`)."""
        ikey = self._ikey
        if ikey is None:
            return db.run_write(self.engine, self.url, work, attempts=self._attempts)

        def sealed(s: Session) -> Any:
            sealing.begin(s, ikey, binding=binding)
            result = work(s)
            sealing.reseal(s)
            return result

        return db.run_write(self.engine, self.url, sealed, attempts=self._attempts)

    def read(self) -> AbstractContextManager[Session]:
        return db.read_session(self.engine, self.url)

    def data_key(self) -> DataKey:
        """The data key, opened with the office keys; registered in the database on first use."""
        with self._key_lock:
            if self._key is not None:
                return self._key
            if self.key_file is None:
                raise DataKeyError(
                    "암호화 키 파일 위치가 설정되지 않았습니다.", "No data key file is configured."
                )
            with self.read() as s:
                registered = s.get(Meta, "data_key_id")
                registered_id = registered.value if registered else None
                # A database that holds cases already has its key: never make a new one
                # for it (its numbers would be unreadable, and a lost key file is news).
                has_cases = s.execute(select(Case.id).limit(1)).first() is not None
            key = load_data_key(self.key_file, self._private_keys,
                                create=registered_id is None and not has_cases)
            if registered_id is None:
                self.write(lambda s: _insert_ignore(
                    s, Meta, {"key": "data_key_id", "value": key.key_id}))
                with self.read() as s:
                    registered = s.get(Meta, "data_key_id")
                    registered_id = registered.value if registered else None
            if registered_id != key.key_id:
                raise DataKeyError(
                    f"암호화 키 파일 {self.key_file} 이(가) 이 데이터베이스의 키가 아닙니다.",
                    f"The data key file {self.key_file} does not belong to this database.",
                    {"key_file": str(self.key_file), "expected": registered_id,
                     "found": key.key_id},
                )
            ikey = self._ikey = integrity_key(key)
            now = self.now()
            try:  # a database made before revisions 0002 and 0006 is sealed now, once
                self.write(lambda s: crosscheck.bind(s, ikey, now), binding=True)
            except BaseException:
                self._ikey = None
                raise
            self._key = key
            return key

    def integrity_key(self) -> bytes:
        """The HMAC key of case seals and the audit chain (needs the office key)."""
        self.data_key()
        assert self._ikey is not None
        return self._ikey

    def verify_audit(self, checkpoints: Sequence[str] = ()) -> audit.Verdict:
        """The whole audit chain checked with the integrity key, and the kept ``checkpoints``."""
        ikey = self.integrity_key()
        with self.read() as s:
            return audit.verify(s, ikey, checkpoints)

    def checkpoint(self) -> Checkpoint:
        """The chain's head as a tagged text supervisors keep outside the database."""
        ikey = self.integrity_key()
        with self.read() as s:
            return audit.checkpoint(s, ikey)

    def find_by_payload(self, payload_id: str) -> FirstReceipt | None:
        """When and by whom this payload was received, if it was (the replay check)."""
        with self.read() as s:
            return _first(s, payload_id)

    # -- writing --------------------------------------------------------------

    def record(self, new: NewCase) -> Receipt:
        """Store the files, then the case, its number and its audit event in one transaction.

        Raises :class:`AlreadyReceived` for a payload id already in the
        database (checked under the lock and enforced by a unique constraint).
        """
        key = self.data_key()
        ikey = self.integrity_key()
        check_case_values(new)
        contents: list[tuple[str, int, Content]] = [
            ("page", i, page) for i, page in enumerate(new.pages, start=1)]
        if new.seal is not None:
            contents.append(("seal", 1, new.seal))
        if new.returned_reason is not None and not new.returned_reason.strip():
            raise InvalidChange("반려 사유를 입력해 주세요.", "A return needs a reason.")
        data = [attachment_bytes(c) for _, _, c in contents]  # read once: plain files, bounded
        marker = self.files.begin([content_hash(b) for b in data]) if contents else None
        stored = [(kind, pos, self.files.put(b), b if not isinstance(c, Path) else c)
                  for (kind, pos, c), b in zip(contents, data, strict=True)]
        uid = uuid.uuid4().hex
        doc = new.document
        applicant = doc.get("applicant") or {}
        delegate = doc.get("delegate")
        forms = doc.get("forms") or [{}]
        received_at = self.now()
        year = received_at.astimezone(KST).year

        def enc(value: str | None, what: str) -> bytes | None:
            if not value:
                return None
            return key.encrypt(value.encode(), f"{uid}:{what}".encode())

        def work(s: Session) -> Receipt:
            serial = take_serial(s, new.office, year)
            if new.payload_id is not None:
                first = _first(s, new.payload_id)
                if first is not None:
                    raise AlreadyReceived(first)
            number = case_number(new.office, year, serial)
            case = Case(
                uid=uid, office=new.office, year=year, serial=serial, case_number=number,
                payload_id=new.payload_id, source=new.source,
                form_code=str(forms[0].get("code", "")), form_ver=int(forms[0].get("ver", 0)),
                form_codes=",".join(str(f.get("code", "")) for f in forms)[:700],
                status=STATUS_RECEIVED, received_at=received_at,
                clerk=new.clerk, counter=new.counter,
                applicant_name=str(applicant.get("name", "")),
                applicant_rrn_masked=_masked(applicant.get("rrn")),
                applicant_rrn_enc=enc(applicant.get("rrn"), "applicant.rrn"),
                delegate_name=delegate.get("name") if delegate else None,
                delegate_relation=delegate.get("relation") if delegate else None,
                delegate_rrn_masked=_masked(delegate.get("rrn")) if delegate else None,
                delegate_rrn_enc=enc(delegate.get("rrn"), "delegate.rrn") if delegate else None,
                document_masked=json.dumps(redact(doc), ensure_ascii=False),
                document_enc=key.encrypt(
                    json.dumps(doc, ensure_ascii=False).encode(), f"{uid}:document".encode()
                ),
                data_key_id=key.key_id,
            )
            s.add(case)
            s.flush()
            s.add(StatusChange(case_id=case.id, at=received_at, status=STATUS_RECEIVED,
                               reason=None, clerk=new.clerk, counter=new.counter))
            for kind, pos, f, content in stored:
                s.add(Attachment(
                    case_id=case.id, kind=kind, position=pos, sha256=f.sha256, size=f.size,
                    media_type=media_type(content),
                    name=content.name[:255] if isinstance(content, Path) else None,
                ))
            for i, (fld, before, after) in enumerate(new.corrections):
                s.add(Correction(
                    case_id=case.id, field=fld[:200],
                    before_masked=_show(before), after_masked=_show(after),
                    values_enc=key.encrypt(
                        json.dumps([before, after], ensure_ascii=False).encode(),
                        f"{uid}:correction:{i}".encode(),
                    ),
                    clerk=new.clerk, at=received_at,
                ))
            detail: dict[str, Any] = {
                "source": new.source, "forms": case.form_codes.split(","),
                "pages": len(new.pages), "seal": new.seal is not None, **new.detail,
            }
            audit.append(s, action="intake", actor=new.clerk, counter=new.counter,
                         at=received_at, key=ikey, case_id=case.id, case_number=number,
                         detail=detail)
            if new.corrections:
                audit.append(s, action="correction", actor=new.clerk, counter=new.counter,
                             at=received_at, key=ikey, case_id=case.id, case_number=number,
                             detail={"fields": [c[0] for c in new.corrections]})
            if new.returned_reason is not None:
                case.status = STATUS_RETURNED
                case.status_reason = new.returned_reason
                case.closed_at = received_at
                s.add(StatusChange(case_id=case.id, at=received_at, status=STATUS_RETURNED,
                                   reason=new.returned_reason, clerk=new.clerk,
                                   counter=new.counter))
                audit.append(s, action="status", actor=new.clerk, counter=new.counter,
                             at=received_at, key=ikey, case_id=case.id, case_number=number,
                             detail={"status": STATUS_RETURNED, "reason": new.returned_reason})
            district.note_intake(s, case, detail, corrected=bool(new.corrections))
            return Receipt(case.id, number, received_at, CaseStatus(case.status),
                           case.status_reason or "")

        try:
            receipt: Receipt = self.write(work)
        except IntegrityError:
            # Another counter committed the same payload between our check and insert.
            if new.payload_id is not None:
                first = self.find_by_payload(new.payload_id)
                if first is not None:
                    raise AlreadyReceived(first) from None
            raise
        # Committed: the files are referenced. On failure the marker stays, so
        # cleanup() removes the files later (unless another case uses them).
        if marker is not None:
            self.files.end(marker)
        return receipt

    def cleanup(self, grace: float = ORPHAN_GRACE_SECONDS) -> list[str]:
        """Remove files left by intakes that crashed or failed; run at start. The names removed.

        Only files named by a pending marker older than ``grace`` are looked
        at (no scan of the whole store; ``db check --repair`` does that).
        """
        removed: list[str] = []
        for marker, shas in self.files.stale_markers(grace):
            with self.read() as s:
                used = set(s.execute(
                    select(Attachment.sha256).where(Attachment.sha256.in_(shas))).scalars())
            for sha in set(shas) - used:
                if self.files.remove_if_older(sha, grace):
                    removed.append(sha)
            marker.unlink(missing_ok=True)
        return removed + self.files.remove_stale_temp_files(grace)

    def set_status(
        self, case: int | str, status: str, *, clerk: str, counter: str, reason: str | None = None
    ) -> None:
        """Return (with a reason) or complete a received case; history and audit follow."""
        if status not in STATUSES:
            raise InvalidChange(f"알 수 없는 상태: {status}", f"unknown status: {status}")
        if status == "returned" and not (reason or "").strip():
            raise InvalidChange("반려 사유를 입력해 주세요.", "A return needs a reason.")
        if reason is not None:
            problem = text_problem(reason, multiline=True)
            if problem is not None or len(reason) > MAX_REASON:
                ko, en = problem or (f"{MAX_REASON}자 이내", f"at most {MAX_REASON} characters")
                raise InvalidChange(f"반려 사유를 쓸 수 없습니다: {ko}",
                                    f"the reason cannot be stored: {en}")
            # A resident registration number typed into a reason is kept masked.
            reason = mask_text(reason)
        ikey = self.integrity_key()

        def work(s: Session) -> None:
            c = _load(s, case, for_update=True)
            sealing.refuse_unsound_case(s, ikey, c)
            if c.status in CLOSED_STATUSES or status == STATUS_RECEIVED:
                raise InvalidChange(
                    f"{c.case_number} 은(는) 이미 '{c.status}' 상태라 '{status}'(으)로 바꿀 수 없습니다.",
                    f"Case {c.case_number} is '{c.status}' and cannot become '{status}'.",
                )
            at = self.now()
            c.status = status
            c.status_reason = reason
            c.closed_at = at
            s.add(StatusChange(case_id=c.id, at=at, status=status, reason=reason,
                               clerk=clerk, counter=counter))
            district.note_status(s, c, at)
            audit.append(s, action="status", actor=clerk, counter=counter, at=at, key=ikey,
                         case_id=c.id, case_number=c.case_number,
                         detail={"status": status, "reason": reason})

        self.write(work)

    def log(
        self, action: str, case: int | str | None, *, clerk: str, counter: str,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Record an audit event (``print``, ``view``, ``export``) for a case or for none."""
        ikey = self.integrity_key()

        def work(s: Session) -> None:
            c = _load(s, case) if case is not None else None
            audit.append(s, action=action, actor=clerk, counter=counter, at=self.now(), key=ikey,
                         case_id=c.id if c else None, case_number=c.case_number if c else None,
                         detail=detail)

        self.write(work)

    def reveal_rrn(self, case: int | str, person: str, *, clerk: str, counter: str,
                   reason: str | None = None) -> str | None:
        """The full RRN of ``person`` ("applicant" or "delegate"); the reveal is audited first,
        with the ``reason`` the person gave (kept with the event)."""
        if person not in ("applicant", "delegate"):
            raise InvalidChange(f"알 수 없는 사람: {person}", f"unknown person: {person}")
        key = self.data_key()
        ikey = self.integrity_key()

        def work(s: Session) -> tuple[str, bytes | None]:
            c = _load(s, case)
            blob = c.applicant_rrn_enc if person == "applicant" else c.delegate_rrn_enc
            audit.append(s, action="reveal_rrn", actor=clerk, counter=counter, at=self.now(),
                         key=ikey,
                         case_id=c.id, case_number=c.case_number, detail={"person": person} if reason is None
                         else {"person": person, "reason": reason})
            return c.uid, blob

        uid, blob = self.write(work)
        if blob is None:
            return None
        return key.decrypt(blob, f"{uid}:{person}.rrn".encode()).decode()

    # -- reading --------------------------------------------------------------

    def list_day(
        self, day: dt.date, last: dt.date | None = None, office: str | None = None
    ) -> list[CaseRow]:
        """Cases received on the Korean day ``day`` (to ``last`` inclusive), oldest first."""
        with self.read() as s:
            return queries.list_between(s, day, last, office)

    def get(self, case: int | str) -> CaseDetail:
        """One case in full, masked; :class:`CaseNotFound` if there is none."""
        with self.read() as s:
            found = queries.detail(s, case, self.files)
        if found is None:
            raise _not_found(case)
        return found

    def document(self, case: int | str) -> dict[str, Any]:
        """The full, unmasked document (for printing the form); callers audit the use."""
        key = self.data_key()
        with self.read() as s:
            c = _load(s, case)
            uid, blob = c.uid, c.document_enc
        value: dict[str, Any] = json.loads(key.decrypt(blob, f"{uid}:document".encode()))
        return value


def _masked(rrn: Any) -> str | None:
    return mask_rrn(rrn) if isinstance(rrn, str) and rrn else None


def _show(value: Any) -> str | None:
    if value is None:
        return None
    shown = redact(value)
    return shown if isinstance(shown, str) else json.dumps(shown, ensure_ascii=False)


def _first(s: Session, payload_id: str) -> FirstReceipt | None:
    row = s.execute(select(Case).where(Case.payload_id == payload_id)).scalar_one_or_none()
    if row is None:
        return None
    back = None
    if row.status == STATUS_RETURNED:
        back = s.execute(select(StatusChange).where(StatusChange.case_id == row.id,
                                                    StatusChange.status == STATUS_RETURNED)
                         .order_by(StatusChange.id.desc()).limit(1)).scalar_one_or_none()
    if back is None:
        return FirstReceipt(row.id, row.case_number, row.received_at, row.clerk, row.counter)
    return FirstReceipt(row.id, row.case_number, row.received_at, row.clerk, row.counter,
                        back.at, back.clerk, back.counter, back.reason or row.status_reason or "")


def _load(s: Session, case: int | str, *, for_update: bool = False) -> Case:
    """A case by id (int) or by case number (str)."""
    q = select(Case).where(Case.id == case if isinstance(case, int) else Case.case_number == case)
    if for_update:
        q = q.with_for_update()
    row = s.execute(q).scalar_one_or_none()
    if row is None:
        raise _not_found(case)
    return row


def _not_found(case: int | str) -> CaseNotFound:
    return CaseNotFound(
        f"접수 건을 찾을 수 없습니다: {case}", f"No such case: {case}", {"case": case}
    )

