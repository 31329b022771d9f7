"""The scanner set-up: what a scanner did to the test code, learned from what it typed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from decoding.calibration import TEST_BODY, TEST_PAYLOAD, CalibrationError, ScannerProfile, learn
from decoding.wedge import unframe

# The test payload as the Korean 2-set IME types it (Shift held for capitals).
_JAMO = {"Q": "ㅃ", "W": "ㅉ", "E": "ㄸ", "R": "ㄲ", "T": "ㅆ", "O": "ㅒ", "P": "ㅖ", "Y": "ㅛ",
         "U": "ㅕ", "I": "ㅑ", "A": "ㅁ", "S": "ㄴ", "D": "ㅇ", "F": "ㄹ", "G": "ㅎ", "H": "ㅗ",
         "J": "ㅓ", "K": "ㅏ", "L": "ㅣ", "Z": "ㅋ", "X": "ㅌ", "C": "ㅊ", "V": "ㅍ", "B": "ㅠ",
         "N": "ㅜ", "M": "ㅡ"}


def test_a_plain_scanner_with_enter() -> None:
    p = learn(TEST_PAYLOAD + "\r", [0.0, 4.0, 8.0, 20.0])
    assert (p.prefix, p.suffix, p.suffix_name, p.layout) == ("", "\r", "Enter", "us")
    assert not p.caps_inverted and not p.keypad_digits_lost and p.problems() == []
    assert (p.median_gap_ms, p.max_gap_ms) == (4.0, 12.0)


def test_aim_prefix_caps_lock_and_tab() -> None:
    p = learn("]q1" + TEST_PAYLOAD.lower() + "\t", None, caps_lock_seen=True)
    assert (p.prefix, p.suffix, p.suffix_name, p.caps_inverted, p.caps_lock_seen) == (
        "]Q1", "\t", "Tab", True, True)
    assert p.median_gap_ms is None


def test_custom_prefix_and_suffix_made_of_base45_characters() -> None:
    p = learn("S1" + TEST_PAYLOAD + "END\n")
    assert (p.prefix, p.suffix) == ("S1", "END")
    assert unframe("S1MW1:ABC" + "END", p.prefix, p.suffix) == "MW1:ABC"
    assert unframe("MW1:ABCEND") == "MW1:ABCEND"  # without the set-up it is data


def test_korean_layout_is_reported() -> None:
    typed = "".join(_JAMO.get(c, c) for c in TEST_PAYLOAD) + "\r"
    p = learn(typed)
    assert p.layout == "ko-2set" and p.prefix == "" and p.suffix == "\r" and p.problems() == []


def test_swapped_keys_are_a_layout_problem() -> None:
    swapped = TEST_PAYLOAD.translate(str.maketrans("YZ", "ZY"))
    p = learn(swapped + "#")
    assert p.layout == "remapped" and p.remapped == {"Y": "Z", "Z": "Y"} and p.suffix == "#"
    ko, en = p.problems()[0]
    assert "Y→Z" in en and "US" in en and "배열" in ko


def test_keypad_digits_lost_without_numlock() -> None:
    p = learn(TEST_PAYLOAD.translate(str.maketrans("", "", "0123456789")) + "\r")
    assert p.keypad_digits_lost and p.suffix == "\r" and "NumLock" in p.problems()[0][1]


@pytest.mark.parametrize("text", ["", "hello", "MW1:NOTTHETESTCODE", "MW1:" + TEST_BODY[:10],
                                  "x" * 5000, "MW1:" + TEST_BODY.lower()[::-1]])
def test_anything_else_is_not_the_test_code(text: str) -> None:
    with pytest.raises(CalibrationError) as caught:
        learn(text)
    assert caught.value.code == "CAL_NOT_TEST" and "시험" in caught.value.message_ko
    assert caught.value.to_json()["ok"] is False


def test_profile_round_trips_and_damage_is_refused() -> None:
    p = learn("]Q1" + TEST_PAYLOAD.translate(str.maketrans("YZ", "ZY")) + "\t", [0.0, 5.0])
    assert ScannerProfile.from_json(p.to_json()) == p
    for bad in ([], {"prefix": 3}, {"bogus": 1}, {"layout": "dvorak"}, {"remapped": {"a": 1}},
                {"caps_inverted": "yes"}, {"median_gap_ms": "5"}, {"caps_lock_seen": 1}):
        with pytest.raises(CalibrationError) as caught:
            ScannerProfile.from_json(bad)
        assert caught.value.code == "CAL_PROFILE"



def test_a_petition_is_told_from_the_test_code_by_its_framing(vectors_dir: Path) -> None:
    """The set-up passes a citizen's QR on (every good vector, v1 and v2, single and parts);
    the test code and look-alikes are its own."""
    from decoding.payload import is_petition_text

    good = [case for path in sorted(vectors_dir.glob("*.json"))
            for case in json.loads(path.read_text("utf-8")) if case["expect"]["ok"]]
    texts = [t for case in good for t in ([case["qr"]] if "qr" in case else case["parts"])]
    assert len(texts) > 10 and any(t.startswith("MWP:") for t in texts)
    assert all(is_petition_text(t) for t in texts)
    assert is_petition_text(texts[0].lower() + "\r")  # Caps Lock, a suffix: still a petition
    for text in (TEST_PAYLOAD, "MW1:NOT THE TEST CODE", "MW1:", "MWP:ABC", "hello", "",
                 "MW1:" + "0" * 120, texts[0][:-40] + "!!"):
        assert not is_petition_text(text), text


def test_a_petition_scanned_for_the_test_code_is_named_to_be_passed_on(vectors_dir: Path) -> None:
    case = next(c for path in sorted(vectors_dir.glob("*.json"))
                for c in json.loads(path.read_text("utf-8")) if c["expect"]["ok"] and "qr" in c)
    for typed in (case["qr"] + "\r", "]Q1" + case["qr"].lower() + "\t", "S1" + case["qr"] + "END\r"):
        with pytest.raises(CalibrationError) as info:
            learn(typed)
        assert info.value.code == "CAL_PETITION", typed[:10]
        assert "민원 QR" in info.value.message_ko and "petition" in info.value.message_en
    with pytest.raises(CalibrationError) as info:
        learn("MW1:NOT THE TEST CODE\r")
    assert info.value.code == "CAL_NOT_TEST"
