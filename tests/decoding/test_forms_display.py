"""Field values as text for screens, lists and printouts."""

from __future__ import annotations

from decoding.forms import FieldDef, case_title, default_catalogue, display_value


def fd(ftype: str) -> FieldDef:
    return FieldDef(id="f", label_ko="항목", label_en="Field", type=ftype)


def test_identifiers_are_masked_or_formatted() -> None:
    assert display_value(fd("rrn"), "9001011234568") == "900101-1******"
    assert display_value(fd("rrn"), "9001011234568", reveal_rrn=True) == "900101-1234568"
    assert display_value(fd("frn"), "9001015000062") == "900101-5******"
    assert display_value(fd("brn"), "2208162517") == "220-81-62517"
    assert display_value(fd("crn"), "1301110006246") == "130111-0006246"


def test_other_values() -> None:
    assert display_value(fd("money"), 28000) == "28,000원"
    assert display_value(fd("boolean"), False) == "아니요"
    assert display_value(fd("multichoice"), ["인터넷", "TV홈쇼핑"]) == "인터넷, TV홈쇼핑"
    address = {"postcode": "06621", "road": "서울특별시 서초구 강남대로 373", "detail": "1층"}
    assert display_value(fd("address"), address) == "(06621) 서울특별시 서초구 강남대로 373, 1층"
    assert display_value(fd("text"), None) == ""
    assert display_value(fd("decimal"), 84.5) == "84.5"


def test_case_title_uses_the_title_field() -> None:
    food = default_catalogue().get("FOOD_BUSINESS_REPORT")
    assert food is not None
    assert case_title(food, {"business_name": "서초 한우 국밥"}) == "식품 영업신고 — 서초 한우 국밥"
    assert case_title(food, {}) == "식품 영업신고"
    lease = default_catalogue().get("FIXED_DATE_CONFIRM")
    assert lease is not None
    title = case_title(lease, {"house_address": {"postcode": "06750", "road": "남부순환로 2584"}})
    assert title.endswith("(06750) 남부순환로 2584")
