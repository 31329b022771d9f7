"""Keyboard-wedge repair (MW1 spec, section 3).

A USB scanner in keyboard mode "types" the QR text. With Caps Lock on, the
letters arrive in lower case; with the Korean input method in Hangul mode,
the keystrokes arrive as Hangul jamo or composed syllables of the standard
2-set (두벌식) layout: ``MW1:`` typed as Shift+m, Shift+w, 1, Shift+; arrives
as ``ㅡㅉ1:``. Base45 has no lower-case letters and no Hangul, so both are
repaired without loss: every letter goes back to the upper-case key that
produced it.
"""

from __future__ import annotations

# 2-set layout: the jamo each letter key produces (plain and with Shift).
_KEY_JAMO = {
    "Q": "ㅂㅃ", "W": "ㅈㅉ", "E": "ㄷㄸ", "R": "ㄱㄲ", "T": "ㅅㅆ",
    "Y": "ㅛ", "U": "ㅕ", "I": "ㅑ", "O": "ㅐㅒ", "P": "ㅔㅖ",
    "A": "ㅁ", "S": "ㄴ", "D": "ㅇ", "F": "ㄹ", "G": "ㅎ",
    "H": "ㅗ", "J": "ㅓ", "K": "ㅏ", "L": "ㅣ",
    "Z": "ㅋ", "X": "ㅌ", "C": "ㅊ", "V": "ㅍ", "B": "ㅠ", "N": "ㅜ", "M": "ㅡ",
}

# Jamo the input method composes from two keystrokes.
_COMPOUND = {
    # compound vowels
    "ㅘ": "ㅗㅏ", "ㅙ": "ㅗㅐ", "ㅚ": "ㅗㅣ", "ㅝ": "ㅜㅓ", "ㅞ": "ㅜㅔ", "ㅟ": "ㅜㅣ", "ㅢ": "ㅡㅣ",
    # compound final consonants
    "ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ", "ㄼ": "ㄹㅂ",
    "ㄽ": "ㄹㅅ", "ㄾ": "ㄹㅌ", "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ",
}

# Syllable composition tables (Unicode 3.12, Hangul syllables), as compatibility jamo.
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]
_SYLLABLE_BASE = 0xAC00
_SYLLABLE_COUNT = 19 * 21 * 28


def _build_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for key, jamos in _KEY_JAMO.items():
        for jamo in jamos:
            table[jamo] = key
    for compound, pair in _COMPOUND.items():
        table[compound] = "".join(table[j] for j in pair)
    # Conjoining jamo (as in decomposed, NFD text) map like their compatibility twins.
    for i, jamo in enumerate(_INITIALS):
        table[chr(0x1100 + i)] = table[jamo]
    for i, jamo in enumerate(_MEDIALS):
        table[chr(0x1161 + i)] = table[jamo]
    for i, jamo in enumerate(_FINALS[1:]):
        table[chr(0x11A8 + i)] = table[jamo]
    for ch in "abcdefghijklmnopqrstuvwxyz":
        table[ch] = ch.upper()
    for code in range(_SYLLABLE_BASE, _SYLLABLE_BASE + _SYLLABLE_COUNT):
        index = code - _SYLLABLE_BASE
        lead, rest = divmod(index, 21 * 28)
        vowel, tail = divmod(rest, 28)
        table[chr(code)] = (
            table[_INITIALS[lead]] + table[_MEDIALS[vowel]] + (table[_FINALS[tail]] if tail else "")
        )
    return table


_TABLE = str.maketrans(_build_table())


def repair_wedge_text(text: str) -> str:
    """Undo Caps Lock and the Korean 2-set input method on scanner-typed text.

    Characters that are neither Latin lower case nor Hangul pass unchanged.
    """
    return text.translate(_TABLE)


def needs_repair(text: str) -> bool:
    """True when the text shows signs of Caps Lock or the Korean IME."""
    return repair_wedge_text(text) != text


# Base45's alphabet (RFC 9285): what a payload can hold; a suffix outside it is the scanner's.
_BASE45 = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def aim_prefix(text: str) -> str:
    """The AIM symbology identifier a scanner may put before the data (``]Q1`` for a QR code,
    ``]d2``…: a ``]``, a letter and a modifier character), or ""."""
    if len(text) >= 3 and text[0] == "]" and text[1].isascii() and text[1].isalpha() and text[2].isalnum():
        return text[:3]
    return ""


def unprefixed(text: str, prefix: str = "") -> str:
    """``text`` without the scanner set-up's learned ``prefix`` (when it is there) or else an
    AIM prefix (``]Q1``)."""
    if prefix and text.startswith(prefix):
        return text[len(prefix):]
    return text[len(aim_prefix(text)):]


def unframe(text: str, prefix: str = "", suffix: str = "") -> str:
    """The payload without what a scanner's settings put around it: an AIM prefix
    (``]Q1MW1:…``) and a suffix outside Base45 (CR/LF, a control code, ``#``, ``~``…).
    ``prefix``/``suffix``: what the scanner set-up learned (``decoding.calibration``), taken
    off when there, so a custom suffix made of Base45 characters is not read as data.
    A text that does not then start with a payload marker is left as it was."""
    body = unprefixed(text, prefix)
    if not body.startswith(("MW1:", "MWP:")):
        return text
    tail = suffix.strip("\r\n\t")  # Enter/Tab end the scan and never reach the text
    if tail and body.endswith(tail):
        body = body[:-len(tail)]
    end = len(body)
    while end > 4 and body[end - 1] not in _BASE45:
        end -= 1
    return body[:end]
