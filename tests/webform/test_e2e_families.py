"""The two shared definitions (families) end to end in a real Chromium at phone size: a
petition built on ``business_change`` and one built on ``social_security_benefit`` are
found by the words people search with, filled by their labels, turned into a QR set,
scanned from screenshots and taken in by the counter with exactly the values typed."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.webform.test_e2e import APPLICANT, APPLICANT_DOC, Phone, _intake, _same_person

ADDRESS = {"postcode": "06651", "road": "서울특별시 서초구 서초대로 301", "detail": "1층"}


@pytest.fixture
def family_page(phone: Any, site_url: str) -> Any:
    page = Phone(phone, site_url)
    yield page
    page.close()


def test_a_business_change_and_a_welfare_benefit_petition(
    family_page: Phone, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ph = family_page
    search = ph.page.get_by_label("민원 찾기")
    search.fill("기초연금")
    assert ph.page.get_by_label("기초연금 신청", exact=True).is_visible()
    assert not ph.page.get_by_label("여권 발급", exact=True).is_visible()
    search.fill("")
    ph.choose("식품 영업 변경·폐업·지위승계 신고", "기초연금 신청")
    ph.person("신청인", APPLICANT)

    food = ph.form("식품 영업 변경·폐업·지위승계 신고")
    food.get_by_role("group", name="신고 구분").get_by_label("지위승계", exact=True).check()
    food.get_by_label("영업소 명칭(상호)", exact=True).fill("서초 한식당")
    food.get_by_label("영업신고 번호", exact=True).fill("제2024-0123호")
    food.get_by_label("영업의 종류", exact=True).select_option("일반음식점")
    Phone.address(food.get_by_role("group", name="영업소 소재지", exact=True), ADDRESS)
    food.get_by_label("변경·폐업·승계 일자", exact=True).fill("2026-12-01")
    # required_if from the family's section: the page asks for the previous operator
    ph.page.get_by_role("button", name="QR 코드 만들기").click()
    assert (
        "종전 영업자 성명 (양도인·피상속인): 필수 항목입니다"
        in ph.page.locator("#error-summary").inner_text()
    )
    food.get_by_label("종전 영업자 성명 (양도인·피상속인)", exact=True).fill("박양도")
    food.get_by_role("group", name="승계 원인").get_by_label("양도·양수", exact=True).check()

    pension = ph.form("기초연금 신청")
    pension.get_by_label("주거 형태", exact=True).select_option("자가")
    pension.get_by_role("group", name="신청 구분").get_by_label("신규 신청", exact=True).check()
    pension.get_by_label("은행", exact=True).fill("국민은행")
    pension.get_by_label("예금주", exact=True).fill("김민원")
    pension.get_by_label("금융정보 등 제공 동의", exact=True).check()
    ph.page.screenshot(
        path=str(Path(tempfile.gettempdir()) / "mw-webform-families.png"), full_page=True
    )
    assert ph.axe() == []

    texts = ph.make_qr()
    doc = _intake(tmp_path, texts, capsys)
    _same_person(doc["applicant"], APPLICANT_DOC)  # as the counter stores it (birth from the RRN)
    assert doc["forms"] == [
        {"code": "FOOD_BUSINESS_CHANGE_REPORT", "ver": 1, "fields": {
            "report_kind": "지위승계", "business_name": "서초 한식당", "report_no": "제2024-0123호",
            "business_kind": "일반음식점", "premises_address": ADDRESS, "effective_date": "2026-12-01",
            "transferor_name": "박양도", "succession_cause": "양도·양수"}},
        {"code": "BASIC_PENSION_APPLICATION", "ver": 1, "fields": {
            "spouse_applies": False, "housing": "자가", "request_kind": "신규 신청",
            "bank_name": "국민은행", "account_holder": "김민원", "financial_info_consent": True}},
    ]
    ph.check_privacy()
