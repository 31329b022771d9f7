"""Checks of Korean identifiers and contact data, as the domain notes state them.

Each check returns a list of :class:`Problem` (empty when the value is fine).
A problem is an ``error`` when the value cannot be right, a ``warning`` when
it is suspicious but may be real: numbers issued since 2020-10-05 carry no
check digit, so a resident or foreigner registration number that fails the
legacy checksum is only a warning the clerk can accept, while its birth date
and sex digit are checked strictly. Business and corporate registration
numbers always carry a check digit: a miss is an error.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    severity: Severity
    message_ko: str
    message_en: str


def _err(ko: str, en: str) -> list[Problem]:
    return [Problem("error", ko, en)]


def _warn(ko: str, en: str) -> list[Problem]:
    return [Problem("warning", ko, en)]


# Seventh digit of an RRN/FRN -> century of birth, and whether it marks a foreigner.
_CENTURY = {
    "9": (1800, False),
    "0": (1800, False),
    "1": (1900, False),
    "2": (1900, False),
    "3": (2000, False),
    "4": (2000, False),
    "5": (1900, True),
    "6": (1900, True),
    "7": (2000, True),
    "8": (2000, True),
}

_RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def _birth_date(digits: str) -> dt.date | None:
    century, _ = _CENTURY[digits[6]]
    try:
        return dt.date(century + int(digits[0:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return None


def rrn_birth_date(rrn: str) -> dt.date | None:
    """The birth date a 13-digit RRN/FRN encodes, or None if it names no real day."""
    digits = rrn.replace("-", "")
    if not re.fullmatch(r"[0-9]{13}", digits):
        return None
    return _birth_date(digits)


def _weighted_sum(digits: str) -> int:
    return sum(int(d) * w for d, w in zip(digits[:12], _RRN_WEIGHTS, strict=True))


def rrn_checksum_ok(digits: str) -> bool:
    """The legacy check digit: C = (11 - sum mod 11) mod 10."""
    return (11 - _weighted_sum(digits) % 11) % 10 == int(digits[12])


def frn_checksum_ok(digits: str) -> bool:
    """The legacy foreigner rule: C = ((11 - sum mod 11) mod 10 + 2) mod 10."""
    return ((11 - _weighted_sum(digits) % 11) % 10 + 2) % 10 == int(digits[12])


def _thirteen(value: str, what_ko: str, what_en: str) -> list[Problem]:
    if not re.fullmatch(r"[0-9]{13}", value):
        return _err(
            f"{what_ko}는 하이픈 없는 숫자 13자리입니다",
            f"{what_en} must be 13 digits without hyphen",
        )
    if value[6] not in _CENTURY:
        return _err(f"{what_ko} 7번째 자리가 올바르지 않습니다", f"{what_en}: bad 7th digit")
    if _birth_date(value) is None:
        return _err(
            f"{what_ko} 앞 6자리가 실제 생년월일이 아닙니다",
            f"{what_en}: the first 6 digits are not a real birth date",
        )
    return []


def check_rrn(value: str) -> list[Problem]:
    """주민등록번호. A foreigner number (7th digit 5-8) passes too: forms share the box."""
    problems = _thirteen(value, "주민등록번호", "Resident registration number")
    if problems:
        return problems
    if _CENTURY[value[6]][1]:
        return check_frn(value)
    if not rrn_checksum_ok(value):
        return _warn(
            "주민등록번호 검증번호가 옛 규칙과 맞지 않습니다. 2020년 10월 이후 발급된 번호일 수 "
            "있으니 신분증과 대조해 주세요.",
            "The number fails the legacy check digit; it may be one issued since 2020-10. "
            "Compare it with the ID card.",
        )
    return []


def check_frn(value: str) -> list[Problem]:
    """외국인등록번호: date and 7th digit strictly; the legacy rule as a warning only."""
    problems = _thirteen(value, "외국인등록번호", "Foreigner registration number")
    if problems:
        return problems
    if not _CENTURY[value[6]][1]:
        return _err(
            "외국인등록번호의 7번째 자리는 5~8입니다",
            "The 7th digit of a foreigner registration number is 5 to 8",
        )
    legacy = int(value[7:9]) % 2 == 0 and value[11] in "6789" and frn_checksum_ok(value)
    if not legacy:
        return _warn(
            "외국인등록번호가 옛 검증 규칙과 맞지 않습니다. 외국인등록증과 대조해 주세요.",
            "The number fails the legacy foreigner check; compare it with the residence card.",
        )
    return []


def check_brn(value: str) -> list[Problem]:
    """사업자등록번호, 10 digits: the check digit must match (error otherwise)."""
    if not re.fullmatch(r"[0-9]{10}", value):
        return _err(
            "사업자등록번호는 하이픈 없는 숫자 10자리입니다",
            "Business registration number must be 10 digits without hyphens",
        )
    if value[3:5] == "00":
        return _err(
            "사업자등록번호 가운데 두 자리가 00일 수 없습니다", "Middle digits cannot be 00"
        )
    d = [int(c) for c in value]
    s = sum(x * w for x, w in zip(d[:9], (1, 3, 7, 1, 3, 7, 1, 3, 5), strict=True))
    s += d[8] * 5 // 10
    if (10 - s % 10) % 10 != d[9]:
        return _err(
            "사업자등록번호의 검증번호가 맞지 않습니다. 사업자등록증과 대조해 주세요.",
            "The business registration number fails its check digit; "
            "compare it with the certificate.",
        )
    return []


def check_crn(value: str) -> list[Problem]:
    """법인등록번호, 13 digits: the check digit must match (error otherwise)."""
    if not re.fullmatch(r"[0-9]{13}", value):
        return _err(
            "법인등록번호는 하이픈 없는 숫자 13자리입니다",
            "Corporate registration number must be 13 digits without hyphens",
        )
    s = sum(int(c) * (1 if i % 2 == 0 else 2) for i, c in enumerate(value[:12]))
    if (10 - s % 10) % 10 != int(value[12]):
        return _err(
            "법인등록번호의 검증번호가 맞지 않습니다. 법인 등기사항증명서와 대조해 주세요.",
            "The corporate registration number fails its check digit; compare it with the "
            "corporate register.",
        )
    return []


# Area codes outside Seoul (02): 031-033, 041-044, 051-055, 061-064.
_AREA = {
    "031",
    "032",
    "033",
    "041",
    "042",
    "043",
    "044",
    "051",
    "052",
    "053",
    "054",
    "055",
    "061",
    "062",
    "063",
    "064",
}


def _phone_shape_ok(d: str) -> bool:
    if d.startswith("010"):
        return len(d) == 11
    if d.startswith("02"):
        return len(d) in (9, 10) and d[2] != "0"
    if d[:3] in _AREA:
        return len(d) in (10, 11) and d[3] != "0"
    if d.startswith("070"):
        return len(d) == 11
    if d.startswith("080"):
        return len(d) == 10
    if d.startswith("050"):  # 050X personal/safe numbers: 050X-XXX(X)-XXXX
        return len(d) in (11, 12)
    if d[:2] in ("15", "16", "18"):  # nationwide representative numbers
        return len(d) == 8
    return False


def check_phone(value: str) -> list[Problem]:
    """Korean numbering: mobile 010, Seoul 02, area codes, 070, 080, 050X, 15XX/16XX/18XX."""
    if not re.fullmatch(r"[0-9]+(-[0-9]+){0,2}", value):
        return _err(
            "전화번호는 숫자와 하이픈(-)으로 적어 주세요 (예: 010-1234-5678)",
            "Write the phone number with digits and hyphens (e.g. 010-1234-5678)",
        )
    if not _phone_shape_ok(value.replace("-", "")):
        return _err(
            "국내 전화번호 형식이 아닙니다 (예: 010-1234-5678, 02-123-4567)",
            "Not a Korean phone number (e.g. 010-1234-5678, 02-123-4567)",
        )
    return []


def check_postcode(value: str) -> list[Problem]:
    """5-digit 국가기초구역 postcode; the 6-digit form ended on 2015-08-01."""
    if re.fullmatch(r"[0-9]{3}-?[0-9]{3}", value):
        return _err(
            "옛 6자리 우편번호는 2015년 8월부터 쓰지 않습니다. 5자리 우편번호를 적어 주세요.",
            "6-digit postcodes ended in August 2015; use the 5-digit postcode.",
        )
    if not re.fullmatch(r"[0-9]{5}", value):
        return _err("우편번호는 숫자 5자리입니다", "The postcode is 5 digits")
    return []


_EMAIL = re.compile(
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+"
)


def check_email(value: str) -> list[Problem]:
    if len(value) > 254 or not _EMAIL.fullmatch(value) or ".." in value:
        return _err(
            "전자우편 주소 형식이 아닙니다 (예: name@example.kr)",
            "Not an e-mail address (e.g. name@example.kr)",
        )
    return []


_MAIL_ORDER_NO = re.compile(r"제\s?[0-9]{4}-[가-힣A-Za-z0-9]+-[0-9]{4,5}\s?호")


def check_mail_order_no(value: str) -> list[Problem]:
    """통신판매업 신고번호: no official format, so anything else is only a warning."""
    text = value.strip()
    if not text or len(text) > 50 or any(ord(c) < 32 for c in text):
        return _err(
            "통신판매업 신고번호를 50자 이내로 적어 주세요",
            "Write the mail-order report number in at most 50 characters",
        )
    if not _MAIL_ORDER_NO.fullmatch(text):
        return _warn(
            "통신판매업 신고번호가 흔한 형식(제2023-서울서초-0647호)과 다릅니다. "
            "신고증과 대조해 주세요.",
            "The mail-order number differs from the usual shape (제2023-서울서초-0647호); "
            "compare it with the certificate.",
        )
    return []
