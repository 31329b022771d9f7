from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decoding.base45 import ALPHABET
from decoding.wedge import needs_repair, repair_wedge_text
from tests.helpers.ime import type_through_ime


def test_spec_example() -> None:
    # MW1: typed as Shift+m, Shift+w, 1, Shift+; with the IME in Hangul mode.
    assert repair_wedge_text("ㅡㅉ1:") == "MW1:"


@pytest.mark.parametrize(
    ("typed", "keys"),
    [
        ("mw1:0a", "MW1:0A"),  # Caps Lock
        ("한", "GKS"),  # composed syllable: ㅎ ㅏ ㄴ
        ("뺴", "QO"),  # shifted initial and shifted vowel
        ("ㅘ", "HK"),  # compound vowel
        ("ㅢ", "ML"),
        ("닭", "EKFR"),  # compound final ㄺ
        ("값", "RKQT"),  # compound final ㅄ
        ("ㄲㅆㄸㅃㅉㅒㅖ", "RTEQWOP"),  # the shifted keys
        ("\u1112\u1161\u11ab", "GKS"),  # decomposed (NFD) syllable
        ("$%*+-./: 09", "$%*+-./: 09"),  # the rest of Base45 passes unchanged
    ],
)
def test_jamo_and_syllables_map_back_to_keys(typed: str, keys: str) -> None:
    assert repair_wedge_text(typed) == keys


def test_nfd_and_nfc_agree() -> None:
    text = type_through_ime("MW1:GKS RKQT EKFR")
    assert repair_wedge_text(unicodedata.normalize("NFD", text)) == repair_wedge_text(text)


def test_clean_text_needs_no_repair() -> None:
    assert not needs_repair("MW1:ABC")
    assert needs_repair("ㅡㅉ1:")


@given(st.text(alphabet=ALPHABET, max_size=200), st.booleans())
def test_any_base45_text_survives_the_ime(text: str, caps_lock: bool) -> None:
    assert repair_wedge_text(type_through_ime(text, caps_lock=caps_lock)) == text


@given(st.text(alphabet=ALPHABET, max_size=200))
def test_any_base45_text_survives_caps_lock(text: str) -> None:
    assert repair_wedge_text(text.lower()) == text
