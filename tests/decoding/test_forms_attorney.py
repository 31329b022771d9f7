"""The power of attorney (위임장) derived from a proxy petition."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from decoding.document import parse_document
from decoding.forms import default_catalogue, power_of_attorney, render_html, render_text
from decoding.forms.examples import EXAMPLE_APPLICANT, EXAMPLE_DELEGATE, example_fields
from tests.decoding.test_forms_validation import entry, make_doc

CATALOGUE = default_catalogue()


def form(code: str):  # type: ignore[no-untyped-def]
    found = CATALOGUE.get(code)
    assert found is not None
    return found


def test_no_attorney_when_the_applicant_comes_in_person() -> None:
    assert power_of_attorney(make_doc([entry(form("RESIDENT_CERT_ISSUE"))]), CATALOGUE) is None


def test_vector_spouse_proxy(vectors_dir: Path) -> None:
    cases = json.loads((vectors_dir / "basic.json").read_text("utf-8"))
    case = next(c for c in cases if c["name"].startswith("resident certificate by a delegate"))
    doc = parse_document(case["expect"]["document"])
    poa = power_of_attorney(doc, CATALOGUE)
    assert poa is not None and poa.printable and not poa.refusals
    assert poa.principal.name == "홍길동" and poa.agent.name == "이민수"
    assert poa.relation == "배우자"
    assert poa.date == "2025-11-25"  # iat 1763996400 is 2025-11-25 00:00 KST
    [task] = poa.tasks
    assert task.form_code == "RESIDENT_CERT_ISSUE"
    particulars = dict(task.particulars)
    assert particulars["신청 구분"] == "등본"
    assert particulars["통수"] == "2"
    assert particulars["용도"] == "금융기관 제출"
    assert any("별지 제9호서식" in p for p in poa.proof_ko)


def test_text_and_html_mask_resident_numbers() -> None:
    doc = make_doc([entry(form("FAMILY_CERT_ISSUE"))], delegate=EXAMPLE_DELEGATE)
    poa = power_of_attorney(doc, CATALOGUE)
    assert poa is not None
    text = render_text(poa)
    page = render_html(poa)
    for out in (text, page, json.dumps(poa.to_json(), ensure_ascii=False)):
        assert "900101-1******" in out and "880909-1******" in out
        assert "9001011234568" not in out and "1234568" not in out
    assert "위 임 장" in text and "가족관계등록부 증명서 교부" in text
    assert "(서명 또는 인)" in text  # the seal is captured at the counter, never copied
    assert "900101-1234568" in render_text(poa, reveal_rrn=True)

    class Check(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.open: list[str] = []

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag not in ("br", "meta"):
                self.open.append(tag)

        def handle_endtag(self, tag: str) -> None:
            assert self.open.pop() == tag

    checker = Check()
    checker.feed(page)
    assert checker.open == []


def test_html_escapes_what_the_citizen_typed() -> None:
    applicant = dict(EXAMPLE_APPLICANT, name="<b>홍</b>")
    doc = make_doc([entry(form("LAND_REGISTER_ISSUE"))], applicant, EXAMPLE_DELEGATE)
    poa = power_of_attorney(doc, CATALOGUE)
    assert poa is not None
    assert "<b>홍</b>" not in render_html(poa) and "&lt;b&gt;" in render_html(poa)


def test_forbidden_form_is_refused_with_its_reason() -> None:
    doc = make_doc(
        [entry(form("SIGNATURE_CONFIRM_ISSUE")), entry(form("LAND_REGISTER_ISSUE"))],
        delegate=EXAMPLE_DELEGATE,
    )
    poa = power_of_attorney(doc, CATALOGUE)
    assert poa is not None
    assert [t.form_code for t in poa.tasks] == ["LAND_REGISTER_ISSUE"]
    [refusal] = poa.refusals
    assert refusal.form_code == "SIGNATURE_CONFIRM_ISSUE" and refusal.kind == "forbidden"
    assert "본인이 직접 출석" in refusal.message_ko and "in person" in refusal.message_en
    text = render_text(poa)
    assert "위임할 수 없는 민원" in text and "본인서명사실확인서" in text


def test_seal_certificate_refuses_a_qr_made_attorney() -> None:
    doc = make_doc([entry(form("SEAL_CERT_ISSUE"))], delegate=EXAMPLE_DELEGATE)
    poa = power_of_attorney(doc, CATALOGUE)
    assert poa is not None
    assert not poa.printable and poa.tasks == ()
    [refusal] = poa.refusals
    assert refusal.kind == "handwritten"
    assert "QR로 작성한 위임장은 쓸 수 없습니다" in refusal.message_ko
    assert "직접 써야" in refusal.message_ko and "별지 제13호서식" in refusal.message_ko
    assert "위임할 수 있는 민원이 없습니다" in render_text(poa)


def test_unknown_forms_are_left_out() -> None:
    doc = make_doc(
        [{"code": "NO_SUCH_FORM", "ver": 1, "fields": {}}, entry(form("LAND_REGISTER_ISSUE"))],
        delegate=EXAMPLE_DELEGATE,
    )
    poa = power_of_attorney(doc, CATALOGUE)
    assert poa is not None and [t.form_code for t in poa.tasks] == ["LAND_REGISTER_ISSUE"]


def test_particulars_leave_identifiers_and_addresses_on_the_form() -> None:
    land = form("VEHICLE_TRANSFER_REGISTRATION")
    doc = make_doc([entry(land)], delegate=EXAMPLE_DELEGATE)
    poa = power_of_attorney(doc, CATALOGUE)
    assert poa is not None
    labels = [k for k, _ in poa.tasks[0].particulars]
    assert "자동차 등록번호" in labels and "매매 금액(원)" in labels
    assert "양도인 주민등록번호" not in labels
    assert dict(poa.tasks[0].particulars)["매매 금액(원)"] == "10,000원"
    assert example_fields(land)["seller_rrn"] not in render_text(poa)
