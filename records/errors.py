"""The errors of the case database, each with a message for the clerk.

Like :class:`decoding.errors.PayloadError`, every error carries a Korean and an
English message (Korean first) that says what happened and what to do. The
CLI prints :attr:`RecordsError.message`; the window shows it. Nothing here
ever holds personal data: an error names a case by its number, never by the
applicant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from decoding.errors import CounterError


class RecordsError(CounterError):
    """A problem with the case database or the attachment store."""

    code = "DB_ERROR"

    def __init__(self, message_ko: str, message_en: str, details: dict[str, Any] | None = None):
        super().__init__(message_ko, message_en, details)

    @property
    def message(self) -> str:
        return f"{self.message_ko} ({self.message_en})"


class DatabaseUnavailable(RecordsError):
    """The database cannot be opened or reached (server down, folder missing, no rights)."""

    code = "DB_UNAVAILABLE"


class DatabaseLocked(RecordsError):
    """Another program held the database longer than we were willing to wait."""

    code = "DB_LOCKED"


class StorageFull(RecordsError):
    """The disk holding the database or the attachments is full."""

    code = "DB_DISK_FULL"


class SchemaOutdated(RecordsError):
    """The database needs ``counter-app db upgrade`` (or is newer than this program)."""

    code = "DB_SCHEMA"


class AttachmentFolderError(RecordsError):
    """The attachment folder is a file, read-only or otherwise unusable."""

    code = "DB_FILES"


class BadStoredName(RecordsError):
    """A database row names an attachment by something that is no content hash."""

    code = "DB_TAMPERED"


class Tampered(RecordsError):
    """Something only tampering (or damage) explains: a missing chain head, an altered binding."""

    code = "DB_TAMPERED"


class DatabaseDamaged(RecordsError):
    """The database file is not a database, is cut short, or its schema is unknown."""

    code = "DB_DAMAGED"


class ReadOnlyStorage(RecordsError):
    """The database (or its folder) can be read but not written."""

    code = "DB_READ_ONLY"


class CaseNotFound(RecordsError):
    code = "DB_CASE_NOT_FOUND"


class DataKeyError(RecordsError):
    """The data key that protects resident registration numbers is missing or unusable."""

    code = "DB_DATA_KEY"


class InvalidChange(RecordsError):
    """A status change or correction that does not fit the case (e.g. completing a returned case)."""

    code = "DB_INVALID_CHANGE"


class AuthError(RecordsError):
    """A sign-in or a right refused: wrong password, unknown, disabled or locked account, no right."""

    code = "AUTH_DENIED"
    # Why, for the audit trail and tests: "unknown", "wrong_password", "disabled", "locked",
    # "no_right"... Not always in ``details``: a refused sign-in does not say which.
    reason = ""


class AccountError(RecordsError):
    """An account cannot be added or changed as asked (bad name, weak password, last admin...)."""

    code = "ACCOUNT_INVALID"


@dataclass(frozen=True)
class FirstReceipt:
    """When and by whom a payload was first received: what ``MW_REPLAY`` tells the clerk."""

    case_id: int
    case_number: str
    received_at: dt.datetime
    clerk: str
    counter: str
    # the return (반려) of that case, if it was returned: when, by whom, why
    returned_at: dt.datetime | None = None
    returned_by: str = ""
    returned_counter: str = ""
    returned_reason: str = ""


class AlreadyReceived(RecordsError):
    """The payload id is already in the database (the store's side of ``MW_REPLAY``)."""

    code = "MW_REPLAY"

    def __init__(self, first: FirstReceipt):
        self.first = first
        kst = first.received_at.astimezone(dt.timezone(dt.timedelta(hours=9)))
        when = kst.strftime("%Y-%m-%d %H:%M")
        ko = (f"이미 접수된 신청서입니다: {when}에 {first.counter} 창구 {first.clerk} 님이 "
              f"접수번호 {first.case_number}(으)로 접수했습니다.")
        en = (f"This petition was already received on {when} KST by {first.clerk} at "
              f"counter {first.counter} as case {first.case_number}.")
        if first.returned_at is not None:  # a returned case rescanned: the return is the news
            back = first.returned_at.astimezone(kst.tzinfo).strftime("%Y-%m-%d %H:%M")
            ko = (f"반려된 신청서입니다: {back}에 {first.returned_counter} 창구 {first.returned_by} 님이 "
                  f"반려했습니다 (사유: {first.returned_reason}). 접수번호 {first.case_number}, "
                  f"{when} 접수. 보완한 신청서는 새 QR로 받으세요.")
            en = (f"This petition was returned on {back} KST by {first.returned_by} at counter "
                  f"{first.returned_counter} (reason: {first.returned_reason}); case "
                  f"{first.case_number}, received {when}. Take the completed petition as a new QR.")
        super().__init__(
            ko,
            en,
            {
                "case_number": first.case_number,
                "case_id": first.case_id,
                "received_at": first.received_at.isoformat(),
                "clerk": first.clerk,
                "counter": first.counter,
            },
        )
