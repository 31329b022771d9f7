"""The schema-aware coding of a petition document: MW1 version 2 (docs/payload-v2.md, section 4).

Both ends hold the form catalogue, so what the JSON of version 1 spells out
is coded by position instead: members of the document, a person, an address
and a form's fields by their index in a fixed list (a presence bitmap), the
form by its index in the :class:`~decoding.codebook.Codebook`, choices by
index, dates as day numbers, digit strings as binary numbers, the id as its
16 bytes. Anything that does not fit its coding (a wrong type, a date out of
range, a member no list names) is carried as JSON text beside it, so every
document of version 1 has a version 2 coding and comes back identical; the
reader's structure and field checks then judge it as before.

:func:`decode_document` raises only :class:`CodingError` (the reader turns it
into ``MW_CODING``).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import re
from collections.abc import Callable
from typing import Any

from decoding.codebook import Codebook, FormCode

MAX_SAFE = 2**53 - 1  # the largest integer both ends (JavaScript numbers) hold exactly
MAX_UINT_BYTES = 8
MAX_OUTPUT_CHARS = 131_072  # what a 64 KiB coding may expand to (strings and names)
EPOCH = dt.date(1900, 1, 1)
LAST_DAY = EPOCH + dt.timedelta(days=0xFFFF)  # 2079-06-06
DIGIT_BYTES = {n: math.ceil(n * math.log2(10) / 8) for n in (5, 10, 13)}

# (member, coding, choices): the fixed lists of section 4.
Member = tuple[str, str, tuple[str, ...]]
DOCUMENT: tuple[Member, ...] = (
    ("v", "one", ()),
    ("id", "id16", ()),
    ("iat", "uint", ()),
    ("exp", "after_iat", ()),
    ("office", "text", ()),
    ("applicant", "person", ()),
    ("delegate", "person", ()),
    ("forms", "forms", ()),
)
PERSON: tuple[Member, ...] = (
    ("name", "text", ()),
    ("rrn", "digits13", ()),
    ("birth", "date", ()),
    ("phone", "phone", ()),
    ("email", "text", ()),
    ("address", "address", ()),
    ("relation", "text", ()),
)
ADDRESS: tuple[Member, ...] = (
    ("postcode", "digits5", ()),
    ("road", "text", ()),
    ("detail", "text", ()),
)
_ID = re.compile(r"[A-Za-z0-9_-]{22}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PHONE = re.compile(r"[0-9-]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_NIBBLE = "0123456789-"


class CodingError(ValueError):
    """The coded document is malformed; ``message_ko``/``message_en`` say how, ``at`` where."""

    def __init__(self, message_ko: str, message_en: str, at: int, **details: Any) -> None:
        super().__init__(message_en)
        self.message_ko = message_ko
        self.message_en = message_en
        self.details = {"at": at, **details}


def form_members(form: FormCode) -> tuple[Member, ...]:
    return form.members


# -- writing ------------------------------------------------------------------------


def uint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _text(value: str) -> bytes:
    data = value.encode("utf-8")
    return uint(len(data)) + data


def _json(value: Any) -> bytes:
    try:
        return _text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    except UnicodeEncodeError:  # a lone surrogate: JSON's \\u escape carries it
        return _text(json.dumps(value, separators=(",", ":")))


def _is_int(value: Any, low: int = -MAX_SAFE) -> bool:
    return type(value) is int and low <= value <= MAX_SAFE


def _is_text(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _choice(value: Any, choices: tuple[str, ...]) -> bytes | None:
    if not _is_text(value):
        return None
    if value in choices:
        return uint(choices.index(value) + 1)
    return b"\x00" + _text(value)


def _digits(value: Any, n: int) -> bytes | None:
    if isinstance(value, str) and len(value) == n and value.isascii() and value.isdigit():
        return int(value).to_bytes(DIGIT_BYTES[n], "big")
    return None


def _date(value: Any) -> bytes | None:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    if not EPOCH <= day <= LAST_DAY:
        return None
    return (day - EPOCH).days.to_bytes(2, "big")


def _phone(value: Any) -> bytes | None:
    if not isinstance(value, str) or not _PHONE.fullmatch(value):
        return None
    nibbles = [_NIBBLE.index(c) for c in value] + ([0xF] if len(value) % 2 else [])
    return uint(len(value)) + bytes(
        a << 4 | b for a, b in zip(nibbles[::2], nibbles[1::2], strict=True)
    )


def _number(value: Any) -> bytes | None:
    if _is_int(value) or (type(value) is float and math.isfinite(value)):
        return _text(json.dumps(value))
    return None


class _Writer:
    def __init__(self, book: Codebook) -> None:
        self.book = book

    def typed(
        self, coding: str, value: Any, choices: tuple[str, ...], ctx: dict[str, Any]
    ) -> bytes | None:
        """The coding of ``value``, or None when it does not fit (it is then carried as JSON)."""
        if coding == "one":
            return b"" if type(value) is int and value == 1 else None
        if coding == "id16":
            if isinstance(value, str) and _ID.fullmatch(value):
                raw = base64.urlsafe_b64decode(value + "==")
                if base64.urlsafe_b64encode(raw).rstrip(b"=").decode() == value:
                    return raw
            return None
        if coding == "uint":
            return uint(value) if _is_int(value, 0) else None
        if coding == "after_iat":
            iat = ctx.get("iat")
            if iat is not None and _is_int(value) and 0 <= value - iat <= MAX_SAFE:
                return uint(value - iat)
            return None
        if coding == "text":
            return _text(value) if _is_text(value) else None
        if coding == "int":
            return uint(value * 2 if value >= 0 else -value * 2 - 1) if _is_int(value) else None
        if coding == "number":
            return _number(value)
        if coding == "bool":
            return bytes([value]) if type(value) is bool else None
        if coding == "date":
            return _date(value)
        if coding == "choice":
            return _choice(value, choices)
        if coding == "choices":
            if not isinstance(value, list):
                return None
            items = [_choice(v, choices) for v in value]
            if any(i is None for i in items):
                return None
            return uint(len(items)) + b"".join(i for i in items if i is not None)
        if coding == "phone":
            return _phone(value)
        if coding.startswith("digits"):
            return _digits(value, int(coding[6:]))
        if coding in ("person", "address"):
            members = PERSON if coding == "person" else ADDRESS
            return self.record(members, value) if isinstance(value, dict) else None
        if coding == "forms":
            return self.forms(value) if isinstance(value, list) else None
        raise AssertionError(f"no coding {coding}")

    def record(self, members: tuple[Member, ...], obj: dict[str, Any]) -> bytes:
        names = [m[0] for m in members]
        escapes: list[bytes] = []
        bitmap = bytearray((len(members) + 7) // 8)
        values = bytearray()
        ctx: dict[str, Any] = {}
        for i, (name, coding, choices) in enumerate(members):
            if name not in obj:
                continue
            coded = self.typed(coding, obj[name], choices, ctx)
            if coded is None:
                escapes.append(uint(i) + _json(obj[name]))
            else:
                bitmap[i // 8] |= 1 << (i % 8)
                values += coded
                ctx[name] = obj[name]
        for name, value in obj.items():
            if name not in names:
                escapes.append(uint(len(members)) + _text(name) + _json(value))
        return uint(len(escapes)) + b"".join(escapes) + bytes(bitmap) + bytes(values)

    def forms(self, forms: list[Any]) -> bytes:
        out = bytearray(uint(len(forms)))
        for entry in forms:
            index = None
            if isinstance(entry, dict) and set(entry) == {"code", "ver", "fields"}:
                code, ver, fields = entry["code"], entry["ver"], entry["fields"]
                if isinstance(code, str) and type(ver) is int and isinstance(fields, dict):
                    index = self.book.form_index(code, ver)
            if index is None:
                out += b"\x00" + _json(entry)
            else:
                out += uint(index + 1) + self.record(form_members(self.book.forms[index]), fields)
        return bytes(out)


def encode_document(document: dict[str, Any], book: Codebook) -> bytes:
    """The coded document (before compression) of a JSON object."""
    return _Writer(book).record(DOCUMENT, document)


# -- reading ------------------------------------------------------------------------


def reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def finite_float(text: str) -> float:
    """A JSON number as a float; ``1e999`` is refused like ``Infinity`` (it would print as one)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise ValueError("duplicate member")
    return obj


class _Reader:
    def __init__(self, data: bytes, book: Codebook) -> None:
        self.data = data
        self.size = len(data)
        self.pos = 0
        self.book = book
        self.budget = MAX_OUTPUT_CHARS

    def fail(self, ko: str, en: str, **details: Any) -> CodingError:
        return CodingError(ko, en, self.pos, **details)

    def take(self, n: int) -> bytes:
        pos = self.pos
        end = pos + n
        if end > self.size:
            raise self.fail(
                "부호화된 신청서가 중간에 끊겼습니다.", "The coded petition ends too early."
            )
        self.pos = end
        return self.data[pos:end]

    def uint(self) -> int:
        pos = self.pos
        if pos < self.size and self.data[pos] < 0x80:  # the common case: one byte
            self.pos = pos + 1
            return self.data[pos]
        n = shift = 0
        for _ in range(MAX_UINT_BYTES):
            b = self.take(1)[0]
            n |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return n
        raise self.fail("숫자가 너무 깁니다.", "A number is longer than 8 bytes.")

    def count(self) -> int:
        """A count of things that each take at least one byte: never more than what is left."""
        n = self.uint()
        if n > self.size - self.pos:
            raise self.fail(
                "개수가 남은 내용보다 큽니다.", "A count exceeds what is left.", count=n
            )
        return n

    def spend(self, chars: int) -> None:
        self.budget -= chars
        if self.budget < 0:
            raise self.fail("신청서 내용이 너무 큽니다.", "The petition expands beyond its limit.")

    def text(self) -> str:
        raw = self.take(self.count())
        try:
            value = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise self.fail("문자열이 UTF-8이 아닙니다.", "A string is not UTF-8.") from None
        self.spend(len(value))
        return value

    def json(self) -> Any:
        text = self.text()
        try:
            return json.loads(text, parse_constant=reject_constant, parse_float=finite_float,
                              object_pairs_hook=no_duplicates)
        except (ValueError, RecursionError):
            raise self.fail("JSON 값을 읽을 수 없습니다.", "A JSON value cannot be read.") from None

    def choice(self, choices: tuple[str, ...]) -> str:
        n = self.uint()
        if n == 0:
            return self.text()
        if n > len(choices):
            raise self.fail(
                f"선택지 번호({n})가 선택지 수({len(choices)})를 넘습니다.",
                f"Choice index {n} is beyond the field's {len(choices)} choices.",
                index=n,
            )
        self.spend(len(choices[n - 1]))
        return choices[n - 1]

    def typed(self, coding: str, choices: tuple[str, ...], ctx: dict[str, Any]) -> Any:
        reader = _READERS.get(coding)
        if reader is not None:
            return reader(self, choices)
        if coding == "after_iat":
            if "iat" not in ctx:
                raise self.fail(
                    "발급 시각 없이 만료 시각이 있습니다.", "exp is coded without a coded iat."
                )
            return ctx["iat"] + self.uint()
        if coding in ("person", "address"):
            return self.record(PERSON if coding == "person" else ADDRESS)
        return self.forms()

    def record(self, members: tuple[Member, ...]) -> dict[str, Any]:
        n = len(members)
        escaped: dict[int, Any] = {}
        extras: dict[str, Any] = {}
        count = self.count()
        if count:
            names = {m[0] for m in members}
            for _ in range(count):
                i = self.uint()
                if i < n and i not in escaped:
                    escaped[i] = self.json()
                elif i == n:
                    name = self.text()
                    if name in names or name in extras:
                        raise self.fail("같은 항목이 두 번 있습니다.", "A member is given twice.")
                    extras[name] = self.json()
                else:
                    raise self.fail(
                        f"항목 번호({i})가 잘못되었습니다.",
                        f"Member index {i} is invalid.",
                        index=i,
                    )
        bitmap = int.from_bytes(self.take((n + 7) // 8), "little")
        present = bitmap
        if escaped:
            present |= sum(1 << i for i in escaped)
            if any(bitmap >> i & 1 for i in escaped):
                raise self.fail(
                    "항목 표시 비트가 잘못되었습니다.", "The presence bitmap is invalid."
                )
        if bitmap >> n:
            raise self.fail("항목 표시 비트가 잘못되었습니다.", "The presence bitmap is invalid.")
        obj: dict[str, Any] = {}
        ctx: dict[str, Any] = {}
        i = 0
        while present:  # members in list order: typed ones read here, escaped ones placed
            if present & 1:
                name, coding, choices = members[i]
                if bitmap >> i & 1:
                    reader = _READERS.get(coding)
                    value = reader(self, choices) if reader else self.typed(coding, choices, ctx)
                    obj[name] = ctx[name] = value
                else:
                    obj[name] = escaped[i]
            present >>= 1
            i += 1
        obj.update(extras)
        return obj

    def forms(self) -> list[Any]:
        out: list[Any] = []
        for _ in range(self.count()):
            f = self.uint()
            if f == 0:
                out.append(self.json())
                continue
            if f > len(self.book.forms):
                raise self.fail(
                    f"서식 번호({f})가 카탈로그 버전 {self.book.number}의 서식 수"
                    f"({len(self.book.forms)})를 넘습니다.",
                    f"Form index {f} is beyond the {len(self.book.forms)} forms of catalogue "
                    f"version {self.book.number}.",
                    index=f,
                )
            form = self.book.forms[f - 1]
            fields = self.record(form_members(form))
            out.append({"code": form.code, "ver": form.ver, "fields": fields})
        return out


def _read_int(r: _Reader, _: tuple[str, ...]) -> int:
    n = r.uint()
    return -(n >> 1) - 1 if n & 1 else n >> 1


def _read_number(r: _Reader, _: tuple[str, ...]) -> int | float:
    text = r.text()
    if len(text) > 32 or not _NUMBER.fullmatch(text):
        raise r.fail("숫자 표기가 잘못되었습니다.", "A number is not written as JSON.")
    value = json.loads(text)
    if not math.isfinite(value):
        raise r.fail("숫자가 너무 큽니다.", "A number is not finite.")
    return value  # type: ignore[no-any-return]  # json.loads of a number: int or float


def _read_bool(r: _Reader, _: tuple[str, ...]) -> bool:
    b = r.take(1)[0]
    if b > 1:
        raise r.fail("참/거짓 값이 잘못되었습니다.", "A boolean is neither 0 nor 1.")
    return bool(b)


def _read_date(r: _Reader, _: tuple[str, ...]) -> str:
    return (EPOCH + dt.timedelta(days=int.from_bytes(r.take(2), "big"))).isoformat()


def _read_phone(r: _Reader, _: tuple[str, ...]) -> str:
    n = r.uint()
    packed = r.take((n + 1) // 2)
    nibbles = [x for b in packed for x in (b >> 4, b & 0xF)]
    if any(x > 10 for x in nibbles[:n]) or (n % 2 and nibbles[-1] != 0xF):
        raise r.fail("전화번호 부호가 잘못되었습니다.", "A phone number's packing is invalid.")
    r.spend(n)
    return "".join(_NIBBLE[x] for x in nibbles[:n])


def _digit_reader(n: int) -> Callable[[_Reader, tuple[str, ...]], str]:
    def read(r: _Reader, _: tuple[str, ...]) -> str:
        value = int.from_bytes(r.take(DIGIT_BYTES[n]), "big")
        if value >= 10**n:
            raise r.fail(f"{n}자리 숫자가 아닙니다.", f"Not a number of {n} digits.")
        return f"{value:0{n}d}"

    return read


def _read_choices(r: _Reader, choices: tuple[str, ...]) -> list[str]:
    return [r.choice(choices) for _ in range(r.count())]


_READERS: dict[str, Callable[[_Reader, tuple[str, ...]], Any]] = {
    "one": lambda r, _: 1,
    "id16": lambda r, _: base64.urlsafe_b64encode(r.take(16)).rstrip(b"=").decode("ascii"),
    "uint": lambda r, _: r.uint(),
    "text": lambda r, _: r.text(),
    "int": _read_int,
    "number": _read_number,
    "bool": _read_bool,
    "date": _read_date,
    "choice": lambda r, choices: r.choice(choices),
    "choices": _read_choices,
    "phone": _read_phone,
    "digits5": _digit_reader(5),
    "digits10": _digit_reader(10),
    "digits13": _digit_reader(13),
}


def decode_document(data: bytes, book: Codebook) -> dict[str, Any]:
    """The JSON object of a coded document; :class:`CodingError` if it is malformed."""
    reader = _Reader(data, book)
    document = reader.record(DOCUMENT)
    if reader.pos != len(data):
        raise reader.fail(
            "부호화된 신청서 뒤에 남는 내용이 있습니다.", "Bytes follow the coded petition."
        )
    return document
