"""One validator per field type: is this JSON value a good value for this field?

The value formats are those of ``resources/forms/README.md``. A validator
returns :class:`~decoding.forms.identifiers.Problem` items; it never raises on
any input, since the values come from outside.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from decoding.document import is_calendar_date
from decoding.forms.identifiers import (
    Problem,
    check_brn,
    check_crn,
    check_email,
    check_frn,
    check_mail_order_no,
    check_phone,
    check_postcode,
    check_rrn,
)
from decoding.forms.model import FieldDef
from decoding.text import text_problem

DEFAULT_MAX_LENGTH = {"text": 200, "longtext": 4000}


def _err(ko: str, en: str) -> list[Problem]:
    return [Problem("error", ko, en)]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text_ok(value: str, *, multiline: bool) -> bool:
    return text_problem(value, multiline=multiline) is None


def _text(fd: FieldDef, value: Any, *, multiline: bool = False) -> list[Problem]:
    if not isinstance(value, str):
        return _err("글자로 적어야 합니다", "must be text")
    limit = fd.max_length or DEFAULT_MAX_LENGTH["longtext" if multiline else "text"]
    if len(value) > limit:
        return _err(f"{limit}자 이내로 적어 주세요", f"at most {limit} characters")
    if not _text_ok(value, multiline=multiline):
        return _err("쓸 수 없는 제어 문자가 있습니다", "contains control characters")
    return []


def _range(fd: FieldDef, number: float) -> list[Problem]:
    if fd.min is not None and number < fd.min:
        return _err(f"{fd.min:g} 이상이어야 합니다", f"must be at least {fd.min:g}")
    if fd.max is not None and number > fd.max:
        return _err(f"{fd.max:g} 이하여야 합니다", f"must be at most {fd.max:g}")
    return []


def _integer(fd: FieldDef, value: Any) -> list[Problem]:
    if not _is_int(value):
        return _err("정수여야 합니다", "must be a whole number")
    return _range(fd, value)


def _decimal(fd: FieldDef, value: Any) -> list[Problem]:
    if not (_is_int(value) or isinstance(value, float)):
        return _err("숫자여야 합니다", "must be a number")
    try:
        number = float(value)  # an integer of 400 digits is no float: OverflowError
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        return _err("숫자여야 합니다", "must be a number")
    return _range(fd, number)


def _money(fd: FieldDef, value: Any) -> list[Problem]:
    if not _is_int(value) or value < 0:
        return _err("금액은 0 이상의 원 단위 정수입니다", "an amount is whole won, 0 or more")
    return _range(fd, value)


def _boolean(fd: FieldDef, value: Any) -> list[Problem]:
    return (
        []
        if isinstance(value, bool)
        else _err("예/아니요 값이어야 합니다", "must be true or false")
    )


def _date(fd: FieldDef, value: Any) -> list[Problem]:
    if not isinstance(value, str) or not is_calendar_date(value):
        return _err("실제 날짜를 YYYY-MM-DD로 적어 주세요", "must be a real date YYYY-MM-DD")
    if not 1800 <= int(value[:4]) <= 2200:
        return _err("연도가 올바르지 않습니다", "implausible year")
    return []


def _choice(fd: FieldDef, value: Any) -> list[Problem]:
    if not isinstance(value, str):
        return _err("항목 중 하나를 골라야 합니다", "must be one of the choices")
    if value in fd.choices:
        return []
    if fd.allow_other and value.strip():
        return _text(fd, value)
    return _err(
        f"다음 중 하나여야 합니다: {', '.join(fd.choices)}",
        f"must be one of: {', '.join(fd.choices)}",
    )


def _multichoice(fd: FieldDef, value: Any) -> list[Problem]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return _err("항목 목록(배열)이어야 합니다", "must be a list of choices")
    if len(set(value)) != len(value):
        return _err("같은 항목이 두 번 있습니다", "a choice is repeated")
    for item in value:
        problems = _choice(fd, item)
        if problems:
            return problems
    return []


def _string_check(
    check: Callable[[str], list[Problem]],
) -> Callable[[FieldDef, Any], list[Problem]]:
    def run(fd: FieldDef, value: Any) -> list[Problem]:
        if not isinstance(value, str):
            return _err("글자로 적어야 합니다", "must be text")
        return check(value)

    return run


def _address(fd: FieldDef, value: Any) -> list[Problem]:
    if not isinstance(value, dict):
        return _err(
            "주소는 우편번호·도로명주소·상세주소로 적어야 합니다",
            "an address has postcode, road and detail",
        )
    unknown = set(value) - {"postcode", "road", "detail"}
    if unknown:
        return _err(
            f"주소에 알 수 없는 항목이 있습니다: {', '.join(sorted(unknown))}",
            f"unknown address member(s): {', '.join(sorted(unknown))}",
        )
    postcode, road, detail = value.get("postcode"), value.get("road"), value.get("detail", "")
    if not isinstance(postcode, str):
        return _err("주소의 우편번호가 없습니다", "the address has no postcode")
    problems = check_postcode(postcode)
    if problems:
        return problems
    if not isinstance(road, str) or not road.strip():
        return _err("도로명주소가 없습니다", "the road address is missing")
    if not isinstance(detail, str):
        return _err("상세주소는 글자로 적어야 합니다", "the address detail must be text")
    if len(road) > 200 or len(detail) > 200:
        return _err(
            "주소가 너무 깁니다 (각 200자 이내)", "address parts are limited to 200 characters"
        )
    if not (_text_ok(road, multiline=False) and _text_ok(detail, multiline=False)):
        return _err("주소에 제어 문자가 있습니다", "the address contains control characters")
    return []


VALIDATORS: dict[str, Callable[[FieldDef, Any], list[Problem]]] = {
    "text": _text,
    "longtext": lambda fd, v: _text(fd, v, multiline=True),
    "integer": _integer,
    "decimal": _decimal,
    "money": _money,
    "boolean": _boolean,
    "date": _date,
    "choice": _choice,
    "multichoice": _multichoice,
    "phone": _string_check(check_phone),
    "email": _string_check(check_email),
    "postcode": _string_check(check_postcode),
    "address": _address,
    "rrn": _string_check(check_rrn),
    "frn": _string_check(check_frn),
    "brn": _string_check(check_brn),
    "crn": _string_check(check_crn),
    "mail_order_no": _string_check(check_mail_order_no),
}


def is_empty(value: Any) -> bool:
    """No answer: missing, null, blank text or an empty list."""
    return (
        value is None
        or (isinstance(value, str | list | dict) and not value)
        or (isinstance(value, str) and not value.strip())
    )


def validate_value(fd: FieldDef, value: Any) -> list[Problem]:
    """The problems of ``value`` as a value of field ``fd`` (not counting absence)."""
    return VALIDATORS[fd.type](fd, value)
