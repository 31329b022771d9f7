"""The README's example petitions: (a) one certificate for oneself, (b) three forms (with a
1,900-character request, and with a one-line one) and (c) a proxy application.

``bench.payload`` measures their QR sizes; the browser tests type the same into the
phone form (``THREE_FORMS``, ``LONG_REQUEST``) and compare what the counter reads.
The people are the demo's (``counter_app.demo``).
"""

from __future__ import annotations

import copy
from typing import Any

from counter_app.demo import APPLICANT, DELEGATE
from decoding.payload import make_document

LONG_REQUEST = " ".join(
    f"{i}) {year}년 {topic}에 관한 {doc} 사본." for i, (year, topic, doc) in enumerate(
        [(y, t, d) for y in (2023, 2024, 2025)
         for t in ("전자민원서식 작성시스템 구축", "창구별 대기시간 통계", "도장스캐너 도입", "개인정보 영향평가",
                   "종이 서식 인쇄비 절감", "민원실 공간 재배치", "키오스크 설치 현황")
         for d in ("계약서", "결과 보고서", "회의록")], 1)
)[:1900]
ONE_CERTIFICATE: dict[str, Any] = {"code": "RESIDENT_CERT_ISSUE", "ver": 1, "fields": {
    "cert_kind": "등본", "copies": 2, "purpose": "은행 제출용", "include_past_addresses": True,
    "past_address_scope": "최근 5년", "include_household_relation": False,
    "include_past_householders": False}}
THREE_FORMS: list[dict[str, Any]] = [
    {"code": "RESIDENT_CERT_ISSUE", "ver": 1, "fields": {
        "cert_kind": "초본", "copies": 1, "purpose": "회사 제출용", "include_past_addresses": False,
        "include_household_relation": False, "include_past_householders": False}},
    {"code": "FAMILY_CERT_ISSUE", "ver": 1, "fields": {
        "target_relation": "배우자", "target_name": "박배우", "cert_kind": "혼인관계증명서",
        "detail_level": "상세", "copies": 3, "purpose": "학교 제출용", "show_full_rrn": False}},
    {"code": "INFO_DISCLOSURE_REQUEST", "ver": 1, "fields": {
        "subject": LONG_REQUEST, "disclosure_method": ["사본·출력물", "전자파일"],
        "receipt_method": "전자우편", "fee_waiver": False}},
]


def readme_petitions(office: str) -> dict[str, dict[str, Any]]:
    """The README's petitions as documents for ``office``, by their README names."""
    short = copy.deepcopy(THREE_FORMS)
    short[2]["fields"]["subject"] = "2025년 민원실 키오스크 설치 계약서 사본"
    no_email = {k: v for k, v in APPLICANT.items() if k != "email"}
    proxy_form = copy.deepcopy(THREE_FORMS[0])
    return {
        "(a) one certificate for oneself": make_document(APPLICANT, [ONE_CERTIFICATE], office=office),
        "(b) three forms, 1,900-character request": make_document(APPLICANT, THREE_FORMS, office=office),
        "(b') three forms, a one-line request": make_document(APPLICANT, short, office=office),
        "(c) proxy application": make_document(no_email, [proxy_form], DELEGATE, office=office),
    }
