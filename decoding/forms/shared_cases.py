"""Validation cases shared by the counter (Python) and the citizen's web form (JavaScript).

The web form must never accept a petition the counter then refuses for a
field reason, nor refuse one the counter takes. This module runs the
*Python* validators over a set of hostile and ordinary values and writes down
their verdicts; ``webform/tests/validators.test.mjs`` runs the JavaScript
validators over the same cases and must reach the same verdict (severity, and
the message) for the same field. Regenerate whenever the Python validators
change: the verdicts come from the code, never from hand-written tables.

    python -m decoding.forms.shared_cases > cases.json

Three kinds of case:

* ``value``: one value against one field definition (:func:`validate_value`);
* ``form``: a form's values with an applicant/delegate (:func:`validate_fields`);
* ``person``: a person object as the document schema checks it (``MW_SCHEMA``);
* ``canonical``: typed text, phone numbers and dates in canonical form
  (:mod:`decoding.canonical`, ``canonicalText``/``canonicalPhone``/``canonicalDate``).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import unicodedata
from typing import Any

from decoding.canonical import canonical_date, canonical_phone, canonical_text
from decoding.document import parse_document
from decoding.errors import PayloadError
from decoding.forms.catalogue import Catalogue, default_catalogue
from decoding.forms.examples import EXAMPLE_APPLICANT, EXAMPLE_DELEGATE, example_fields
from decoding.forms.export import field_json
from decoding.forms.model import Condition, FieldDef
from decoding.forms.validation import validate_fields
from decoding.forms.validators import validate_value

_COMMON: list[Any] = [
    "", " ", "\u3000", "abc", "가나다", "x\ny", "x\ty", "a\x7fb", "\u200b", "\ufeff",
    0, 1, -1, 1.5, True, False, [], ["a"], {}, "1", "０", "１２",
]

_BY_TYPE: dict[str, list[Any]] = {
    "text": ["가" * 200, "가" * 201, "😀" * 200, "😀" * 201, "a\rb", "a\x1fb", "a\x85b"],
    "longtext": ["가" * 4000, "가" * 4001, "줄1\n줄2\t끝", "a\x00b"],
    "integer": [5, 20, 21, 0, 1.0, -5, 10**15, "3"],
    "decimal": [0.5, 20.0, 20.5, -0.1, 3, "1.5"],
    "money": [0, 10000, -1, 1.5, 10**12],
    "boolean": ["true", 1, 0, None],
    "date": [
        "2026-01-31",
        "2026-02-29",
        "2024-02-29",
        "1799-12-31",
        "1800-01-01",
        "2200-12-31",
        "2201-01-01",
        "2026-1-01",
        "20260131",
        "2026-13-01",
        "２０２６-０１-３１",
        " 2026-01-31",
    ],
    "choice": ["등본", "초본", "기타", "직접 적은 값", "  ", "등본 "],
    "multichoice": [
        ["등본"],
        ["등본", "초본"],
        ["등본", "등본"],
        ["없는 값"],
        [1],
        "등본",
        ["직접"],
    ],
    "phone": [
        "010-1234-5678",
        "01012345678",
        "02-123-4567",
        "02-1234-5678",
        "0212345678",
        "031-123-4567",
        "031-1234-5678",
        "070-1234-5678",
        "080-123-4567",
        "0505-123-4567",
        "1588-1234",
        "15881234",
        "011-123-4567",
        "010-123-456",
        "010--1234",
        "-010",
        "010-1234-5678-9",
        "02-012-3456",
        "+82-10-1234-5678",
        "０１０-1234-5678",
        "010 1234 5678",
    ],
    "email": [
        "name@example.kr",
        "a.b+c@sub.example.co.kr",
        "a..b@example.kr",
        "name@example",
        "@x.kr",
        "name@-x.kr",
        "이름@example.kr",
        "name@example.kr ",
        "a" * 250 + "@x.kr",
    ],
    "postcode": ["06750", "137-070", "137070", "6750", "067500", "０６７５０", "0675a"],
    "address": [
        {"postcode": "06750", "road": "서울특별시 서초구 남부순환로 2584", "detail": "101동"},
        {"postcode": "06750", "road": "서울특별시 서초구 남부순환로 2584"},
        {"postcode": "06750", "road": "  "},
        {"postcode": "137-070", "road": "서울"},
        {"road": "서울"},
        {"postcode": "06750", "road": "서울", "detail": 3},
        {"postcode": "06750", "road": "서울", "zip": "x"},
        {"postcode": "06750", "road": "가" * 201},
        {"postcode": "06750", "road": "서울\n서초"},
        {"postcode": 6750, "road": "서울"},
        "서울특별시",
    ],
    "rrn": [
        "9001011234568",
        "9001011234567",
        "900101-1234568",
        "9013011234568",
        "9002301234568",
        "0001013234566",
        "9001015234564",
        "9001015234565",
        "8001019234561",
        "123",
        "900101123456a",
        "９００１０１１２３４５６８",
        "9001010234568",
    ],
    "frn": ["9001015234564", "9001015234565", "9001011234568", "9001017234562", "9013015234564"],
    "brn": ["2208162517", "1248100998", "2208162518", "2200062517", "220-81-62517", "22081625"],
    "crn": ["1301110006246", "1101110006246", "130111-0006246", "13011100062"],
    "mail_order_no": [
        "제2023-서울서초-0647호",
        "제 2023-서울서초-06470 호",
        "2023-서울서초-0647",
        "가" * 51,
        "   ",
        "제2023-서울서초-0647호\x01",
    ],
}

_FIELD_VARIANTS: list[dict[str, Any]] = [
    {"type": "text"},
    {"type": "text", "max_length": 5},
    {"type": "longtext"},
    {"type": "integer", "min": 1, "max": 20},
    {"type": "integer"},
    {"type": "decimal", "min": 0, "max": 20.5},
    {"type": "money"},
    {"type": "money", "max": 1000000},
    {"type": "boolean"},
    {"type": "date"},
    {"type": "choice", "choices": ("등본", "초본")},
    {"type": "choice", "choices": ("등본", "초본"), "allow_other": True},
    {"type": "choice", "choices": ("등본", "초본"), "allow_other": True, "max_length": 4},
    {"type": "multichoice", "choices": ("등본", "초본")},
    {"type": "multichoice", "choices": ("등본", "초본"), "allow_other": True},
    {"type": "phone"},
    {"type": "email"},
    {"type": "postcode"},
    {"type": "address"},
    {"type": "rrn"},
    {"type": "frn"},
    {"type": "brn"},
    {"type": "crn"},
    {"type": "mail_order_no"},
]


def _problems(fd: FieldDef, value: Any) -> list[dict[str, str]]:
    return [{"severity": p.severity, "message_ko": p.message_ko} for p in validate_value(fd, value)]


def value_cases() -> list[dict[str, Any]]:
    cases = []
    for n, variant in enumerate(_FIELD_VARIANTS):
        fd = FieldDef(id=f"f{n}", label_ko="항목", label_en="Field", **variant)
        values = _COMMON + _BY_TYPE.get(fd.type, [])
        if fd.type == "multichoice":
            values += _BY_TYPE["choice"]
        for value in values:
            if value is None or (isinstance(value, float) and value.is_integer()):
                continue  # JSON cannot tell 1.0 from 1: the web form never writes 1.0
            cases.append(
                {"kind": "value", "field": field_json(fd), "value": value,
                 "problems": _problems(fd, value)}
            )
    return cases


_APPLICANT = EXAMPLE_APPLICANT
_DELEGATE = EXAMPLE_DELEGATE


def _person_of(obj: dict[str, Any] | None, delegate: bool) -> Any:
    if obj is None:
        return None
    doc = {"v": 1, "id": "A" * 21 + "A", "iat": 1, "exp": 2, "applicant": _APPLICANT,
           "forms": [{"code": "X", "ver": 1, "fields": {}}]}
    if delegate:
        doc["delegate"] = obj
    else:
        doc["applicant"] = obj
    parsed = parse_document(doc)
    return parsed.delegate if delegate else parsed.applicant


def _findings(form: Any, fields: dict[str, Any], applicant: Any, delegate: Any) -> list[Any]:
    return [
        {"form": f.form, "field": f.field, "severity": f.severity, "message_ko": f.message_ko}
        for f in validate_fields(form, fields, applicant, delegate)
    ]


def form_cases(catalogue: Catalogue) -> list[dict[str, Any]]:
    """Every catalogue form: complete, empty, each required field missing, with a delegate."""
    applicant = _person_of(_APPLICANT, False)
    delegate = _person_of(_DELEGATE, True)
    minimal = _person_of({"name": "김민원"}, False)
    cases = []
    for form in catalogue.forms:
        full = example_fields(form)
        variants: list[tuple[str, dict[str, Any], Any, Any, Any, Any]] = [
            ("complete", full, _APPLICANT, applicant, None, None),
            ("empty", {}, {"name": "김민원"}, minimal, None, None),
            ("proxy", full, _APPLICANT, applicant, _DELEGATE, delegate),
            ("extra", {**full, "zz_unknown": "x"}, _APPLICANT, applicant, None, None),
        ]
        for f in form.fields:
            if not f.source and (f.required or f.required_if):
                less = {k: v for k, v in full.items() if k != f.id}
                variants.append((f"without {f.id}", less, _APPLICANT, applicant, None, None))
        # Each condition that makes a field required, made true.
        for f in form.fields:
            cond: Condition | None = f.required_if
            if cond is not None:
                on = {**full, cond.field: ([cond.equals] if isinstance(full.get(cond.field), list)
                                           else cond.equals)}
                on.pop(f.id, None)
                variants.append((f"{f.id} required_if", on, _APPLICANT, applicant, None, None))
        for name, fields, app_raw, app, del_raw, dele in variants:
            cases.append(
                {"kind": "form", "name": f"{form.code}/{form.ver} {name}", "code": form.code,
                 "ver": form.ver, "fields": fields, "applicant": app_raw, "delegate": del_raw,
                 "findings": _findings(form, fields, app, dele)}
            )
    return cases


def person_cases() -> list[dict[str, Any]]:
    """Person objects against the document schema: the member refused, or None."""
    people: list[tuple[dict[str, Any], bool]] = [
        (_APPLICANT, False), (_DELEGATE, True), ({"name": ""}, False), ({"name": "   "}, False),
        ({"name": "가" * 40}, False), ({"name": "가" * 41}, False), ({"name": "😀" * 40}, False),
        ({"name": "김", "rrn": "900101-1234568"}, False), ({"name": "김", "rrn": "123"}, False),
        ({"name": "김", "birth": "1990-02-30"}, False), ({"name": "김", "phone": "010 1234"}, False),
        ({"name": "김", "phone": "+8210"}, False), ({"name": "김", "address": {"postcode": "1234"}}, False),
        ({"name": "김", "address": {"road": "서울"}}, False), ({"name": "김"}, True),
        ({"name": "김", "relation": " "}, True), ({"name": "김", "relation": "자녀"}, True),
        ({"name": "\u200b"}, False), ({"name": "김", "rrn": "９００１０１１２３４５６８"}, False),
    ]
    cases = []
    for person, delegate in people:
        try:
            _person_of(person, delegate)
            member = None
        except PayloadError as exc:
            member = exc.details.get("member")
        cases.append({"kind": "person", "person": person, "delegate": delegate, "member": member})
    return cases


# The day two-digit years are read against in the canonical date cases (both sides).
CANONICAL_TODAY = dt.date(2026, 6, 1)

_TEXTS = [
    "김민원", unicodedata.normalize("NFD", "김민원"), "  김민원  ", "김  민원", "김\u3000민원", "김\t민원",
    "김\u00a0민원", "김\u200b민원", "\ufeff김민원", "a\x1cb", "줄1\n줄2", "줄1\r\n\n\n\n줄2  ", " \n ", "",
    "e\u0301", "\u1100\u1161\u11a8", "서울특별시  서초구\u2003남부순환로", "a\x85b", "a\u2028b",
]
_PHONES = [
    "010-1234-5678", "01012345678", "010.1234.5678", "010 1234 5678", "(010)1234-5678",
    "+82 10-1234-5678", "+82 (0)10 1234 5678", "+821012345678", "+1 555 1234", "02-123-4567",
    "(02) 1234-5678", "0311234567", "031-1234-5678", "0505-123-4567", "050512345678", "1588 1234",
    "080-123-4567", "070 1234 5678", "０１０－１２３４－５６７８", "010-123-456", "abc", "", "  010-1234-5678 ",
    "010--1234-5678", "011-123-4567", "+82+10",
]
_DATES = [
    "1950-03-05", "1950.3.5", "1950. 3. 5.", "1950년 3월 5일", "1950년3월5일", "1950/03/05", "19500305",
    "50.3.5", "26.5.31", "26.6.2", "00.1.1", "2026-02-29", "2024-02-29", "1950-13-01", "3월 5일",
    "１９５０．３．５", "1950-3-5 ", "195035", "1950.03.05.", "오늘", "",
]


def canonical_cases() -> list[dict[str, Any]]:
    """Typed strings and their canonical form, made by :mod:`decoding.canonical`."""
    cases: list[dict[str, Any]] = []
    for text in _TEXTS:
        cases.append({"kind": "text", "input": text, "output": canonical_text(text)})
        cases.append(
            {"kind": "longtext", "input": text, "output": canonical_text(text, multiline=True)}
        )
    for phone in _PHONES:
        cases.append({"kind": "phone", "input": phone, "output": canonical_phone(phone)})
    for date in _DATES:
        out = canonical_date(date, today=CANONICAL_TODAY)
        cases.append(
            {"kind": "date", "input": date, "output": out, "today": CANONICAL_TODAY.isoformat()}
        )
    return cases


def all_cases(catalogue: Catalogue | None = None) -> dict[str, Any]:
    catalogue = catalogue or default_catalogue()
    return {
        "generated_by": "decoding.forms.shared_cases",
        "value": value_cases(),
        "form": form_cases(catalogue),
        "person": person_cases(),
        "canonical": canonical_cases(),
    }


def main() -> int:
    json.dump(all_cases(), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
