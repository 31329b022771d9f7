"""Example values that pass validation, for every field type.

Training material, the demo and the tests build a complete petition from a
form's own field list with these (:func:`example_fields`), so a new form
definition is exercised without anyone writing sample data by hand. The
identifiers are the domain notes' worked examples (all public).
"""

from __future__ import annotations

from typing import Any

from decoding.forms.model import FieldDef, FormDef

EXAMPLE_ADDRESS = {
    "postcode": "06750",
    "road": "서울특별시 서초구 남부순환로 2584",
    "detail": "101동 1203호",
}
EXAMPLE_APPLICANT: dict[str, Any] = {
    "name": "홍길동",
    "rrn": "9001011234568",
    "birth": "1990-01-01",
    "phone": "010-2345-6789",
    "email": "minwon@example.kr",
    "address": dict(EXAMPLE_ADDRESS),
}
EXAMPLE_DELEGATE: dict[str, Any] = {
    "name": "이민수",
    "rrn": "8809091218098",
    "phone": "010-5555-0101",
    "relation": "배우자",
}

_BY_TYPE: dict[str, Any] = {
    "longtext": "예시 내용입니다.\n둘째 줄입니다.",
    "money": 10000,
    "boolean": True,
    "date": "2025-12-01",
    "phone": "02-2155-6114",
    "email": "minwon@example.kr",
    "postcode": "06750",
    "rrn": "9001011234568",
    "frn": "9001015000062",
    "brn": "2208162517",
    "crn": "1301110006246",
    "mail_order_no": "제2023-서울서초-0647호",
}


def _number(fd: FieldDef, default: float) -> float:
    value = max(default, fd.min) if fd.min is not None else default
    return min(value, fd.max) if fd.max is not None else value


def example_value(fd: FieldDef) -> Any:
    """A value that passes ``fd``'s validator without findings."""
    if fd.type == "text":
        return "예시"[: fd.max_length] if fd.max_length else "예시"
    if fd.type == "integer":
        return int(_number(fd, 1))
    if fd.type == "decimal":
        return _number(fd, 12.5)
    if fd.type == "choice":
        return fd.choices[0] if fd.choices else "기타 입력"
    if fd.type == "multichoice":
        return [fd.choices[0]] if fd.choices else ["홍길동"]
    if fd.type == "address":
        return dict(EXAMPLE_ADDRESS)
    return _BY_TYPE[fd.type]


def example_fields(formdef: FormDef) -> dict[str, Any]:
    """Every own field of ``formdef`` filled (autofilled ones are left to the persons)."""
    return {fd.id: example_value(fd) for fd in formdef.fields if fd.source is None}
