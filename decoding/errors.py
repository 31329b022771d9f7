"""The payload errors of MW1, each with its spec code (``MW_*``).

A reader reports the first failing step of the spec's section 3 as one
:class:`PayloadError`. Its messages are for the clerk at the counter: Korean
first, English second, and they say what to do next.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    """The error codes of the MW1 spec (section 3), in the order of the checks."""

    PREFIX = "MW_PREFIX"
    BASE45 = "MW_BASE45"
    PART = "MW_PART"
    VERSION = "MW_VERSION"
    SUITE = "MW_SUITE"
    KID = "MW_KID"
    DECRYPT = "MW_DECRYPT"
    CATALOGUE = "MW_CATALOGUE"
    INFLATE = "MW_INFLATE"
    JSON = "MW_JSON"
    CODING = "MW_CODING"
    SCHEMA = "MW_SCHEMA"
    NOT_YET_VALID = "MW_NOT_YET_VALID"
    EXPIRED = "MW_EXPIRED"
    REPLAY = "MW_REPLAY"
    FORM_UNKNOWN = "MW_FORM_UNKNOWN"
    FIELD_INVALID = "MW_FIELD_INVALID"


# What the clerk reads when no more specific message is given.
_DEFAULT_MESSAGES: dict[ErrorCode, tuple[str, str]] = {
    ErrorCode.PREFIX: (
        "민원 신청 QR 코드가 아닙니다. 민원 작성 화면의 QR 코드를 다시 스캔해 주세요.",
        "This is not a petition QR code. Scan the QR code shown by the petition form.",
    ),
    ErrorCode.BASE45: (
        "QR 코드 내용이 손상되었습니다. 다시 스캔해 주세요.",
        "The QR code text is damaged. Scan it again.",
    ),
    ErrorCode.PART: (
        "여러 장으로 나뉜 QR 코드의 조각이 맞지 않습니다.",
        "The parts of this multi-part QR code do not fit together.",
    ),
    ErrorCode.VERSION: (
        "지원하지 않는 QR 형식 버전입니다. 프로그램 업데이트가 필요할 수 있습니다.",
        "Unsupported QR format version. The counter program may need an update.",
    ),
    ErrorCode.SUITE: (
        "지원하지 않는 암호 방식입니다. 프로그램 업데이트가 필요할 수 있습니다.",
        "Unsupported encryption suite. The counter program may need an update.",
    ),
    ErrorCode.KID: (
        "이 QR 코드를 풀 수 있는 기관 키가 없습니다. 다른 기관용으로 작성되었거나 키가 만료되었습니다.",
        "No office key can open this QR code: it was made for another office or with a retired key.",
    ),
    ErrorCode.DECRYPT: (
        "QR 코드를 복호화할 수 없습니다. 손상되었거나 변조되었습니다. 다시 스캔해 주세요.",
        "The QR code cannot be decrypted: it is damaged or was altered. Scan it again.",
    ),
    ErrorCode.CATALOGUE: (
        "이 QR 코드를 만든 서식 카탈로그 버전이 이 프로그램에 없습니다. 프로그램을 업데이트해 주세요.",
        "This QR code was made with a form catalogue version this program does not have. "
        "Update the counter program.",
    ),
    ErrorCode.INFLATE: (
        "QR 코드 내용의 압축을 풀 수 없습니다.",
        "The QR code content cannot be decompressed.",
    ),
    ErrorCode.JSON: (
        "QR 코드의 신청서 내용을 읽을 수 없습니다.",
        "The petition inside the QR code cannot be read.",
    ),
    ErrorCode.CODING: (
        "QR 코드의 신청서 내용이 올바르게 부호화되지 않았습니다.",
        "The petition inside the QR code is not coded correctly.",
    ),
    ErrorCode.SCHEMA: (
        "신청서 내용이 형식에 맞지 않습니다.",
        "The petition does not follow the expected structure.",
    ),
    ErrorCode.NOT_YET_VALID: (
        "신청서 발급 시각이 미래입니다. 휴대전화나 창구 PC의 시계를 확인해 주세요.",
        "The petition was issued in the future. Check the clock of the phone or this PC.",
    ),
    ErrorCode.EXPIRED: (
        "신청서 유효기간이 지났습니다. 민원인이 신청서를 다시 작성해야 합니다.",
        "The petition has expired. The citizen must fill in the form again.",
    ),
    ErrorCode.REPLAY: (
        "이미 접수된 신청서입니다.",
        "This petition has already been received.",
    ),
    ErrorCode.FORM_UNKNOWN: (
        "알 수 없는 민원 서식입니다.",
        "Unknown petition form.",
    ),
    ErrorCode.FIELD_INVALID: (
        "신청서 항목에 잘못된 값이 있습니다.",
        "The petition has invalid field values.",
    ),
}


class CounterError(Exception):
    """The one base of the program's errors: a code, a Korean and an English message, details.

    Every layer subclasses it (payload ``MW_*``, database ``DB_*``, devices,
    configuration, keys, updates, the web form's site) and every command prints
    it the same way (:meth:`to_json`). Messages say what happened and what to
    do, Korean first; ``details`` is machine-readable context and never holds
    personal data. A message given as one text ``"한국어 / English"`` is split
    into its two languages.
    """

    code: str = "ERROR"

    def __init__(self, message_ko: str = "", message_en: str = "",
                 details: Mapping[str, Any] | None = None) -> None:
        if not message_en and " / " in message_ko:
            message_ko, message_en = message_ko.split(" / ", 1)
        self.message_ko = message_ko
        self.message_en = message_en or message_ko
        self.details: dict[str, Any] = dict(details or {})
        super().__init__(str(self))

    @property
    def message(self) -> str:
        """Korean first, then English, as a clerk sees it."""
        if self.message_en == self.message_ko:
            return self.message_ko
        return f"{self.message_ko} ({self.message_en})"

    def __str__(self) -> str:
        return self.message

    def to_json(self) -> dict[str, Any]:
        """The error as every command prints it."""
        out: dict[str, Any] = {
            "ok": False,
            "error": str(self.code),
            "message": self.message,
            "message_ko": self.message_ko,
            "message_en": self.message_en,
        }
        if self.details:
            out["details"] = self.details
        return out


class PayloadError(CounterError):
    """A rejected payload: the spec's code and a message in Korean and English.

    ``details`` carries machine-readable context (for example the expiry time,
    or how many parts are still missing); it never holds personal data.
    """

    code: ErrorCode

    def __init__(self, code: ErrorCode, message_ko: str = "", message_en: str = "",
                 details: Mapping[str, Any] | None = None) -> None:
        default_ko, default_en = _DEFAULT_MESSAGES[code]
        self.code = code
        super().__init__(message_ko or default_ko, message_en or default_en, details)

    @property
    def message(self) -> str:
        return f"{self.message_ko} ({self.message_en})"

    def __str__(self) -> str:
        return f"{self.code.value}: {self.message}"
