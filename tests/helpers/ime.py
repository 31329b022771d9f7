"""A model of the Korean 2-set (두벌식) input method, for tests and simulators.

It turns the keys a keyboard-wedge scanner presses into what the IME makes
of them in Hangul mode: jamo composed into syllables, with compound vowels,
compound finals and a final consonant moving on when a vowel follows.
"""

from __future__ import annotations

_PLAIN = dict(
    zip(
        "QWERTYUIOPASDFGHJKLZXCVBNM",
        "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔㅁㄴㅇㄹㅎㅗㅓㅏㅣㅋㅌㅊㅍㅠㅜㅡ",
        strict=True,
    )
)
_SHIFTED = {"Q": "ㅃ", "W": "ㅉ", "E": "ㄸ", "R": "ㄲ", "T": "ㅆ", "O": "ㅒ", "P": "ㅖ"}
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]
_VOWEL_PAIRS = {("ㅗ", "ㅏ"): "ㅘ", ("ㅗ", "ㅐ"): "ㅙ", ("ㅗ", "ㅣ"): "ㅚ", ("ㅜ", "ㅓ"): "ㅝ",
                ("ㅜ", "ㅔ"): "ㅞ", ("ㅜ", "ㅣ"): "ㅟ", ("ㅡ", "ㅣ"): "ㅢ"}
_FINAL_PAIRS = {("ㄱ", "ㅅ"): "ㄳ", ("ㄴ", "ㅈ"): "ㄵ", ("ㄴ", "ㅎ"): "ㄶ", ("ㄹ", "ㄱ"): "ㄺ",
                ("ㄹ", "ㅁ"): "ㄻ", ("ㄹ", "ㅂ"): "ㄼ", ("ㄹ", "ㅅ"): "ㄽ", ("ㄹ", "ㅌ"): "ㄾ",
                ("ㄹ", "ㅍ"): "ㄿ", ("ㄹ", "ㅎ"): "ㅀ", ("ㅂ", "ㅅ"): "ㅄ"}
_SPLIT_FINAL = {v: k for k, v in _FINAL_PAIRS.items()}


def key_jamo(key: str, caps_lock: bool = False) -> str:
    """The jamo one letter key gives; a scanner types upper case with Shift."""
    upper = key.isupper() != caps_lock
    return _SHIFTED.get(key.upper(), _PLAIN[key.upper()]) if upper else _PLAIN[key.upper()]


class _Composer:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.lead = self.vowel = self.tail = ""

    def commit(self) -> None:
        if self.lead and self.vowel:
            code = 0xAC00 + (_INITIALS.index(self.lead) * 21 + _MEDIALS.index(self.vowel)) * 28
            self.out.append(chr(code + _FINALS.index(self.tail)))
        else:
            self.out.append(self.lead + self.vowel)
        self.lead = self.vowel = self.tail = ""

    def consonant(self, c: str) -> None:
        if self.lead and self.vowel and not self.tail and c in _FINALS:
            self.tail = c
        elif self.tail and (self.tail, c) in _FINAL_PAIRS:
            self.tail = _FINAL_PAIRS[(self.tail, c)]
        else:
            self.commit()
            self.lead = c

    def vowel_key(self, v: str) -> None:
        if self.tail:
            first, second = _SPLIT_FINAL.get(self.tail, ("", self.tail))
            self.tail = first
            self.commit()
            self.lead, self.vowel = second, v
        elif self.vowel and (self.vowel, v) in _VOWEL_PAIRS:
            self.vowel = _VOWEL_PAIRS[(self.vowel, v)]
        elif self.lead and not self.vowel:
            self.vowel = v
        else:
            self.commit()
            self.vowel = v


def type_through_ime(text: str, caps_lock: bool = False) -> str:
    """What arrives when a scanner types ``text`` with the Korean IME in Hangul mode."""
    comp = _Composer()
    for ch in text:
        if ch.isascii() and ch.isalpha():
            jamo = key_jamo(ch, caps_lock)
            if jamo in _MEDIALS:
                comp.vowel_key(jamo)
            else:
                comp.consonant(jamo)
        else:
            comp.commit()
            comp.out.append(ch)
    comp.commit()
    return "".join(comp.out)
