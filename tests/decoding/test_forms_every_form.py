"""Every form of the catalogue, from the export alone: a valid petition is accepted by the
counter's intake validation, each invalid or missing field is refused on that field, and
the proxy rule is applied. A new form definition is covered here without new test code.

The petitions are built from ``catalogue_json`` only (what the web form reads), never from
the Python :class:`FormDef`, so a rule the export forgets to carry shows up as a refusal.
"""

from __future__ import annotations

from typing import Any

import pytest

from decoding.document import parse_document
from decoding.errors import PayloadError
from decoding.forms import check_document, default_catalogue, validate_fields
from decoding.forms.examples import EXAMPLE_APPLICANT, EXAMPLE_DELEGATE
from decoding.forms.export import catalogue_json
from decoding.payload import make_document

EXPORT = catalogue_json(default_catalogue())
FORMS = EXPORT["forms"]
IDS = [f"{f['code']}/{f['ver']}" for f in FORMS]
ADDRESS = {"postcode": "06750", "road": "서울특별시 서초구 남부순환로 2584", "detail": "101동"}
BY_TYPE: dict[str, Any] = {
    "text": "예시", "longtext": "예시 내용", "boolean": True, "date": "2026-11-30",
    "phone": "010-2345-6789", "email": "minwon@example.kr", "postcode": "06750",
    "address": ADDRESS, "rrn": "9001011234568", "frn": "9001015000062", "brn": "2208162517",
    "crn": "1301110006246", "mail_order_no": "제2023-서울서초-0647호", "money": 1000,
}
# A value each type refuses (an error, never only a warning).
INVALID: dict[str, Any] = {
    "text": "줄\n바꿈", "longtext": "a\x00b", "integer": 1.5, "decimal": "12", "money": -1,
    "boolean": "예", "date": "2026-02-30", "choice": "목록에 없는 값", "multichoice": ["없는 값"],
    "phone": "010-123", "email": "not-an-email", "postcode": "137-070",
    "address": {"road": "서울"}, "rrn": "9013011234568", "frn": "9001011234568",
    "brn": "2208162518", "crn": "1101110006246", "mail_order_no": "",
}


def value_for(fd: dict[str, Any]) -> Any:
    """A valid value read from the exported field alone."""
    if fd["type"] in ("integer", "decimal"):
        low = fd["min"] if fd["min"] is not None else 1
        value = max(low, 1)
        return int(value) if fd["type"] == "integer" else float(value)
    if fd["type"] == "choice":
        return fd["choices"][0] if fd["choices"] else "직접 적은 값"
    if fd["type"] == "multichoice":
        return [fd["choices"][0]] if fd["choices"] else ["홍길동"]
    return BY_TYPE[fd["type"]]


def own_fields(form: dict[str, Any]) -> list[dict[str, Any]]:
    return [fd for s in form["sections"] for fd in s["fields"] if fd["source"] is None]


def petition(form: dict[str, Any]) -> dict[str, Any]:
    return {fd["id"]: value_for(fd) for fd in own_fields(form)}


def document(form: dict[str, Any], fields: dict[str, Any], delegate: bool = False) -> Any:
    raw = make_document(
        dict(EXAMPLE_APPLICANT),
        [{"code": form["code"], "ver": form["ver"], "fields": fields}],
        dict(EXAMPLE_DELEGATE) if delegate else None,
    )
    return parse_document(raw)


def errors_of(form: dict[str, Any], fields: dict[str, Any]) -> set[str | None]:
    doc = document(form, fields)
    formdef = default_catalogue().get(form["code"], form["ver"])
    assert formdef is not None
    found = validate_fields(formdef, fields, doc.applicant, doc.delegate)
    return {f.field for f in found if f.severity == "error"}


@pytest.mark.parametrize("form", FORMS, ids=IDS)
def test_a_petition_made_from_the_export_alone_is_accepted(form: dict[str, Any]) -> None:
    warnings = check_document(document(form, petition(form)), default_catalogue())
    assert all(w.severity == "warning" for w in warnings)


@pytest.mark.parametrize("form", FORMS, ids=IDS)
def test_each_invalid_field_is_refused_on_that_field(form: dict[str, Any]) -> None:
    good = petition(form)
    for fd in own_fields(form):
        bad = INVALID[fd["type"]]
        if fd["allow_other"] and fd["type"] in ("choice", "multichoice"):
            bad = "줄\n바꿈" if fd["type"] == "choice" else ["줄\n바꿈"]
        if fd["type"] in ("integer", "decimal") and fd["max"] is not None:
            bad = fd["max"] + 1
        assert fd["id"] in errors_of(form, {**good, fd["id"]: bad}), fd["id"]


@pytest.mark.parametrize("form", FORMS, ids=IDS)
def test_each_required_field_missing_is_refused(form: dict[str, Any]) -> None:
    good = petition(form)
    for fd in own_fields(form):
        if fd["required"]:
            less = {k: v for k, v in good.items() if k != fd["id"]}
            assert fd["id"] in errors_of(form, less), fd["id"]
        condition = fd["required_if"]
        if condition is not None:
            other = next(
                f for f in [*own_fields(form), {"id": None}] if f["id"] == condition["field"]
            )
            value = (
                [condition["equals"]] if other.get("type") == "multichoice" else condition["equals"]
            )
            on = {k: v for k, v in good.items() if k != fd["id"]} | {condition["field"]: value}
            assert fd["id"] in errors_of(form, on), (fd["id"], "required_if")


@pytest.mark.parametrize("form", FORMS, ids=IDS)
def test_the_proxy_rule_is_applied(form: dict[str, Any]) -> None:
    doc = document(form, petition(form), delegate=True)
    kind = form["proxy"]["kind"]
    if kind == "forbidden":
        with pytest.raises(PayloadError) as err:
            check_document(doc, default_catalogue())
        assert err.value.code.value == "MW_FIELD_INVALID"
        assert form["proxy"]["reason_ko"] in err.value.message_ko or "대리" in err.value.message_ko
        return
    warnings = check_document(doc, default_catalogue())
    on_delegate = [w for w in warnings if w.field == "delegate"]
    if kind == "restricted" or form["proxy"]["handwritten"]:
        assert on_delegate, "a restricted proxy is shown to the clerk"
    else:
        assert on_delegate == []


def test_the_families_share_one_definition() -> None:
    catalogue = default_catalogue()
    business = [f for f in catalogue.forms if f.family == "business_change"]
    welfare = [f for f in catalogue.forms if f.family == "social_security_benefit"]
    assert len(business) >= 3 and len(welfare) >= 5
    for members in (business, welfare):
        first = members[0]
        shared = [f.id for f in first.fields if f.section in {s.id for s in first.sections[:1]}]
        for member in members:
            assert [f.id for f in member.fields][: len(shared)] == shared, member.code
    for member in business:
        assert member.get_field("report_kind") is not None, member.code
        assert member.sections[-1].id == "report", "the family's 'after' section comes last"


def test_the_catalogue_has_grown() -> None:
    assert len(default_catalogue().latest()) >= 62
