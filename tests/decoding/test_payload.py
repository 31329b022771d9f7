"""The MW1 reader and writer against the spec (section 3) and its test vectors."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite

from decoding.base45 import b45decode, b45encode
from decoding.codebook import newest_codebook
from decoding.compact import encode_document
from decoding.document import Document
from decoding.errors import ErrorCode, PayloadError
from decoding.keys import KeyRing, kid_of, load_private_key
from decoding.payload import (
    MAX_SYMBOL_CHARS,
    PartProgress,
    PartReader,
    decode,
    encode,
    make_document,
    split_envelope,
)
from tests.helpers.ime import type_through_ime

NOW = 1_764_000_000


@pytest.fixture(params=[1, 2], ids=["v1", "v2"])
def version(request: pytest.FixtureRequest) -> int:
    """Every reader test runs on both payload codings (docs/payload-v1.md, payload-v2.md)."""
    return int(request.param)


def encode_v(
    version: int,
    doc: dict[str, Any],
    public_key: ec.EllipticCurvePublicKey,
    parts: int | None = None,
) -> list[str]:
    return encode(doc, public_key, parts, version=version)


def load_cases(vectors_dir: Path) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in sorted(vectors_dir.glob("*.json")):
        cases.extend(json.loads(path.read_text("utf-8")))
    return cases


def test_every_vector(vectors_dir: Path) -> None:
    cases = load_cases(vectors_dir)
    assert cases, "no test vectors found"
    for case in cases:
        ring = KeyRing.from_files([vectors_dir / case["key"]])
        texts = [case["qr"]] if "qr" in case else case["parts"]
        expect = case["expect"]
        if expect["ok"]:
            doc = decode(texts, ring, case["now"])
            assert doc.raw == expect["document"], case["name"]
        else:
            with pytest.raises(PayloadError) as info:
                decode(texts, ring, case["now"])
            assert info.value.code == expect["error"], case["name"]
            assert info.value.message_ko and info.value.message_en


@pytest.fixture(scope="module")
def key(vectors_dir: Path) -> ec.EllipticCurvePrivateKey:
    return load_private_key(vectors_dir / "keys" / "test-p256-1.pem")


@pytest.fixture(scope="module")
def ring(key: ec.EllipticCurvePrivateKey) -> KeyRing:
    return KeyRing([key])


def sample(now: int = NOW, **extra: Any) -> dict[str, Any]:
    doc = make_document(
        {"name": "홍길동", "rrn": "9001011234568", "birth": "1990-01-01", "phone": "010-1234-5678"},
        [{"code": "RESIDENT_CERT_ISSUE", "ver": 1, "fields": {"cert_kind": "등본", "copies": 1}}],
        now=now - 60,
    )
    doc.update(extra)
    return doc


def reject(texts: str | list[str], ring: KeyRing, now: int = NOW) -> PayloadError:
    with pytest.raises(PayloadError) as info:
        decode(texts, ring, now)
    return info.value


def seal_raw(
    plaintext: bytes, public_key: ec.EllipticCurvePublicKey, version: int = 1, suite: int = 1
) -> str:
    header = bytes([version, suite]) + kid_of(public_key)
    body = Suite(KEM.P256, KDF.HKDF_SHA256, AEAD.AES_128_GCM).encrypt(
        plaintext, public_key, info=b"MW1" + header
    )
    return "MW1:" + b45encode(header + body)


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


# -- round trips and parts ----------------------------------------------------


def test_round_trip_single(version: int, key: ec.EllipticCurvePrivateKey, ring: KeyRing) -> None:
    doc = sample()
    texts = encode_v(version, doc, key.public_key())
    assert len(texts) == 1 and texts[0].startswith("MW1:")
    assert decode(texts, ring, NOW).raw == doc


def test_long_document_is_split_into_symbols_that_fit(
    version: int, key: ec.EllipticCurvePrivateKey, ring: KeyRing
) -> None:
    import os

    doc = sample(note=os.urandom(1500).hex())  # incompressible: forces several parts
    texts = encode_v(version, doc, key.public_key())
    assert len(texts) >= 3
    assert all(t.startswith("MWP:") and len(t) <= MAX_SYMBOL_CHARS for t in texts)
    lengths = [len(t) for t in texts]
    assert max(lengths) - min(lengths) <= 3  # nearly equal
    assert decode(list(reversed(texts)), ring, NOW).raw == doc


def test_parts_any_order_repeats_ignored(
    version: int, key: ec.EllipticCurvePrivateKey, ring: KeyRing
) -> None:
    doc = sample()
    texts = encode_v(version, doc, key.public_key(), parts=3)
    reader = PartReader(ring, lambda: NOW)
    first = reader.feed(texts[2])
    assert isinstance(first, PartProgress)
    assert (first.received, first.total, first.missing) == (1, 3, [1, 2])
    again = reader.feed(texts[2])
    assert isinstance(again, PartProgress) and again.received == 1
    assert isinstance(reader.feed(texts[0]), PartProgress)
    result = reader.feed(texts[1])
    assert isinstance(result, Document) and result.raw == doc
    assert reader.pending is None


def test_half_finished_set_reports_missing_parts(
    version: int, key: ec.EllipticCurvePrivateKey, ring: KeyRing
) -> None:
    texts = encode_v(version, sample(), key.public_key(), parts=4)
    err = reject([texts[0], texts[3]], ring)
    assert err.code == ErrorCode.PART
    assert err.details["missing"] == [2, 3]
    assert "2/4" in err.message_ko


def test_conflicting_part_is_refused(
    version: int, key: ec.EllipticCurvePrivateKey, ring: KeyRing
) -> None:
    texts = encode_v(version, sample(), key.public_key(), parts=2)
    raw = bytearray(b45decode(texts[1][4:]))
    raw[-1] ^= 1
    forged = "MWP:" + b45encode(bytes(raw))
    assert reject([texts[1], forged], ring).code == ErrorCode.PART


@pytest.mark.parametrize(("index", "total"), [(0, 3), (4, 3), (1, 1), (1, 17)])
def test_bad_index_or_total(index: int, total: int) -> None:
    part = bytes([1, 1, 2, 3, 4, index, total]) + b"chunk"
    assert reject("MWP:" + b45encode(part), KeyRing()).code == ErrorCode.PART


def test_part_header_short_or_unknown_format() -> None:
    assert reject("MWP:" + b45encode(b"\x01\x00"), KeyRing()).code == ErrorCode.PART
    assert (
        reject("MWP:" + b45encode(bytes([2, 1, 2, 3, 4, 1, 2, 0])), KeyRing()).code
        == ErrorCode.PART
    )


def test_disagreeing_totals_and_mixed_messages(
    version: int, key: ec.EllipticCurvePrivateKey, ring: KeyRing
) -> None:
    a = encode_v(version, sample(), key.public_key(), parts=2)
    b = encode_v(version, sample(), key.public_key(), parts=3)
    assert reject([a[0], b[0]], ring).code == ErrorCode.PART  # strict: one payload only
    raw = bytearray(b45decode(a[1][4:]))
    raw[6] = 3  # same msg_id, other total
    assert reject([a[0], "MWP:" + b45encode(bytes(raw))], ring).code == ErrorCode.PART


def test_counter_reader_starts_over_on_a_new_message(
    version: int, key: ec.EllipticCurvePrivateKey, ring: KeyRing
) -> None:
    a = encode_v(version, sample(), key.public_key(), parts=2)
    doc_b = sample()
    b = encode_v(version, doc_b, key.public_key(), parts=2)
    reader = PartReader(ring, lambda: NOW)
    reader.feed(a[0])
    reader.feed(b[1])
    result = reader.feed(b[0])
    assert isinstance(result, Document) and result.id == doc_b["id"]


def test_extra_text_after_a_complete_payload(
    version: int, key: ec.EllipticCurvePrivateKey, ring: KeyRing
) -> None:
    one = encode_v(version, sample(), key.public_key())[0]
    assert reject([one, "MW1:AB"], ring).code == ErrorCode.PART


def test_split_envelope_refuses_impossible_counts() -> None:
    with pytest.raises(ValueError):
        split_envelope(b"x" * 100, parts=17)


# -- each step's error ----------------------------------------------------------


def test_prefix_and_empty(ring: KeyRing) -> None:
    assert reject("HELLO", ring).code == ErrorCode.PREFIX
    assert reject("", ring).code == ErrorCode.PREFIX
    assert reject([], ring).code == ErrorCode.PREFIX


def test_version_suite_kid(version: int, key: ec.EllipticCurvePrivateKey, ring: KeyRing) -> None:
    pub = key.public_key()
    assert reject(seal_raw(b"", pub, version=3), ring).code == ErrorCode.VERSION
    assert reject(seal_raw(b"", pub, version=0), ring).code == ErrorCode.VERSION
    assert reject(seal_raw(b"", pub, suite=2), ring).code == ErrorCode.SUITE
    assert reject("MW1:", ring).code == ErrorCode.VERSION
    assert reject("MW1:" + b45encode(b"\x01"), ring).code == ErrorCode.SUITE
    assert reject("MW1:" + b45encode(b"\x01\x01\x00"), ring).code == ErrorCode.KID
    other = ec.generate_private_key(ec.SECP256R1())
    err = reject(encode_v(version, sample(), other.public_key())[0], ring)
    assert err.code == ErrorCode.KID and err.details["kid"] == kid_of(other.public_key()).hex()


def test_header_is_bound_to_the_ciphertext(version: int, key: ec.EllipticCurvePrivateKey) -> None:
    # Re-label a payload for key 1 as if for key 2, with both keys held.
    other = ec.generate_private_key(ec.SECP256R1())
    both = KeyRing([key, other])
    env = bytearray(b45decode(encode_v(version, sample(), key.public_key())[0][4:]))
    env[2:6] = kid_of(other.public_key())
    assert reject("MW1:" + b45encode(bytes(env)), both).code == ErrorCode.DECRYPT


def test_short_and_flipped_ciphertext(
    version: int, key: ec.EllipticCurvePrivateKey, ring: KeyRing
) -> None:
    env = b45decode(encode_v(version, sample(), key.public_key())[0][4:])
    assert reject("MW1:" + b45encode(env[:50]), ring).code == ErrorCode.DECRYPT
    if version == 1:
        bad_point = env[:6] + b"\x04" + b"\x00" * 64 + env[71:]
    else:  # a compressed point: a first byte other than 02/03, and an x off the curve
        bad_point = env[:6] + b"\x04" + env[7:]
        assert reject("MW1:" + b45encode(bad_point), ring).code == ErrorCode.DECRYPT
        bad_point = env[:6] + b"\x02" + b"\xff" * 32 + env[39:]
    assert reject("MW1:" + b45encode(bad_point), ring).code == ErrorCode.DECRYPT


def test_inflate_errors(key: ec.EllipticCurvePrivateKey, ring: KeyRing) -> None:
    pub = key.public_key()
    assert reject(seal_raw(b"\xff\xff\xff", pub), ring).code == ErrorCode.INFLATE
    bomb = deflate(b" " * 70_000)
    err = reject(seal_raw(bomb, pub), ring)
    assert err.code == ErrorCode.INFLATE and "64" in err.message_ko
    ok = deflate(json.dumps(sample()).encode())
    assert reject(seal_raw(ok[:-3], pub), ring).code == ErrorCode.INFLATE  # truncated
    assert reject(seal_raw(ok + b"junk", pub), ring).code == ErrorCode.INFLATE  # trailing


def test_exactly_64_kib_is_allowed(
    version: int, key: ec.EllipticCurvePrivateKey, ring: KeyRing
) -> None:
    doc = sample(pad="")
    if version == 1:
        size = len(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode())
    else:  # the coded document (docs/payload-v2.md): 'pad' with a 2-byte length becomes 3 bytes
        size = len(encode_document(doc, newest_codebook())) + 2
    doc["pad"] = "x" * (65_536 - size)
    assert decode(encode_v(version, doc, key.public_key()), ring, NOW).raw == doc
    doc["pad"] += "x"
    assert reject(encode_v(version, doc, key.public_key()), ring).code == ErrorCode.INFLATE


@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe", b"[1, 2]", b'"text"', b"{", b'{"a": NaN}', b'{"v": 1, "v": 1}', b"[" * 5000],
)
def test_json_errors(key: ec.EllipticCurvePrivateKey, ring: KeyRing, body: bytes) -> None:
    assert reject(seal_raw(deflate(body), key.public_key()), ring).code == ErrorCode.JSON


def _without(doc: dict[str, Any], path: str) -> dict[str, Any]:
    *parents, last = path.split(".")
    target = doc
    for p in parents:
        target = target[int(p)] if isinstance(target, list) else target[p]
    del target[last]
    return doc


SCHEMA_BREAKS = {
    "no v": lambda d: _without(d, "v"),
    "v is 2": lambda d: d.update(v=2),
    "v is true": lambda d: d.update(v=True),
    "id short": lambda d: d.update(id="abc"),
    "id 22 chars not 16 bytes": lambda d: d.update(id="A" * 21 + "B"),
    "iat string": lambda d: d.update(iat="1"),
    "exp before iat": lambda d: d.update(exp=d["iat"]),
    "exp over 30 days": lambda d: d.update(exp=d["iat"] + 30 * 86400 + 1),
    "office number": lambda d: d.update(office=3210000),
    "no applicant": lambda d: _without(d, "applicant"),
    "applicant name empty": lambda d: d["applicant"].update(name=""),
    "applicant name 41": lambda d: d["applicant"].update(name="가" * 41),
    "rrn with hyphen": lambda d: d["applicant"].update(rrn="900101-1234568"),
    "rrn 12 digits": lambda d: d["applicant"].update(rrn="900101123456"),
    "birth not a day": lambda d: d["applicant"].update(birth="2023-02-29"),
    "birth format": lambda d: d["applicant"].update(birth="19900101"),
    "phone letters": lambda d: d["applicant"].update(phone="010-CALL-ME"),
    "postcode 6 digits": lambda d: d["applicant"].update(address={"postcode": "137070"}),
    "address string": lambda d: d["applicant"].update(address="서울"),
    "delegate without relation": lambda d: d.update(delegate={"name": "김대리"}),
    "delegate not object": lambda d: d.update(delegate="김대리"),
    "forms empty": lambda d: d.update(forms=[]),
    "forms 11": lambda d: d.update(forms=d["forms"] * 11),
    "form without code": lambda d: _without(d, "forms.0.code"),
    "form ver string": lambda d: d["forms"][0].update(ver="1"),
    "form fields list": lambda d: d["forms"][0].update(fields=[]),
    "field value null": lambda d: d["forms"][0]["fields"].update(x=None),
    "field array of numbers": lambda d: d["forms"][0]["fields"].update(x=[1, 2]),
}


@pytest.mark.parametrize("name", sorted(SCHEMA_BREAKS))
def test_schema_errors(
    version: int, key: ec.EllipticCurvePrivateKey, ring: KeyRing, name: str
) -> None:
    doc = sample()
    SCHEMA_BREAKS[name](doc)
    err = reject(encode_v(version, doc, key.public_key()), ring)
    assert err.code == ErrorCode.SCHEMA, name
    assert err.details.get("member")


def test_unknown_members_are_ignored(
    version: int, key: ec.EllipticCurvePrivateKey, ring: KeyRing
) -> None:
    doc = sample(future_member={"x": 1})
    doc["applicant"]["nickname"] = "길동이"
    assert decode(encode_v(version, doc, key.public_key()), ring, NOW).applicant.name == "홍길동"


def test_clock_checks_with_skew(
    version: int, key: ec.EllipticCurvePrivateKey, ring: KeyRing
) -> None:
    doc = sample(now=NOW)
    doc["iat"] = NOW + 300
    doc["exp"] = NOW + 3600
    decode(encode_v(version, doc, key.public_key()), ring, NOW)  # 300 s of skew is fine
    doc["iat"] = NOW + 301
    assert reject(encode_v(version, doc, key.public_key()), ring).code == ErrorCode.NOT_YET_VALID
    doc["iat"], doc["exp"] = NOW - 3600, NOW
    err = reject(encode_v(version, doc, key.public_key()), ring)
    assert err.code == ErrorCode.EXPIRED
    assert "다시 작성" in err.message_ko and err.details["exp"] == NOW


# -- keys, scanner damage -------------------------------------------------------


def test_key_rotation(version: int, key: ec.EllipticCurvePrivateKey) -> None:
    new = ec.generate_private_key(ec.SECP256R1())
    ring = KeyRing([new, key])
    for k in (key, new):
        assert decode(encode_v(version, sample(), k.public_key()), ring, NOW)


def test_scanner_damage_is_repaired(
    version: int, key: ec.EllipticCurvePrivateKey, ring: KeyRing
) -> None:
    doc = sample()
    text = encode_v(version, doc, key.public_key())[0]
    assert decode(text.lower() + "\r\n", ring, NOW).raw == doc
    assert decode("\t" + type_through_ime(text) + "\n", ring, NOW).raw == doc
    assert decode(type_through_ime(text, caps_lock=True), ring, NOW).raw == doc


def test_a_scanner_space_after_the_text_is_forgiven(
    version: int, key: ec.EllipticCurvePrivateKey, ring: KeyRing
) -> None:
    for _ in range(20):  # some texts legitimately end in a space; some don't
        doc = sample()
        text = encode_v(version, doc, key.public_key())[0]
        assert decode(text + " \r\n", ring, NOW).raw == doc
        assert decode(text, ring, NOW).raw == doc
