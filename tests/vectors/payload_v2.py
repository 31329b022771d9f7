"""The test vectors of MW1 version 2 (docs/payload-v2.md, section 8), made by the project's encoder.

``python -m tests.vectors.payload_v2`` writes ``tests/vectors/payload-v2/``:

* ``coding.json``: the coding alone, deterministic: a codebook with a field of
  every type, and cases of ``document`` -> ``coded`` (hex). The browser
  encoder (``webform/tests/compact.test.mjs``) and the Python one must give
  these bytes exactly; the reader must give the document back.
* ``vectors.json``: whole QR texts made with catalogue version 1 and the
  test key of the version 1 vectors (``../keys/test-p256-1.pem``), in their format,
  with the coded document of each good case; the error cases name the
  ``MW_*`` code.

The QR texts hold a fresh ephemeral key each time they are made, so a
regenerated file differs; ``coding.json`` does not.
"""

from __future__ import annotations

import copy
import json
import zlib
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from decoding.codebook import Codebook, FieldCode, FormCode, load_archive
from decoding.compact import encode_document, uint
from decoding.forms.catalogue import Catalogue
from decoding.forms.examples import (
    EXAMPLE_ADDRESS,
    EXAMPLE_APPLICANT,
    EXAMPLE_DELEGATE,
    example_fields,
)
from decoding.keys import kid_of, load_private_key
from decoding.payload import _SUITE, VERSION_2, encode, split_envelope
from resources import FORMS_DIR

HERE = Path(__file__).resolve().parent / "payload-v2"
KEY = "../keys/test-p256-1.pem"  # relative to payload-v2/, as in the version 1 vectors
NOW = 1_764_000_000
ID = "AAECAwQFBgcICQoLDA0ODw"  # bytes 00..0f

# A codebook with one field of every type: the coding vectors do not depend on the catalogue.
EVERY_TYPE = Codebook(
    forms=(
        FormCode("EVERY_TYPE", 1, (
            FieldCode("t_text", "text"), FieldCode("t_longtext", "longtext"),
            FieldCode("t_integer", "integer"), FieldCode("t_decimal", "decimal"),
            FieldCode("t_money", "money"), FieldCode("t_boolean", "boolean"),
            FieldCode("t_date", "date"), FieldCode("t_choice", "choice", ("등본", "초본", "열람")),
            FieldCode("t_multichoice", "multichoice", ("우편", "전자우편", "방문")),
            FieldCode("t_phone", "phone"), FieldCode("t_email", "email"),
            FieldCode("t_postcode", "postcode"), FieldCode("t_address", "address"),
            FieldCode("t_rrn", "rrn"), FieldCode("t_frn", "frn"), FieldCode("t_brn", "brn"),
            FieldCode("t_crn", "crn"), FieldCode("t_mail_order_no", "mail_order_no"),
        )),
        FormCode("SMALL", 2, (FieldCode("a", "text"),)),
    ),
    words=("서울특별시", "배우자"),
)

EVERY_VALUE: dict[str, Any] = {
    "t_text": "은행 제출용", "t_longtext": "첫 줄\n둘째 줄\t끝", "t_integer": -3, "t_decimal": 84.5,
    "t_money": 28000, "t_boolean": True, "t_date": "2025-12-01", "t_choice": "초본",
    "t_multichoice": ["전자우편", "방문"], "t_phone": "02-2155-6114", "t_email": "minwon@example.kr",
    "t_postcode": "06750", "t_address": dict(EXAMPLE_ADDRESS), "t_rrn": "9001011234568",
    "t_frn": "9001015000062", "t_brn": "2208162517", "t_crn": "1301110006246",
    "t_mail_order_no": "제2023-서울서초-0647호",
}


def _doc(forms: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"v": 1, "id": ID, "iat": NOW - 60, "exp": NOW - 60 + 2 * 86400,
            "applicant": {"name": "홍길동"}, "forms": forms, **extra}


def _form(fields: dict[str, Any], code: str = "EVERY_TYPE", ver: int = 1) -> dict[str, Any]:
    return {"code": code, "ver": ver, "fields": fields}


def coding_cases() -> list[dict[str, Any]]:
    """Each coding typed and escaped, empty and longest values, extras at every level."""
    cases: dict[str, dict[str, Any]] = {
        "every type, typed": _doc([_form(EVERY_VALUE)], applicant=dict(EXAMPLE_APPLICANT),
                                  delegate=dict(EXAMPLE_DELEGATE), office="3210000"),
        "only the required members": _doc([_form({})]),
        "empty optional values": _doc([_form({"t_text": "", "t_multichoice": [], "t_phone": "",
                                              "t_address": {}})]),
        "choices outside the list (allow_other)": _doc([_form({"t_choice": "기타 입력",
                                                              "t_multichoice": ["방문", "홍길동"]})]),
        "values that do not fit their coding go as JSON": _doc([_form({
            "t_text": 5, "t_integer": 2**53 + 2, "t_decimal": "84.5", "t_boolean": 1,
            "t_date": "1899-12-31", "t_choice": ["등본"], "t_phone": "010-CALL-ME",
            "t_postcode": "137070", "t_rrn": "900101-1234568", "t_address": "서울",
            "t_money": -1.5, "t_multichoice": "방문"})]),
        "date limits": _doc([_form({"t_date": "1900-01-01"}), _form({"t_date": "2079-06-06"}),
                             _form({"t_date": "2079-06-07"}), _form({"t_date": "2023-02-29"})]),
        "integer limits": _doc([_form({"t_integer": 2**53 - 1, "t_money": 0}),
                                _form({"t_integer": -(2**53) + 1, "t_decimal": 1e21}),
                                _form({"t_integer": 2**53, "t_decimal": -0.5})]),
        "unknown field, unknown form, form entry with more members": _doc([
            _form({"t_text": "a", "not_in_catalogue": {"x": [1, None]}}),
            _form({"a": "b"}, code="NO_SUCH_FORM"), _form({"a": "b"}, code="SMALL", ver=1),
            {**_form({"a": "b"}, code="SMALL", ver=2), "note": "more"}]),
        "extra members in the document, a person and an address": _doc(
            [_form({"t_address": {**EXAMPLE_ADDRESS, "building": "A동"}}, code="EVERY_TYPE")],
            applicant={"name": "홍길동", "nickname": "길동이", "address": {"road": "세종대로 110",
                       "extra": True}}, future_member={"x": 1}),
        "document members that do not fit": {"v": 2, "id": "short", "iat": "1", "exp": 5,
                                             "applicant": "홍길동", "forms": {}},
        "exp without a coded iat": {**_doc([_form({})]), "iat": 1.5},
        "longest values the rules allow": _doc(
            [_form({"t_text": "가" * 200, "t_longtext": "나" * 4000})] + [_form({})] * 9,
            applicant={"name": "김" * 40, "address": {"road": "로" * 200, "detail": "호" * 200}}),
        "unicode outside the BMP": _doc([_form({"t_text": "제출용 😀", "x": ["𠀀"]})]),
    }
    return [
        {"name": name, "document": doc, "coded": encode_document(doc, EVERY_TYPE).hex()}
        for name, doc in cases.items()
    ]


def _seal(plaintext: bytes, key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> str:
    pub = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    header = bytes([VERSION_2, 1]) + kid_of(pub)
    sealed = _SUITE.encrypt(plaintext, pub, info=b"MW1" + header)
    sealed = bytes([2 | sealed[64] & 1]) + sealed[1:33] + sealed[65:]
    return split_envelope(header + sealed)[0]


def _deflate(data: bytes, book: Codebook) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15, zdict=book.dictionary)
    return c.compress(data) + c.flush()


def envelope_cases(key: ec.EllipticCurvePrivateKey, book: Codebook) -> list[dict[str, Any]]:
    catalogue = Catalogue.load(FORMS_DIR)
    pub = key.public_key()
    good: dict[str, tuple[dict[str, Any], int | None]] = {}
    for form in catalogue.forms:
        entry = {"code": form.code, "ver": form.ver, "fields": example_fields(form)}
        good[f"{form.code}: every field, applicant and delegate"] = (
            _doc([entry], applicant=copy.deepcopy(EXAMPLE_APPLICANT),
                 delegate=copy.deepcopy(EXAMPLE_DELEGATE)), None)
    resident = {"code": "RESIDENT_CERT_ISSUE", "ver": 1, "fields": {"cert_kind": "등본", "copies": 1,
                                                                     "purpose": "은행 제출용"}}
    good["one certificate, only the name"] = (_doc([resident]), None)
    good["ten forms in three parts"] = (
        _doc([resident] * 10, applicant=copy.deepcopy(EXAMPLE_APPLICANT)),
        3,
    )
    cases = []
    for name, (doc, parts) in good.items():
        texts = encode(doc, pub, parts, codebook=book)
        where = {"qr": texts[0]} if len(texts) == 1 else {"parts": texts}
        cases.append({"name": name, **where, "key": KEY, "now": NOW, "catalogue": book.id.hex(),
                      "coded": encode_document(doc, book).hex(),
                      "expect": {"ok": True, "document": doc}})
    doc = good["one certificate, only the name"][0]
    coded = encode_document(doc, book)
    no_forms = encode_document({**doc, "forms": []}, book)  # ends with the count of forms, 0
    form_index = no_forms[:-1] + b"\x01" + uint(len(book.forms) + 1) + b"\x00\x00"
    bad: dict[str, tuple[bytes, str]] = {
        "catalogue version not held": (b"\x00\x00\x00\x00" + _deflate(coded, book), "MW_CATALOGUE"),
        "plaintext shorter than a catalogue id": (book.id[:2], "MW_CATALOGUE"),
        "form index beyond the catalogue": (book.id + _deflate(form_index, book), "MW_CODING"),
        "trailing bytes after the document": (
            book.id + _deflate(coded + b"\x00", book),
            "MW_CODING",
        ),
        "document cut short": (book.id + _deflate(coded[:-3], book), "MW_CODING"),
        "not a DEFLATE stream": (book.id + b"\xff\xff\xff", "MW_INFLATE"),
    }
    for name, (plaintext, error) in bad.items():
        cases.append({"name": name, "qr": _seal(plaintext, key), "key": KEY, "now": NOW,
                      "expect": {"ok": False, "error": error}})
    return cases


def hostile_texts(public_key: ec.EllipticCurvePublicKey, book: Codebook) -> dict[str, str]:
    """Version 2 QR texts a counter must refuse after decryption, by the ``MW_*`` code it says."""
    doc = _doc([{"code": "RESIDENT_CERT_ISSUE", "ver": 1, "fields": {"cert_kind": "등본"}}])
    coded = encode_document(doc, book)
    no_forms = encode_document({**doc, "forms": []}, book)
    bad_index = no_forms[:-1] + b"\x01" + uint(len(book.forms) + 1)
    return {
        "MW_CATALOGUE": _seal(b"\xfe\xed\xfa\xce" + _deflate(coded, book), public_key),
        "MW_CODING": _seal(book.id + _deflate(bad_index, book), public_key),
    }


def main() -> None:
    key = load_private_key(HERE / KEY)
    book = load_archive()[0]  # catalogue version 1: the vectors outlive later versions
    coding = {"codebook": {**EVERY_TYPE.to_json(), "codings": _codings()},
              "dictionary": EVERY_TYPE.dictionary.hex(), "cases": coding_cases()}
    for name, obj in (("coding.json", coding), ("vectors.json", envelope_cases(key, book))):
        text = json.dumps(obj, ensure_ascii=False, indent=1) + "\n"
        (HERE / name).write_text(text, "utf-8")
        print(f"{HERE / name}: {len(text):,} characters")


def _codings() -> dict[str, str]:
    from decoding.codebook import CODING_OF_TYPE

    return dict(CODING_OF_TYPE)


if __name__ == "__main__":
    main()
