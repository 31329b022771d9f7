"""decoding/canonical.py: one canonical form for typed text, phone numbers and dates,
and the counter applying it to QR and paper petitions alike."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from decoding.canonical import (
    birth_from_rrn,
    canonical_date,
    canonical_document,
    canonical_phone,
    canonical_text,
)

NFD_NAME = unicodedata.normalize("NFD", "김민원")


def test_text_is_nfc_trimmed_and_single_spaced() -> None:
    assert len(NFD_NAME) == 9
    assert canonical_text(NFD_NAME) == "김민원" and len(canonical_text(NFD_NAME)) == 3
    assert canonical_text("  김\u3000\u3000민원\t ") == "김 민원"
    assert canonical_text("a\nb") == "a b"
    assert canonical_text("줄1   끝\r\n\n\n\n줄2  ", multiline=True) == "줄1 끝\n\n줄2"


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("01012345678", "010-1234-5678"), ("010.1234.5678", "010-1234-5678"),
     ("(010) 1234-5678", "010-1234-5678"), ("+82 10-1234-5678", "010-1234-5678"),
     ("+82 (0)10 1234 5678", "010-1234-5678"), ("０１０－１２３４－５６７８", "010-1234-5678"),
     ("0212345678", "02-1234-5678"), ("(02) 123-4567", "02-123-4567"), ("0311234567", "031-123-4567"),
     ("1588 1234", "1588-1234"), ("050512345678", "0505-1234-5678"),
     # not a Korean number: left as typed for the validator's message
     ("010-123-456", "010-123-456"), ("+1 555 1234", "+1 555 1234"), ("전화 없음", "전화 없음")],
)
def test_phone_numbers_get_one_format(typed: str, canonical: str) -> None:
    assert canonical_phone(typed) == canonical


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("1950년 3월 5일", "1950-03-05"), ("1950. 3. 5.", "1950-03-05"), ("1950.3.5", "1950-03-05"),
     ("50.3.5", "1950-03-05"), ("19500305", "1950-03-05"), ("1950/03/05", "1950-03-05"),
     ("20.3.5", "2020-03-05"), ("26.6.2", "1926-06-02"),
     ("1950-02-30", "1950-02-30"), ("3월 5일", "3월 5일")],
)
def test_dates_written_the_korean_ways(typed: str, canonical: str) -> None:
    assert canonical_date(typed, today=dt.date(2026, 6, 1)) == canonical


def test_document_people_and_fields() -> None:
    raw = {
        "applicant": {"name": f" {NFD_NAME} ", "rrn": "900101-１２３４５６８", "phone": "010.1234.5678",
                      "address": {"postcode": "06750", "road": "서울  서초구"}},
        "delegate": {"name": "이대리", "relation": " 자녀 ", "birth": "1988년 5월 5일"},
        "forms": [{"code": "X", "ver": 1, "fields": {"a": "  은행   제출용 ", "b": ["  등본"], "n": 2,
                                                      "d": "2026. 1. 5.", "p": "+82 2 123 4567"}}],
    }
    out = canonical_document(raw, {("X", 1): {"d": "date", "p": "phone"}})
    assert out["applicant"] == {"name": "김민원", "rrn": "9001011234568", "birth": "1990-01-01",
                                "phone": "010-1234-5678",
                                "address": {"postcode": "06750", "road": "서울 서초구"}}
    assert out["delegate"] == {"name": "이대리", "relation": "자녀", "birth": "1988-05-05"}
    assert out["forms"][0]["fields"] == {"a": "은행 제출용", "b": ["등본"], "n": 2, "d": "2026-01-05",
                                         "p": "02-123-4567"}
    assert raw["applicant"]["name"] == f" {NFD_NAME} "  # the input is not changed
    assert birth_from_rrn("9013011234568") is None


def test_counter_stores_nfc_for_qr_and_paper(tmp_path: object) -> None:
    """The one intake pipeline: a QR document and a typed paper petition with a decomposed
    name, spaces and a dotted phone number are both stored canonical."""
    from decoding.canonical import canonical
    from decoding.document import parse_document
    from decoding.forms.catalogue import default_catalogue

    doc = parse_document({
        "v": 1, "id": "A" * 21 + "A", "iat": 1, "exp": 2,
        "applicant": {"name": f"{NFD_NAME}  ", "phone": "010-1234-5678"},
        "forms": [{"code": "RESIDENT_CERT_ISSUE", "ver": 1, "fields": {"purpose": " 은행  제출용 "}}],
    })
    got = canonical(doc, default_catalogue())
    assert got.applicant.name == "김민원"
    assert got.forms[0].fields["purpose"] == "은행 제출용"
    assert canonical(got, default_catalogue()) is got
