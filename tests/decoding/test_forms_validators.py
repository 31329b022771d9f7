"""One validator per field type: passing and failing values for each."""

from __future__ import annotations

from typing import Any

import pytest

from decoding.forms import FIELD_TYPES, FieldDef, validate_value
from decoding.forms.examples import example_value


def field(ftype: str, **kw: Any) -> FieldDef:
    return FieldDef(id="f", label_ko="항목", label_en="Field", type=ftype, **kw)


GOOD: dict[str, list[tuple[FieldDef, Any]]] = {
    "text": [(field("text"), "서초 한우 국밥"), (field("text", max_length=3), "abc")],
    "longtext": [(field("longtext"), "첫 줄\n둘째 줄\t탭")],
    "integer": [(field("integer"), 0), (field("integer", min=1, max=20), 20)],
    "decimal": [(field("decimal"), 84.5), (field("decimal", min=0.1), 3)],
    "money": [(field("money"), 0), (field("money"), 28000)],
    "boolean": [(field("boolean"), True), (field("boolean"), False)],
    "date": [(field("date"), "2025-12-01"), (field("date"), "2024-02-29")],
    "choice": [
        (field("choice", choices=("등본", "초본")), "초본"),
        (field("choice", choices=("a",), allow_other=True), "직접 입력"),
    ],
    "multichoice": [
        (field("multichoice", choices=("인터넷", "TV홈쇼핑")), ["인터넷", "TV홈쇼핑"]),
        (field("multichoice", allow_other=True, max_length=40), ["홍길동", "김서연"]),
    ],
    "phone": [(field("phone"), "010-2345-6789"), (field("phone"), "1588-1234")],
    "email": [(field("email"), "seoyeon.kim@example.kr")],
    "postcode": [(field("postcode"), "06750")],
    "address": [
        (
            field("address"),
            {"postcode": "06621", "road": "서울특별시 서초구 강남대로 373", "detail": "1층 102호"},
        ),
        (field("address"), {"postcode": "06621", "road": "서울특별시 서초구 강남대로 373"}),
    ],
    "rrn": [(field("rrn"), "9001011234568")],
    "frn": [(field("frn"), "9001015000062")],
    "brn": [(field("brn"), "2208162517"), (field("brn"), "1248100998")],
    "crn": [(field("crn"), "1301110006246")],
    "mail_order_no": [(field("mail_order_no"), "제2023-서울서초-0647호")],
}

BAD: dict[str, list[tuple[FieldDef, Any]]] = {
    "text": [
        (field("text"), 5),
        (field("text", max_length=3), "abcd"),
        (field("text"), "줄\n바꿈"),
        (field("text"), "x" * 201),
    ],
    "longtext": [
        (field("longtext"), ["a"]),
        (field("longtext"), "a\x00b"),
        (field("longtext"), "x" * 4001),
    ],
    "integer": [
        (field("integer"), 1.5),
        (field("integer"), "2"),
        (field("integer"), True),
        (field("integer", min=1, max=20), 0),
        (field("integer", min=1, max=20), 21),
    ],
    "decimal": [
        (field("decimal"), "84.5"),
        (field("decimal"), float("inf")),
        (field("decimal"), False),
        (field("decimal", min=0.1), 0),
    ],
    "money": [(field("money"), -1), (field("money"), 100.5), (field("money"), "28000")],
    "boolean": [(field("boolean"), "true"), (field("boolean"), 1)],
    "date": [
        (field("date"), "2025-02-29"),
        (field("date"), "2025-13-01"),
        (field("date"), "20251201"),
        (field("date"), "0001-01-01"),
        (field("date"), 20251201),
    ],
    "choice": [
        (field("choice", choices=("등본", "초본")), "열람"),
        (field("choice", choices=("등본",)), ["등본"]),
    ],
    "multichoice": [
        (field("multichoice", choices=("인터넷",)), ["인터넷", "우편"]),
        (field("multichoice", choices=("인터넷",)), ["인터넷", "인터넷"]),
        (field("multichoice", choices=("인터넷",)), "인터넷"),
        (field("multichoice", allow_other=True, max_length=5), ["아주아주긴이름입니다"]),
    ],
    "phone": [(field("phone"), "010-234-567"), (field("phone"), 1023456789)],
    "email": [(field("email"), "not-an-email")],
    "postcode": [(field("postcode"), "137-070"), (field("postcode"), 6750)],
    "address": [
        (field("address"), "서울특별시 서초구 강남대로 373"),
        (field("address"), {"postcode": "137-070", "road": "서울특별시 서초구 강남대로 373"}),
        (field("address"), {"postcode": "06621", "road": ""}),
        (field("address"), {"postcode": "06621", "road": "강남대로 373", "detail": 3}),
        (field("address"), {"postcode": "06621", "road": "강남대로 373", "city": "서울"}),
        (field("address"), {"road": "강남대로 373"}),
    ],
    "rrn": [(field("rrn"), "9002301234568"), (field("rrn"), "900101-1234568")],
    "frn": [(field("frn"), "9001011234568")],
    "brn": [(field("brn"), "2208162518")],
    "crn": [(field("crn"), "1101110006246")],
    "mail_order_no": [(field("mail_order_no"), ""), (field("mail_order_no"), 647)],
}


def test_every_type_has_examples() -> None:
    assert set(GOOD) == set(FIELD_TYPES) == set(BAD)


@pytest.mark.parametrize(
    ("fd", "value"),
    [pair for pairs in GOOD.values() for pair in pairs],
    ids=lambda x: x.type if isinstance(x, FieldDef) else None,
)
def test_good_values_pass(fd: FieldDef, value: Any) -> None:
    assert validate_value(fd, value) == []


@pytest.mark.parametrize(
    ("fd", "value"),
    [pair for pairs in BAD.values() for pair in pairs],
    ids=lambda x: x.type if isinstance(x, FieldDef) else None,
)
def test_bad_values_fail(fd: FieldDef, value: Any) -> None:
    problems = validate_value(fd, value)
    assert [p.severity for p in problems] == ["error"]
    assert problems[0].message_ko and problems[0].message_en


@pytest.mark.parametrize("ftype", FIELD_TYPES)
def test_example_values_pass(ftype: str) -> None:
    fd = field(ftype, choices=("가", "나") if "choice" in ftype else ())
    assert validate_value(fd, example_value(fd)) == []


@pytest.mark.parametrize("ftype", FIELD_TYPES)
@pytest.mark.parametrize("junk", [None, {"a": [1]}, [[1]], float("nan"), object()])
def test_no_validator_raises_on_junk(ftype: str, junk: Any) -> None:
    fd = field(ftype, choices=("가",) if "choice" in ftype else ())
    problems = validate_value(fd, junk)
    assert problems and problems[0].severity == "error"
