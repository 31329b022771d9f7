"""MW1 version 2 (docs/payload-v2.md): its vectors, every form, and hostile codings."""

from __future__ import annotations

import copy
import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from decoding.codebook import Codebook, newest_codebook, shipped_codebooks
from decoding.compact import CodingError, decode_document, encode_document, uint
from decoding.errors import ErrorCode, PayloadError
from decoding.forms import default_catalogue
from decoding.forms.examples import EXAMPLE_APPLICANT, EXAMPLE_DELEGATE, example_fields
from decoding.keys import KeyRing, load_private_key
from decoding.payload import _SUITE, VERSION_2, decode, encode, make_document, split_envelope
from tests.vectors.payload_v2 import EVERY_TYPE, HERE, coding_cases

NOW = 1_764_000_000


@pytest.fixture(scope="module")
def key() -> ec.EllipticCurvePrivateKey:
    return load_private_key(HERE / ".." / "keys" / "test-p256-1.pem")


@pytest.fixture(scope="module")
def ring(key: ec.EllipticCurvePrivateKey) -> KeyRing:
    return KeyRing([key])


# -- the vectors ------------------------------------------------------------------------


def test_coding_vectors_are_what_the_encoder_makes_and_decode_back() -> None:
    stored = json.loads((HERE / "coding.json").read_text("utf-8"))
    assert Codebook.from_json(stored["codebook"]) == EVERY_TYPE
    assert stored["dictionary"] == EVERY_TYPE.dictionary.hex()
    assert stored["cases"] == json.loads(json.dumps(coding_cases(), ensure_ascii=False)), (
        "the coding changed: python -m tests.vectors.payload_v2 remakes the vectors"
    )
    for case in stored["cases"]:
        assert decode_document(bytes.fromhex(case["coded"]), EVERY_TYPE) == case["document"]


def test_envelope_vectors(ring: KeyRing) -> None:
    cases = json.loads((HERE / "vectors.json").read_text("utf-8"))
    assert len(cases) > 30
    books = shipped_codebooks()
    for case in cases:
        if "coded" in case:  # the encoder of today codes as the encoder that made them
            book = books[bytes.fromhex(case["catalogue"])]
            assert encode_document(case["expect"]["document"], book).hex() == case["coded"]
        assert case["key"] == "../keys/test-p256-1.pem"
        texts = [case["qr"]] if "qr" in case else case["parts"]
        if case["expect"]["ok"]:
            doc = decode(texts, ring, case["now"])
            assert doc.raw == case["expect"]["document"], case["name"]
        else:
            with pytest.raises(PayloadError) as info:
                decode(texts, ring, case["now"])
            assert info.value.code == case["expect"]["error"], case["name"]
            assert info.value.message_ko and info.value.message_en


# -- every form, both ways ------------------------------------------------------------------


@pytest.mark.parametrize("form", default_catalogue().forms, ids=lambda f: f.code)
def test_every_form_round_trips_smaller_than_version_1(
    key: ec.EllipticCurvePrivateKey, ring: KeyRing, form: Any
) -> None:
    entry = {"code": form.code, "ver": form.ver, "fields": example_fields(form)}
    doc = make_document(copy.deepcopy(EXAMPLE_APPLICANT), [entry], copy.deepcopy(EXAMPLE_DELEGATE),
                        now=NOW - 60, office="3210000")
    v2 = encode(doc, key.public_key())
    assert decode(v2, ring, NOW).raw == doc
    v1 = encode(doc, key.public_key(), version=1)
    assert sum(map(len, v2)) < 0.6 * sum(map(len, v1))


def test_a_lone_surrogate_survives_as_json_and_is_then_refused(
    key: ec.EllipticCurvePrivateKey, ring: KeyRing
) -> None:
    doc = make_document({"name": "홍길동"}, [{"code": "X", "ver": 1, "fields": {}}], now=NOW - 60)
    doc["applicant"]["email"] = "a\ud800b"
    coded = encode_document(doc, newest_codebook())
    assert decode_document(coded, newest_codebook()) == doc
    with pytest.raises(PayloadError) as info:
        decode(encode(doc, key.public_key()), ring, NOW)
    assert info.value.code == ErrorCode.SCHEMA


# -- hostile codings -------------------------------------------------------------------------

BOOK = EVERY_TYPE
HEAD = b"\x00\xaf" + bytes(range(16)) + uint(NOW) + uint(60)  # v, id, iat, exp bits; then values
APPLICANT = b"\x00\x01" + b"\x09" + "홍길동".encode()  # no escapes, the name only


def _doc(forms: bytes) -> bytes:
    """A coded document: v id iat exp applicant forms, the forms part given."""
    return HEAD + APPLICANT + forms


def _fields(bits: bytes, values: bytes, escapes: bytes = b"\x00") -> bytes:
    return _doc(b"\x01\x01" + escapes + bits + values)


def test_the_hostile_helpers_make_a_valid_document() -> None:
    good = _fields(b"\x80\x00\x00", b"\x02")  # t_choice = 초본
    assert decode_document(good, BOOK)["forms"][0]["fields"] == {"t_choice": "초본"}


HOSTILE: dict[str, tuple[bytes, str]] = {
    "form index beyond the codebook": (_doc(b"\x01\x03"), "Form index 3"),
    "choice index beyond the choices": (_fields(b"\x80\x00\x00", b"\x04"), "Choice index 4"),
    "multichoice index beyond the choices": (_fields(b"\x00\x01\x00", b"\x01\x09"), "Choice index 9"),
    "member index beyond the list": (_fields(b"\x00\x00\x00", b"", b"\x01\x13"), "index 19"),
    "an escape twice": (_fields(b"\x00\x00\x00", b"", b"\x02\x00\x01\x30\x00\x01\x30"), "index 0"),
    "an escape and a value for one member": (_fields(b"\x01\x00\x00", b"\x00", b"\x01\x00\x01\x30"),
                                             "bitmap"),
    "bitmap bits beyond the list": (_fields(b"\x00\x00\x04", b""), "bitmap"),
    "extra member named like a listed one": (_fields(b"\x00\x00\x00", b"",
                                                     b"\x01\x12\x06t_text\x011"), "given twice"),
    "boolean neither 0 nor 1": (_fields(b"\x20\x00\x00", b"\x02"), "boolean"),
    "digits beyond their count": (_fields(b"\x00\x08\x00", b"\xff\xff\xff"), "5 digits"),
    "phone nibble that is no digit": (_fields(b"\x00\x02\x00", b"\x02\xbb"), "phone"),
    "phone with a bad pad": (_fields(b"\x00\x02\x00", b"\x01\x10"), "phone"),
    "number that is not JSON": (_fields(b"\x08\x00\x00", b"\x03NaN"), "JSON"),
    "number that is not finite": (_fields(b"\x08\x00\x00", b"\x051e999"), "finite"),
    "string that is not UTF-8": (_fields(b"\x01\x00\x00", b"\x02\xff\xfe"), "UTF-8"),
    "escape that is not JSON": (_fields(b"\x00\x00\x00", b"", b"\x01\x00\x02{x"), "JSON"),
    "escape with a duplicate member": (_fields(b"\x00\x00\x00", b"",
                                               b'\x01\x00\x0f{"a":1,"a":2}  '[:18]), "JSON"),
    "count beyond what is left": (_doc(b"\x7f"), "count"),
    "number longer than 8 bytes": (_doc(b"\xff" * 9), "8 bytes"),
    "cut short": (_fields(b"\x40\x00\x00", b"\x10"), "ends too early"),
    "string longer than what is left": (_fields(b"\x01\x00\x00", b"\x10abc"), "count"),
    "trailing bytes": (_fields(b"\x00\x00\x00", b"") + b"\x00", "follow"),
    "exp without a coded iat": (b"\x00\xab" + bytes(range(16)) + uint(60) + APPLICANT + b"\x00",
                                "iat"),
    "a petition that expands too far": (_doc(b"\x01\x01\x00\x00\x01\x00\xff\xff\x03" +
                                             b"\x02" * 65_535), "limit"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_codings_are_clear_errors(name: str) -> None:
    data, said = HOSTILE[name]
    with pytest.raises(CodingError) as info:
        decode_document(data, BOOK)
    assert said in info.value.message_en, (name, info.value.message_en)
    assert info.value.message_ko and isinstance(info.value.details["at"], int)


def _seal_v2(plaintext: bytes, key: ec.EllipticCurvePrivateKey) -> list[str]:
    from decoding.keys import kid_of

    header = bytes([VERSION_2, 1]) + kid_of(key.public_key())
    sealed = _SUITE.encrypt(plaintext, key.public_key(), info=b"MW1" + header)
    return split_envelope(header + bytes([2 | sealed[64] & 1]) + sealed[1:33] + sealed[65:])


def _deflated(book: Codebook, coded: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15, zdict=book.dictionary)
    return book.id + c.compress(coded) + c.flush()


def test_the_reader_says_which_catalogue_version_and_which_index(
    key: ec.EllipticCurvePrivateKey, ring: KeyRing
) -> None:
    book = newest_codebook()
    bad = _doc(b"\x01" + uint(len(book.forms) + 1))
    with pytest.raises(PayloadError) as info:
        decode(_seal_v2(_deflated(book, bad), key), ring, NOW)
    err = info.value
    assert err.code == ErrorCode.CODING and err.details["index"] == len(book.forms) + 1
    assert (
        f"카탈로그 버전 {book.number}" in err.message_ko
        and err.details["catalogue"] == book.id.hex()
    )
    unknown = b"\xde\xad\xbe\xef" + _deflated(book, bad)[4:]
    with pytest.raises(PayloadError) as info:
        decode(_seal_v2(unknown, key), ring, NOW)
    assert info.value.code == ErrorCode.CATALOGUE and info.value.details == {
        "catalogue": "deadbeef"
    }
    empty = book.id + b"\x03\x00"  # an empty fixed-Huffman block: no document at all
    with pytest.raises(PayloadError) as info:
        decode(_seal_v2(empty, key), ring, NOW)
    assert info.value.code == ErrorCode.CODING


def test_version_1_and_2_of_one_document_decode_alike(
    key: ec.EllipticCurvePrivateKey, ring: KeyRing, tmp_path: Path
) -> None:
    doc = make_document(copy.deepcopy(EXAMPLE_APPLICANT),
                        [{"code": "RESIDENT_CERT_ISSUE", "ver": 1, "fields": {"cert_kind": "등본"}}],
                        now=NOW - 60)
    one = decode(encode(doc, key.public_key(), version=1), ring, NOW)
    two = decode(encode(doc, key.public_key()), ring, NOW)
    assert one == two
    with pytest.raises(ValueError):
        encode(doc, key.public_key(), version=3)
