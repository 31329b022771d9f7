"""The shipped-form defects of issue 25, each pinned to the law text it was checked against."""

from __future__ import annotations

from decoding.forms import default_catalogue, validate_fields
from decoding.forms.examples import example_fields


def form(code: str):  # type: ignore[no-untyped-def]
    found = default_catalogue().get(code)
    assert found is not None
    return found


def test_an_ic_resident_card_reissue_costs_10000_won() -> None:
    card = form("RESIDENT_CARD_ISSUE")
    assert card.fee_won == 10000
    assert "10,000원" in card.fee_note_ko and "5,000원" in card.fee_note_ko
    assert "제17조" in card.fee_basis and "2024-12-20" in card.fee_basis
    kind = card.get_field("card_kind")
    assert kind is not None and kind.choices == ("IC 주민등록증", "IC칩 없는 주민등록증")


def test_the_move_in_household_certificate_tells_viewing_from_a_copy() -> None:
    confirm = form("MOVE_IN_HOUSEHOLD_CONFIRM")
    assert confirm.fee_won == 400 and "열람 1건 300원" in confirm.fee_note_ko
    assert "제17조제4항" in confirm.fee_basis and "별지 제15호서식" in confirm.form_no
    request = confirm.get_field("request_kind")
    assert request is not None and set(request.choices) == {"교부", "열람"}


def test_the_food_business_report_offers_no_business_that_needs_a_permit() -> None:
    food = form("FOOD_BUSINESS_REPORT")
    kind = food.get_field("business_kind")
    assert kind is not None
    assert "단란주점" not in kind.choices and "유흥주점" not in kind.choices
    fields = {**example_fields(food), "business_kind": "단란주점"}
    errors = [f for f in validate_fields(food, fields, None) if f.field == "business_kind"]
    assert errors and errors[0].severity == "error"


def test_the_cited_sources_are_precise() -> None:
    tax = form("LOCAL_TAX_ASSESSMENT_CERT")
    assert "별지 제49호서식" in tax.form_no and "별지 제49호서식" in tax.law
    seal = form("SEAL_CERT_ISSUE")
    assert "17세" in seal.proxy.source and "6개월" in seal.proxy.source
    divorce = form("DIVORCE_REPORT")
    assert "제75조" in divorce.proxy.source and divorce.unverified
    basic = form("BASIC_LIVELIHOOD_APPLICATION")
    assert "제13조" in basic.form_no and "별지 제1호서식" not in basic.law


def test_categories_are_one_consistent_set() -> None:
    cats = {f.category for f in default_catalogue().forms}
    assert not cats & {"가족관계등록", "경제", "도시", "교통", "농업", "행정", "위생", "지적"}
    assert form("FIXED_DATE_CONFIRM").category == "토지·부동산"
