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


# -- the seal certificate's 위임장 validity (인감증명법 시행령 제13조: 6 months) -------------


def _seal_warnings(poa_date: str | None, delegate: bool = True) -> list[str]:
    import datetime

    from decoding.document import parse_document
    from decoding.forms import check_document
    from decoding.forms.examples import EXAMPLE_APPLICANT, EXAMPLE_DELEGATE
    from decoding.payload import make_document

    seal = form("SEAL_CERT_ISSUE")
    fields = example_fields(seal)
    fields.pop("poa_date", None)
    if poa_date is not None:
        fields["poa_date"] = poa_date
    made = int(datetime.datetime(2026, 12, 7, 3, 0, tzinfo=datetime.UTC).timestamp())
    raw = make_document(
        dict(EXAMPLE_APPLICANT),
        [{"code": seal.code, "ver": seal.ver, "fields": fields}],
        dict(EXAMPLE_DELEGATE) if delegate else None,
        now=made,
    )
    warnings = check_document(parse_document(raw), default_catalogue())
    return [w.message_ko for w in warnings if w.field == "poa_date"]


def test_a_power_of_attorney_older_than_six_months_is_flagged() -> None:
    [message] = _seal_warnings("2026-06-06")
    assert "유효기간(6개월)이 지났습니다" in message and "2026-06-06" in message


def test_a_power_of_attorney_within_six_months_passes() -> None:
    assert _seal_warnings("2026-06-07") == []
    assert _seal_warnings("2026-12-07") == []


def test_a_missing_or_future_delegation_date_asks_the_clerk_to_look() -> None:
    [missing] = _seal_warnings(None)
    assert "위임장 작성일" in missing and "6개월" in missing
    [future] = _seal_warnings("2026-12-08")
    assert "뒤입니다" in future


def test_no_delegate_no_validity_check() -> None:
    assert _seal_warnings(None, delegate=False) == []
    assert _seal_warnings("2020-01-01", delegate=False) == []


def test_add_months_keeps_the_day_or_takes_the_last_one() -> None:
    import datetime

    from decoding.forms.delegation import add_months

    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 6, 7), 6) == datetime.date(2026, 12, 7)
    assert add_months(datetime.date(2027, 8, 31), 6) == datetime.date(2028, 2, 29)


# -- siblings found when every shipped form was checked against the law text ----------


def test_the_signature_certificate_is_free_until_the_end_of_2028() -> None:
    signature = form("SIGNATURE_CONFIRM_ISSUE")
    assert signature.fee_won == 0 and "2028" in signature.fee_note_ko
    assert "제14조제1항제1호" in signature.fee_basis


def test_a_seal_change_report_costs_600_won_and_the_first_report_nothing() -> None:
    seal = form("SEAL_REGISTRATION")
    assert seal.fee_won == 0 and "600원" in seal.fee_note_ko
    assert "제19조제1항제2호" in seal.fee_basis and "별지 제9호서식" in seal.form_no


def test_official_form_numbers_follow_the_form_lists() -> None:
    assert "별지 제1호의2서식" in form("INFO_DISCLOSURE_REQUEST").form_no
    assert "별지 제1호의4서식" in form("DISABILITY_REGISTRATION").form_no
    assert "별지 제1호서식" not in form("DISABILITY_REGISTRATION").law
    assert "별지 제14호서식" in form("VEHICLE_TRANSFER_REGISTRATION").form_no
    assert "별지 제4호서식" in form("MAIL_ORDER_CHANGE_REPORT").form_no


def test_the_divorce_report_names_who_may_submit_it() -> None:
    divorce = form("DIVORCE_REPORT")
    assert "제79조" in divorce.proxy.source and "부부 중 한쪽" in divorce.proxy.needs_ko


def test_fee_bases_name_the_article_that_sets_them() -> None:
    assert "제74조제1항제1호" in form("FARMLAND_QUALIFICATION").fee_basis
    assert "제8조제1항제1호" in form("FIXED_DATE_CONFIRM").fee_basis
    assert "제28조" in form("FAMILY_CERT_ISSUE").fee_basis
