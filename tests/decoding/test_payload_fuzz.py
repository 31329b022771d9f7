"""No input may crash the reader: it only ever raises the spec's MW_* errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decoding.base45 import ALPHABET
from decoding.errors import ErrorCode, PayloadError
from decoding.forms import default_catalogue
from decoding.keys import KeyRing, load_private_key
from decoding.payload import PartReader, decode, encode, new_payload_id
from decoding.text import has_controls, has_visible

NOW = 1_764_000_000

_key = None


def key(vectors_dir: Path) -> ec.EllipticCurvePrivateKey:
    global _key
    if _key is None:
        _key = load_private_key(vectors_dir / "keys" / "test-p256-1.pem")
    return _key


# What a person's strings may be (spec section 4 and decoding.text): Unicode text
# without control or bidi characters, a name with something visible in it.
plain = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60).filter(
    lambda s: not has_controls(s)
)
names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda s: s.strip() != "" and has_visible(s) and not has_controls(s))
digits = st.text(alphabet="0123456789", min_size=13, max_size=13)
field_values = st.one_of(
    st.text(max_size=50),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.lists(st.text(max_size=10), max_size=5),
    st.dictionaries(st.text(max_size=8), st.text(max_size=20), max_size=3),
)
persons = st.fixed_dictionaries(
    {"name": names},
    optional={
        "rrn": digits,
        "phone": st.from_regex(r"0[0-9]{1,2}-[0-9]{3,4}-[0-9]{4}", fullmatch=True),
        "email": st.emails().filter(lambda e: len(e) <= 200),
        "address": st.fixed_dictionaries(
            {"postcode": st.from_regex(r"[0-9]{5}", fullmatch=True), "road": plain}
        ),
    },
)
_CATALOGUE = default_catalogue().forms


@st.composite
def catalogue_forms(draw: st.DrawFn) -> dict[str, Any]:
    """A form of the catalogue with some of its own fields, of any value (version 2 codes them
    by index where the value fits the field's type, as JSON where it does not)."""
    form = draw(st.sampled_from(_CATALOGUE))
    ids = draw(st.lists(st.sampled_from([f.id for f in form.fields]), unique=True, max_size=8))
    fields = {i: draw(field_values) for i in ids}
    for fd in form.fields:
        if fd.choices and draw(st.booleans()):
            pick = draw(st.sampled_from(fd.choices))
            fields[fd.id] = [pick] if fd.type == "multichoice" else pick
    return {"code": form.code, "ver": form.ver, "fields": fields}


forms = st.lists(
    st.one_of(
        st.fixed_dictionaries(
            {
                "code": st.from_regex(r"[A-Z_]{3,30}", fullmatch=True),
                "ver": st.integers(1, 9),
                "fields": st.dictionaries(
                    st.text(min_size=1, max_size=20), field_values, max_size=8
                ),
            }
        ),
        catalogue_forms(),
    ),
    min_size=1,
    max_size=10,
)


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    iat = draw(st.integers(NOW - 86400, NOW + 300))
    doc: dict[str, Any] = {
        "v": 1,
        "id": new_payload_id(),
        "iat": iat,
        "exp": draw(st.integers(max(iat + 1, NOW + 1), iat + 30 * 86400)),
        "applicant": draw(persons),
        "forms": draw(forms),
    }
    if draw(st.booleans()):
        delegate = draw(persons)
        delegate["relation"] = draw(names)
        doc["delegate"] = delegate
    return doc


@pytest.mark.parametrize("version", [1, 2])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents(), parts=st.sampled_from([None, 2, 3]))
def test_round_trip_any_document(
    vectors_dir: Path, version: int, doc: dict[str, Any], parts: int | None
) -> None:
    k = key(vectors_dir)
    texts = encode(doc, k.public_key(), parts, version=version)
    assert decode(texts, KeyRing([k]), NOW).raw == doc


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_only_raises_payload_errors(text: str) -> None:
    reader = PartReader(KeyRing())
    try:
        reader.feed(text)
    except PayloadError as exc:
        assert exc.code in ErrorCode


prefixed = st.builds(
    lambda p, body: p + body,
    st.sampled_from(["MW1:", "MWP:", "mw1:", "ㅡㅉ1:"]),
    st.text(alphabet=ALPHABET, max_size=400),
)


@settings(max_examples=300, deadline=None)
@given(prefixed)
def test_random_base45_bodies_only_raise_payload_errors(text: str) -> None:
    with pytest.raises(PayloadError):
        decode(text, KeyRing(), NOW)


_valid: dict[int, list[str]] = {}


def _valid_texts(k: ec.EllipticCurvePrivateKey) -> dict[int, list[str]]:
    if not _valid:
        doc = {
            "v": 1, "id": new_payload_id(), "iat": NOW, "exp": NOW + 3600,
            "applicant": {"name": "홍길동"},
            "forms": [{"code": "X", "ver": 1, "fields": {}}],
        }
        for parts in (1, 2, 3):
            _valid[parts] = encode(doc, k.public_key(), parts, version=1)
            _valid[parts + 3] = encode(doc, k.public_key(), parts)
    return _valid


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_payloads_only_raise_payload_errors(vectors_dir: Path, data: st.DataObject) -> None:
    k = key(vectors_dir)
    # Encrypted once: the draws below must see the same texts on every replay.
    texts = list(_valid_texts(k)[data.draw(st.sampled_from([1, 2, 3, 4, 5, 6]))])
    i = data.draw(st.integers(0, len(texts) - 1))
    text = texts[i]
    pos = data.draw(st.integers(0, len(text)))
    op = data.draw(st.sampled_from(["replace", "delete", "insert", "truncate"]))
    ch = data.draw(st.sampled_from(ALPHABET + "a가\x00"))
    if op == "replace" and pos < len(text):
        text = text[:pos] + ch + text[pos + 1 :]
    elif op == "delete":
        text = text[:pos] + text[pos + 1 :]
    elif op == "insert":
        text = text[:pos] + ch + text[pos:]
    else:
        text = text[:pos]
    texts[i] = text
    try:
        decode(texts, KeyRing([k]), NOW)
    except PayloadError as exc:
        assert exc.code in ErrorCode
