"""The petition document inside an MW1 payload (spec section 4).

:func:`parse_document` checks the structure (``MW_SCHEMA``); the clock checks
(``MW_NOT_YET_VALID``, ``MW_EXPIRED``) are separate so the reader can run them
in the spec's order. Unknown members are kept in ``raw`` and otherwise ignored
(forward compatibility).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from decoding.errors import ErrorCode, PayloadError
from decoding.text import has_visible, is_unicode_text, text_problem

DOCUMENT_VERSION = 1
CLOCK_SKEW_SECONDS = 300
MAX_LIFETIME_SECONDS = 30 * 24 * 3600
MAX_FORMS = 10
MAX_NAME = 40
MAX_RELATION = 40
MAX_PERSON_TEXT = 200  # road, detail, email
# The latest instant every date function can take (9999-12-30 UTC): an iat or
# exp past it is no petition, and must not reach datetime (year 10000 raises).
MAX_TIMESTAMP = 253_402_128_000

_PHONE_CHARS = re.compile(r"[0-9-]+")
_FORM_CODE = re.compile(r"[A-Za-z0-9_.-]{1,64}")


@dataclass(frozen=True)
class Address:
    postcode: str | None
    road: str | None
    detail: str | None

    def one_line(self) -> str:
        parts = [p for p in (self.road, self.detail) if p]
        text = ", ".join(parts)
        return f"({self.postcode}) {text}" if self.postcode else text


@dataclass(frozen=True)
class Person:
    """The applicant (민원인, 위임인) or the delegate (대리인, 수임인)."""

    name: str
    rrn: str | None = None
    birth: str | None = None
    phone: str | None = None
    email: str | None = None
    address: Address | None = None
    relation: str | None = None

    @property
    def rrn_masked(self) -> str | None:
        """``900101-1******``: what screens, prints and lists show."""
        return mask_rrn(self.rrn) if self.rrn else None


@dataclass(frozen=True)
class FormEntry:
    code: str
    ver: int
    fields: dict[str, Any]


@dataclass(frozen=True)
class Document:
    """A structurally valid petition document. ``raw`` is the JSON object as sent."""

    v: int
    id: str
    iat: int
    exp: int
    office: str | None
    applicant: Person
    delegate: Person | None
    forms: tuple[FormEntry, ...]
    raw: dict[str, Any]


def mask_rrn(rrn: str) -> str:
    """Mask a resident registration number: birth date and sex digit stay visible."""
    digits = rrn.replace("-", "")
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:6]}-{digits[6]}{'*' * (len(digits) - 7)}"


def _schema(where: str, problem_ko: str, problem_en: str) -> PayloadError:
    return PayloadError(
        ErrorCode.SCHEMA,
        f"신청서 형식 오류: {where} — {problem_ko}",
        f"Petition structure error: {where} — {problem_en}",
        {"member": where},
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _require(obj: dict[str, Any], key: str, where: str) -> Any:
    if key not in obj:
        raise _schema(f"{where}{key}", "필수 항목이 없습니다", "required member missing")
    return obj[key]


def _string(obj: dict[str, Any], key: str, where: str, *, required: bool) -> str | None:
    if key not in obj:
        if required:
            raise _schema(f"{where}{key}", "필수 항목이 없습니다", "required member missing")
        return None
    value = obj[key]
    if not isinstance(value, str):
        raise _schema(f"{where}{key}", "문자열이어야 합니다", "must be a string")
    problem = text_problem(value)
    if problem is not None:
        raise _schema(f"{where}{key}", *problem)
    if len(value) > MAX_PERSON_TEXT:
        raise _schema(
            f"{where}{key}",
            f"{MAX_PERSON_TEXT}자 이내여야 합니다",
            f"at most {MAX_PERSON_TEXT} characters",
        )
    return value


def is_calendar_date(text: str) -> bool:
    """``YYYY-MM-DD`` naming a real calendar day."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _address(value: Any, where: str) -> Address:
    if not isinstance(value, dict):
        raise _schema(where, "객체여야 합니다", "must be an object")
    postcode = _string(value, "postcode", f"{where}.", required=False)
    if postcode is not None and not re.fullmatch(r"[0-9]{5}", postcode):
        raise _schema(
            f"{where}.postcode", "우편번호는 숫자 5자리입니다", "postcode must be 5 digits"
        )
    road = _string(value, "road", f"{where}.", required=False)
    detail = _string(value, "detail", f"{where}.", required=False)
    return Address(postcode, road, detail)


def _person(value: Any, where: str, *, delegate: bool) -> Person:
    if not isinstance(value, dict):
        raise _schema(where, "객체여야 합니다", "must be an object")
    p = f"{where}."
    name = _string(value, "name", p, required=True)
    assert name is not None
    if not 1 <= len(name) <= MAX_NAME or not name.strip():
        raise _schema(f"{p}name", "이름은 1~40자입니다", "name must be 1 to 40 characters")
    if not has_visible(name):
        raise _schema(
            f"{p}name",
            "이름에 보이는 글자가 없습니다 (공백·보이지 않는 문자뿐)",
            "the name has no visible character (only spaces, zero-width or bidi marks)",
        )
    rrn = _string(value, "rrn", p, required=False)
    if rrn is not None and not re.fullmatch(r"[0-9]{13}", rrn):
        raise _schema(
            f"{p}rrn",
            "주민등록번호는 하이픈 없는 숫자 13자리입니다",
            "resident registration number must be 13 digits without hyphen",
        )
    birth = _string(value, "birth", p, required=False)
    if birth is not None and not is_calendar_date(birth):
        raise _schema(
            f"{p}birth", "실제 날짜(YYYY-MM-DD)여야 합니다", "must be a real date YYYY-MM-DD"
        )
    phone = _string(value, "phone", p, required=False)
    if phone is not None and not _PHONE_CHARS.fullmatch(phone):
        raise _schema(f"{p}phone", "숫자와 하이픈만 쓸 수 있습니다", "digits and hyphens only")
    email = _string(value, "email", p, required=False)
    address = _address(value["address"], f"{p}address") if "address" in value else None
    relation = _string(value, "relation", p, required=delegate)
    if delegate and not has_visible(relation or ""):
        raise _schema(f"{p}relation", "대리인의 관계가 비어 있습니다", "delegate relation is empty")
    if delegate and len(relation or "") > MAX_RELATION:
        raise _schema(
            f"{p}relation",
            f"관계는 {MAX_RELATION}자 이내입니다",
            f"relation must be at most {MAX_RELATION} characters",
        )
    return Person(
        name=name,
        rrn=rrn,
        birth=birth,
        phone=phone,
        email=email,
        address=address,
        relation=relation if delegate else None,
    )


_FIELD_SCALARS = (str, int, float, bool)


def _field_value_ok(value: Any) -> bool:
    if isinstance(value, _FIELD_SCALARS):
        return not (isinstance(value, float) and value != value)  # NaN is no value
    if isinstance(value, list):
        return all(isinstance(v, str) for v in value)
    return isinstance(value, dict)


def _form(value: Any, where: str) -> FormEntry:
    if not isinstance(value, dict):
        raise _schema(where, "객체여야 합니다", "must be an object")
    p = f"{where}."
    code = _string(value, "code", p, required=True)
    assert code is not None
    if not _FORM_CODE.fullmatch(code):
        raise _schema(f"{p}code", "서식 코드가 올바르지 않습니다", "malformed form code")
    ver = _require(value, "ver", p)
    if not _is_int(ver) or ver < 1:
        raise _schema(f"{p}ver", "양의 정수여야 합니다", "must be a positive integer")
    fields = _require(value, "fields", p)
    if not isinstance(fields, dict):
        raise _schema(f"{p}fields", "객체여야 합니다", "must be an object")
    for key, item in fields.items():
        if not _field_value_ok(item):
            raise _schema(
                f"{p}fields.{key}",
                "값은 문자열, 숫자, 참/거짓, 문자열 배열 또는 객체여야 합니다",
                "value must be a string, number, boolean, array of strings or object",
            )
    return FormEntry(code=code, ver=ver, fields=dict(fields))


def _check_strings(obj: dict[str, Any]) -> None:
    """Every member name and string anywhere in the document must be Unicode text
    (no lone surrogate: JSON's ``"\\ud800"`` decodes to one, and it can be neither
    stored nor shown). Iterative, so that a deep document cannot exhaust the stack."""
    stack: list[tuple[str, Any]] = [("", obj)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if not is_unicode_text(value):
                raise _schema(
                    where or "(문서)", "올바른 유니코드 문자가 아닙니다", "not valid Unicode text"
                )
        elif isinstance(value, dict):
            for key, item in value.items():
                path = f"{where}.{key}" if where else str(key)
                if not is_unicode_text(str(key)):
                    raise _schema(
                        where or "(문서)",
                        "항목 이름이 올바른 유니코드 문자가 아닙니다",
                        "a member name is not valid Unicode text",
                    )
                stack.append((path, item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(value))


def _payload_id(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_-]{22}", value):
        raise _schema("id", "22자 base64url 식별자여야 합니다", "must be 22 base64url characters")
    try:
        raw = base64.urlsafe_b64decode(value + "==")
    except (binascii.Error, ValueError) as exc:
        raise _schema("id", "식별자를 해독할 수 없습니다", "identifier does not decode") from exc
    # 22 characters carry 132 bits; the last 4 must be zero for exactly 16 bytes.
    if len(raw) != 16 or base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != value:
        raise _schema("id", "16바이트 식별자가 아닙니다", "not a 16-byte identifier")
    return value


def parse_document(obj: Any) -> Document:
    """Check the structure of section 4 and return the typed document (``MW_SCHEMA``)."""
    if not isinstance(obj, dict):
        raise _schema("(문서)", "JSON 객체여야 합니다", "must be a JSON object")
    _check_strings(obj)
    v = _require(obj, "v", "")
    if not _is_int(v) or v != DOCUMENT_VERSION:
        raise _schema("v", "문서 버전은 1이어야 합니다", "document version must be 1")
    payload_id = _payload_id(_require(obj, "id", ""))
    iat = _require(obj, "iat", "")
    exp = _require(obj, "exp", "")
    if not _is_int(iat) or not 0 <= iat <= MAX_TIMESTAMP:
        raise _schema("iat", "유닉스 시각(정수)이어야 합니다", "must be Unix seconds (integer)")
    if not _is_int(exp) or not 0 <= exp <= MAX_TIMESTAMP:
        raise _schema("exp", "유닉스 시각(정수)이어야 합니다", "must be Unix seconds (integer)")
    if not iat < exp <= iat + MAX_LIFETIME_SECONDS:
        raise _schema(
            "exp",
            "만료 시각은 발급 후 30일 이내여야 합니다",
            "expiry must be after issue and within 30 days",
        )
    office = _string(obj, "office", "", required=False)
    applicant = _person(_require(obj, "applicant", ""), "applicant", delegate=False)
    delegate = _person(obj["delegate"], "delegate", delegate=True) if "delegate" in obj else None
    forms = _require(obj, "forms", "")
    if not isinstance(forms, list) or not 1 <= len(forms) <= MAX_FORMS:
        raise _schema("forms", "서식은 1~10개여야 합니다", "there must be 1 to 10 forms")
    entries = tuple(_form(f, f"forms[{i}]") for i, f in enumerate(forms))
    return Document(
        v=v,
        id=payload_id,
        iat=iat,
        exp=exp,
        office=office,
        applicant=applicant,
        delegate=delegate,
        forms=entries,
        raw=obj,
    )


def _kst(ts: int) -> str:
    zone = dt.timezone(dt.timedelta(hours=9))
    try:
        return dt.datetime.fromtimestamp(ts, zone).strftime("%Y-%m-%d %H:%M")
    except (OverflowError, OSError, ValueError):
        return f"@{ts}"  # a time no calendar function takes: show the number


def check_clock(doc: Document, now: int) -> None:
    """``MW_NOT_YET_VALID`` then ``MW_EXPIRED`` (spec section 3), with 300 s skew."""
    if doc.iat > now + CLOCK_SKEW_SECONDS:
        raise PayloadError(
            ErrorCode.NOT_YET_VALID,
            f"신청서 발급 시각({_kst(doc.iat)})이 현재보다 미래입니다. "
            "휴대전화나 창구 PC의 시계를 확인해 주세요.",
            f"The petition was issued at {_kst(doc.iat)} KST, in the future. "
            "Check the clock of the phone or this PC.",
            {"iat": doc.iat, "now": now},
        )
    if now >= doc.exp:
        raise PayloadError(
            ErrorCode.EXPIRED,
            f"신청서 유효기간이 {_kst(doc.exp)}에 끝났습니다. 민원인이 신청서를 다시 작성해야 합니다.",
            f"The petition expired at {_kst(doc.exp)} KST. The citizen must fill in the form again.",
            {"exp": doc.exp, "now": now},
        )
