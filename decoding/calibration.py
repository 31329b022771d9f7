"""Scanner set-up (calibration): what a keyboard-wedge scanner does to a known text.

The clerk scans :data:`TEST_PAYLOAD`, a QR code holding ``MW1:`` and every
Base45 character once (digits, upper-case letters, space, ``$%*+-./:``). What
arrives is compared with it, and :func:`learn` says what the scanner and the
PC add or change: a prefix (an AIM identifier such as ``]Q1`` or a custom
one), a suffix (Enter, Tab, ``#``, a custom text), letters in the wrong case
(Caps Lock), another keyboard layout (the Korean 2-set layout typing jamo, or
keys swapped, e.g. a German layout's Z and Y), digits lost on the keypad with
NumLock off, and how fast it types. The result, a :class:`ScannerProfile`, is
saved by ``counter_app.scanner_profile`` and read back from JSON.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

from decoding.errors import CounterError
from decoding.payload import is_petition_text
from decoding.wedge import repair_wedge_text, unframe

MARKER = "MW1:"
TEST_BODY = "CAL 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$%*+-./:"
TEST_PAYLOAD = MARKER + TEST_BODY
_DIGITS = frozenset("0123456789")
_SUFFIX_NAMES = {"": "none", "\r": "Enter", "\n": "Enter", "\r\n": "Enter", "\t": "Tab"}


class CalibrationError(CounterError):
    """A scan that cannot teach anything (``CAL_NOT_TEST``, ``CAL_GARBLED``; ``CAL_PETITION``:
    a citizen's QR, to be passed on) or a damaged profile file (``CAL_PROFILE``)."""

    def __init__(self, code: str, message_ko: str, message_en: str,
                 details: dict[str, Any] | None = None) -> None:
        self.code = code
        super().__init__(message_ko, message_en, details)


@dataclass(frozen=True)
class ScannerProfile:
    """What one scanner on one PC does to what it reads."""

    prefix: str = ""
    suffix: str = ""
    caps_inverted: bool = False  # letters arrive in lower case (Caps Lock on)
    layout: str = "us"  # "us", "ko-2set" (Hangul typed, repaired) or "remapped"
    remapped: dict[str, str] = field(default_factory=dict)  # expected character -> what came
    keypad_digits_lost: bool = False  # digits on the keypad with NumLock off
    caps_lock_seen: bool | None = None
    median_gap_ms: float | None = None
    max_gap_ms: float | None = None

    @property
    def suffix_name(self) -> str:
        """The suffix as a person names it: ``Enter``, ``Tab``, ``none``, ``'END' + Tab``."""
        if self.suffix in _SUFFIX_NAMES:
            return _SUFFIX_NAMES[self.suffix]
        text = self.suffix.rstrip("\r\n\t")
        key = self.suffix[len(text):]
        if text.isprintable():
            return repr(text) + (f" + {_SUFFIX_NAMES[key]}" if key in _SUFFIX_NAMES and key else "")
        return repr(self.suffix)

    def problems(self) -> list[tuple[str, str]]:
        """What the clerk or IT should fix, Korean and English; empty when nothing."""
        out: list[tuple[str, str]] = []
        if self.remapped:
            keys = ", ".join(f"{k}→{v}" for k, v in sorted(self.remapped.items()))
            out.append((f"키보드 배열이 다릅니다 ({keys}): 스캐너의 국가 설정을 미국(US)으로 바꾸세요",
                        f"another keyboard layout ({keys}): set the scanner's country to US"))
        if self.keypad_digits_lost:
            out.append(("숫자가 빠집니다: NumLock 을 켜거나 스캐너의 키패드 숫자 설정을 끄세요",
                        "digits are lost: turn NumLock on or the scanner's keypad digits off"))
        return out

    def summary(self) -> tuple[str, str]:
        """One line each in Korean and English."""
        speed_ko = speed_en = ""
        if self.median_gap_ms is not None and self.max_gap_ms is not None:
            speed_ko = f", 글자 간격 {self.median_gap_ms:.0f}ms(최대 {self.max_gap_ms:.0f}ms)"
            speed_en = f", {self.median_gap_ms:.0f} ms a key (at most {self.max_gap_ms:.0f} ms)"
        layout_ko = {"us": "영문", "ko-2set": "한글 입력(자동 복구)", "remapped": "다른 배열"}[self.layout]
        layout_en = {"us": "US", "ko-2set": "Korean 2-set (repaired)", "remapped": "remapped"}[self.layout]
        ko = (f"앞붙임 {self.prefix or '없음'!r}, 뒷붙임 {self.suffix_name}, 배열 {layout_ko}, "
              f"Caps Lock {'뒤집힘' if self.caps_inverted else '정상'}{speed_ko}")
        en = (f"prefix {self.prefix or 'none'!r}, suffix {self.suffix_name}, layout {layout_en}, "
              f"Caps Lock {'inverted' if self.caps_inverted else 'fine'}{speed_en}")
        return ko, en

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> ScannerProfile:
        """The profile from its JSON object; :class:`CalibrationError` ``CAL_PROFILE`` when damaged."""
        try:
            if not isinstance(data, dict) or set(data) - set(cls.__dataclass_fields__):
                raise TypeError("not a profile object")
            strings = ("prefix", "suffix", "layout")
            if any(not isinstance(data.get(k, ""), str) for k in strings):
                raise TypeError("text fields")
            if data.get("layout", "us") not in ("us", "ko-2set", "remapped"):
                raise ValueError("layout")
            remapped = data.get("remapped", {})
            if not isinstance(remapped, dict) or not all(
                    isinstance(k, str) and isinstance(v, str) for k, v in remapped.items()):
                raise TypeError("remapped")
            for k in ("caps_inverted", "keypad_digits_lost"):
                if not isinstance(data.get(k, False), bool):
                    raise TypeError(k)
            if not isinstance(data.get("caps_lock_seen"), bool | None):
                raise TypeError("caps_lock_seen")
            for k in ("median_gap_ms", "max_gap_ms"):
                v = data.get(k)
                if v is not None and (isinstance(v, bool) or not isinstance(v, int | float)):
                    raise TypeError(k)
            return cls(**data)
        except (TypeError, ValueError) as exc:
            raise CalibrationError(
                "CAL_PROFILE", "스캐너 설정 파일이 손상되었습니다. 다시 설정하세요",
                "the scanner profile is damaged: calibrate again", {"problem": str(exc)}) from exc


def _not_test(why: str) -> CalibrationError:
    return CalibrationError(
        "CAL_NOT_TEST", "시험용 QR 코드가 아닙니다. 화면(또는 출력물)의 시험 코드를 스캔하세요",
        "this is not the test QR code: scan the test code shown or printed", {"problem": why})


def _speed(key_times_ms: list[float] | None) -> tuple[float | None, float | None]:
    if not key_times_ms or len(key_times_ms) < 2:
        return None, None
    gaps = [max(0.0, b - a) for a, b in itertools.pairwise(key_times_ms)]
    return round(statistics.median(gaps), 1), round(max(gaps), 1)


def _is_petition(text: str) -> bool:
    """A petition's QR code behind whatever prefix and suffix (up to 20 characters each,
    letters too: the scanner's settings are not known yet)."""
    starts = [i for i in (text.find("MW1:"), text.find("MWP:")) if 0 <= i <= 20]
    bodies = [unframe(text[i:].rstrip("\r\n\t")) for i in starts]  # (a space is Base45)
    return any(is_petition_text(b[:len(b) - cut]) for b in bodies for cut in range(21))


def learn(observed_text: str, key_times_ms: list[float] | None = None,
          caps_lock_seen: bool | None = None) -> ScannerProfile:
    """What the scanner did to :data:`TEST_PAYLOAD`, from the text it typed (with its
    suffix: Enter, Tab…) and, when known, the time of each key in milliseconds.

    Raises :class:`CalibrationError` (``CAL_NOT_TEST``) for anything else, ``CAL_PETITION``
    for a petition's QR code (by its framing: the window passes it on to the counter).
    """
    text = repair_wedge_text(observed_text) if len(observed_text) <= 8192 else ""
    if _is_petition(text):
        raise CalibrationError(  # a citizen's QR: the caller passes it on
            "CAL_PETITION", "민원 QR 코드입니다. 시험 코드가 아닙니다: 화면(또는 출력물)의 시험 코드를 스캔하세요",
            "this is a petition's QR code, not the test code: scan the test code shown or printed")
    if len(observed_text) > 10 * len(TEST_PAYLOAD):
        raise _not_test("too long")
    hangul = any("\u1100" <= c <= "\u11ff" or "\u3130" <= c <= "\u318f" or "\uac00" <= c <= "\ud7a3"
                 for c in observed_text)
    letters = [c for c in observed_text if c.isascii() and c.isalpha()]
    caps_inverted = bool(letters) and sum(c.islower() for c in letters) > len(letters) // 2
    marker = MARKER if MARKER in text else "MW:"  # MW: the 1 lost with the other digits
    start = text.find(marker)
    if start < 0:
        raise _not_test("no MW1: marker")
    prefix, rest = text[:start], text[start + len(marker):]
    remapped: dict[str, str] = {}
    keypad_lost = False
    if marker == MARKER and rest.startswith(TEST_BODY):
        suffix = rest[len(TEST_BODY):]
    else:
        no_digits = "".join(c for c in TEST_BODY if c not in _DIGITS)
        if rest.startswith(no_digits) and (marker != MARKER or not any(c in _DIGITS for c in rest)):
            keypad_lost, suffix = True, rest[len(no_digits):]
        else:
            got = rest[:len(TEST_BODY)]
            pairs = {(e, g) for e, g in zip(TEST_BODY, got, strict=False) if e != g}
            remapped = dict(sorted(pairs))
            consistent = len(remapped) == len(pairs)
            if marker != MARKER or len(got) < len(TEST_BODY) or not consistent or len(pairs) > 8:
                raise _not_test("the text differs from the test code")
            suffix = rest[len(TEST_BODY):]
    if len(suffix) > 1 and suffix.endswith("\n") and not suffix.endswith("\r\n"):
        suffix = suffix[:-1]  # a line read after a Tab or ``#`` suffix: the Enter is the clerk's
    if len(prefix) > 20 or len(suffix) > 20:
        raise _not_test("too much around the test code")
    median, worst = _speed(key_times_ms)
    return ScannerProfile(
        prefix=prefix, suffix=suffix, caps_inverted=caps_inverted,
        layout="remapped" if remapped else ("ko-2set" if hangul else "us"), remapped=remapped,
        keypad_digits_lost=keypad_lost, caps_lock_seen=caps_lock_seen,
        median_gap_ms=median, max_gap_ms=worst)
