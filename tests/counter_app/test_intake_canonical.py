"""The counter stores what was typed in one canonical form, for QR and paper petitions alike
(decoding/canonical.py): a name in decomposed Hangul, stray spaces, a phone number written
another way reach the case database as the web form would have written them."""

from __future__ import annotations

import unicodedata
from typing import Any

from counter_app.intake import IntakeService
from decoding.forms import default_catalogue
from decoding.keys import KeyRing, load_public_key
from decoding.payload import encode
from records.store import CaseStore
from tests.records.support import PUB_PATH, applicant, db_url, document, private_key, store

__all__ = ["db_url", "store"]

NFD = unicodedata.normalize("NFD", "김민원")


def _service(store: CaseStore) -> IntakeService:
    return IntakeService(KeyRing([private_key()]), store, office="3210000", catalogue=default_catalogue())


def _stored(store: CaseStore, case_number: str) -> dict[str, Any]:
    """The case as the database holds it: the listed name and the stored document."""
    detail = store.get(case_number)
    assert detail.row.applicant_name == detail.document["applicant"]["name"]
    return detail.document


def test_a_qr_petition_with_a_decomposed_name_is_stored_nfc(store: CaseStore) -> None:
    doc = document()
    doc["applicant"] = {**applicant(), "name": f"{NFD}  ", "phone": "01012345678"}
    doc["forms"][0]["fields"]["purpose"] = " 은행   제출용 "
    service = _service(store)
    checked = service.check(encode(doc, load_public_key(PUB_PATH)))
    assert checked.document.applicant.name == "김민원" and checked.document.applicant.phone == "010-1234-5678"
    assert checked.document.forms[0].fields["purpose"] == "은행 제출용"
    receipt = service.accept(checked, clerk="kim", counter="민원1")
    stored = _stored(store, receipt.case_number)
    assert stored["applicant"]["name"] == "김민원" and len(stored["applicant"]["name"]) == 3
    assert stored["forms"][0]["fields"]["purpose"] == "은행 제출용"


def test_a_paper_petition_is_made_canonical_the_same_way(store: CaseStore) -> None:
    service = _service(store)
    paper = {**applicant(), "name": NFD, "phone": "(010) 1234.5678", "birth": "1990년 1월 1일"}
    form = {"code": "RESIDENT_CERT_ISSUE", "ver": 1,
            "fields": {"cert_kind": "등본", "copies": 1, "purpose": "은행  제출용"}}
    receipt = service.accept_paper(paper, [form], clerk="kim", counter="민원1")
    stored = _stored(store, receipt.case_number)
    assert stored["applicant"]["name"] == "김민원"
    assert stored["applicant"]["phone"] == "010-1234-5678" and stored["applicant"]["birth"] == "1990-01-01"
    assert stored["forms"][0]["fields"]["purpose"] == "은행 제출용"
