from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decoding.base45 import Base45Error, b45decode, b45encode

RFC_9285_EXAMPLES = [
    (b"AB", "BB8"),
    (b"Hello!!", "%69 VD92EX0"),
    (b"base-45", "UJCLQE7W581"),
    (b"ietf!", "QED8WEX0"),
    (b"", ""),
]


@pytest.mark.parametrize(("raw", "text"), RFC_9285_EXAMPLES)
def test_rfc_examples(raw: bytes, text: str) -> None:
    assert b45encode(raw) == text
    assert b45decode(text) == raw


@pytest.mark.parametrize(
    "bad",
    [
        "A",  # length mod 3 == 1
        "GGW",  # 16*45*45... triple 65536 + : out of range
        ":::",  # 44 + 44*45 + 44*2025 = 91124 > 65535
        "::",  # final pair 44 + 44*45 = 2024 > 255
        "ab",  # lower case is not Base45
        "BB8=",
    ],
)
def test_invalid_text_is_refused(bad: str) -> None:
    with pytest.raises(Base45Error):
        b45decode(bad)


def test_largest_valid_triple_and_pair() -> None:
    assert b45decode(b45encode(b"\xff\xff")) == b"\xff\xff"
    assert b45decode(b45encode(b"\xff")) == b"\xff"


@given(st.binary(max_size=300))
def test_round_trip(data: bytes) -> None:
    assert b45decode(b45encode(data)) == data
