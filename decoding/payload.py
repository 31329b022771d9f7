"""The MW1 payload: reading (spec section 3, steps 1-12) and writing.

Two codings share the envelope (``docs/payload-v1.md``, ``docs/payload-v2.md``):
version 1 carries the document as deflated JSON, version 2 (written by
default) as the schema-aware coding of :mod:`decoding.compact`, deflated with
the preset dictionary of the catalogue version it names. The reader takes both.

Reading goes through the spec's checks in order and raises a
:class:`~decoding.errors.PayloadError` with the first failing step's code.
Steps 13-15 (replay, form catalogue, fields) need the case database and the
catalogue, so the intake workflow runs them after :func:`decode`.

Nothing here writes anything, and no input may raise anything but
``PayloadError``.
"""

from __future__ import annotations

import base64
import json
import math
import os
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from decoding.base45 import Base45Error, b45decode, b45encode
from decoding.codebook import (
    ID_LEN,
    Codebook,
    CodebookError,
    newest_codebook,
    shipped_codebooks,
)
from decoding.compact import (
    CodingError,
    decode_document,
    encode_document,
    finite_float,
    no_duplicates,
    reject_constant,
)
from decoding.document import Document, check_clock, parse_document
from decoding.errors import ErrorCode, PayloadError
from decoding.keys import KeyRing, kid_of
from decoding.wedge import repair_wedge_text

SINGLE_PREFIX = "MW1:"
PART_PREFIX = "MWP:"
VERSION = 0x01
VERSION_2 = 0x02
VERSIONS = (VERSION, VERSION_2)
SUITE_P256_SHA256_AES128GCM = 0x01
PART_FORMAT = 0x01
HEADER_LEN = 6
PART_HEADER_LEN = 7
ENC_LEN = 65
ENC_LEN_2 = 33  # version 2 carries the encapsulated key as a compressed point
TAG_LEN = 16
MAX_PLAINTEXT = 65_536
MAX_PARTS = 16
MAX_SYMBOL_CHARS = 970  # version 20 at level M (spec section 6)
DEFAULT_LIFETIME = 2 * 24 * 3600  # the reference office keeps pre-filled petitions two days

_SUITE = Suite(KEM.P256, KDF.HKDF_SHA256, AEAD.AES_128_GCM)
# Scanner suffixes: CR, LF, Tab and the like. A space is a Base45 character,
# so it is not stripped from the end (see :func:`clean_text`).
_SCANNER_WHITESPACE = "\r\n\t\v\f\x00"


def clean_text(text: str) -> str:
    """Undo what a scanner adds: surrounding CR/LF/Tab, Caps Lock, the Korean IME."""
    return repair_wedge_text(text.lstrip(_SCANNER_WHITESPACE + " ").rstrip(_SCANNER_WHITESPACE))


def _b45(text: str) -> bytes:
    try:
        return b45decode(text)
    except Base45Error as exc:
        raise PayloadError(
            ErrorCode.BASE45,
            "QR 코드 내용이 손상되었습니다(Base45 오류). 다시 스캔해 주세요.",
            f"The QR code text is damaged (Base45: {exc}). Scan it again.",
        ) from None


def is_petition_text(text: str) -> bool:
    """A petition QR's text by its framing alone, without a key: ``MWP:`` with a part
    header, or ``MW1:`` with an envelope's version and room for its key and tag. The
    scanner set-up passes such a scan on to the counter rather than lose it."""
    t = clean_text(text)
    try:
        if t.startswith(PART_PREFIX):
            _parse_part(b45decode(t[len(PART_PREFIX):]))
            return True
        if t.startswith(SINGLE_PREFIX):
            raw = b45decode(t[len(SINGLE_PREFIX):])
            return len(raw) >= HEADER_LEN + ENC_LEN_2 + TAG_LEN and raw[0] in VERSIONS
    except (Base45Error, PayloadError):
        return False
    return False


# -- parts ------------------------------------------------------------------


@dataclass(frozen=True)
class PartProgress:
    """A multi-part payload still being scanned."""

    msg_id: str
    received: int
    total: int
    missing: list[int]

    def describe(self) -> tuple[str, str]:
        return (
            f"여러 장 QR {self.received}/{self.total} 스캔됨 — 남은 조각: "
            + ", ".join(map(str, self.missing)),
            f"Multi-part QR {self.received}/{self.total} scanned — missing parts: "
            + ", ".join(map(str, self.missing)),
        )


def _part_error(ko: str, en: str, **details: Any) -> PayloadError:
    return PayloadError(ErrorCode.PART, ko, en, details)


@dataclass
class _PartSet:
    msg_id: bytes
    total: int
    chunks: dict[int, bytes] = field(default_factory=dict)

    def progress(self) -> PartProgress:
        missing = [i for i in range(1, self.total + 1) if i not in self.chunks]
        return PartProgress(self.msg_id.hex(), len(self.chunks), self.total, missing)


def _parse_part(raw: bytes) -> tuple[bytes, int, int, bytes]:
    if len(raw) < PART_HEADER_LEN:
        raise _part_error("조각 QR의 머리부가 짧습니다.", "The part header is too short.")
    if raw[0] != PART_FORMAT:
        raise _part_error(
            f"알 수 없는 조각 형식({raw[0]})입니다.", f"Unknown part format {raw[0]}."
        )
    msg_id, index, total, chunk = raw[1:5], raw[5], raw[6], raw[7:]
    if not 2 <= total <= MAX_PARTS:
        raise _part_error(
            f"조각 수({total})가 2~16이 아닙니다.", f"Part total {total} is not 2..16.", total=total
        )
    if not 1 <= index <= total:
        raise _part_error(
            f"조각 번호({index})가 1~{total} 밖입니다.",
            f"Part index {index} is outside 1..{total}.",
            index=index,
            total=total,
        )
    return msg_id, index, total, chunk


class PartReader:
    """Reads scans one at a time: single payloads at once, parts until complete.

    ``strict`` (the CLI: every text belongs to one payload) refuses a part of
    another message as ``MW_PART``. Not strict (the counter window), a part of
    a new message starts over: the citizen in front of the clerk changed.
    """

    def __init__(
        self,
        keyring: KeyRing,
        clock: Callable[[], float] = time.time,
        *,
        strict: bool = False,
        codebooks: dict[bytes, Codebook] | None = None,
    ) -> None:
        self._keyring = keyring
        self._clock = clock
        self._strict = strict
        self._codebooks = codebooks
        self._pending: _PartSet | None = None
        self.completed: _PartSet | None = None  # the parts of the last complete petition

    @property
    def pending(self) -> PartProgress | None:
        return self._pending.progress() if self._pending else None

    def reset(self) -> None:
        self._pending = None

    def feed(self, text: str) -> Document | PartProgress:
        """One scan in; a document when complete, else the progress of its parts."""
        text = clean_text(text)
        if text.startswith(SINGLE_PREFIX):
            try:
                return self._open_single(text)
            except PayloadError as exc:
                # A trailing space is Base45 data, but a scanner may also add one:
                # when the text as read does not open, try once without it.
                if exc.code not in (ErrorCode.BASE45, ErrorCode.DECRYPT) or not text.endswith(" "):
                    raise
                try:
                    return self._open_single(text.rstrip(" "))
                except PayloadError:
                    raise exc from None
        if not text.startswith(PART_PREFIX):
            raise PayloadError(
                ErrorCode.PREFIX,
                details={"starts_with": text[:4] if text[:4].isascii() else ""},
            )
        msg_id, index, total, chunk = _parse_part(_b45(text[len(PART_PREFIX) :]))
        pending = self._pending
        if pending is not None and pending.msg_id != msg_id:
            if self._strict:
                raise _part_error(
                    "서로 다른 신청서의 조각이 섞여 있습니다.",
                    "Parts of different petitions are mixed.",
                )
            pending = None
        if pending is None:
            pending = _PartSet(msg_id, total)
        elif pending.total != total:
            raise _part_error(
                f"같은 신청서의 조각 수가 다릅니다({pending.total} / {total}).",
                f"Parts of one petition disagree on the total ({pending.total} vs {total}).",
            )
        held = pending.chunks.get(index)
        if held is not None and held != chunk:
            raise _part_error(
                f"{index}번 조각이 이미 다른 내용으로 스캔되었습니다.",
                f"Part {index} was already scanned with different content.",
                index=index,
            )
        pending.chunks[index] = chunk
        self._pending = pending
        if len(pending.chunks) < total:
            return pending.progress()
        self._pending = None
        self.completed = pending
        envelope = b"".join(pending.chunks[i] for i in range(1, total + 1))
        return open_envelope(envelope, self._keyring, self._now(), self._codebooks)

    def _open_single(self, text: str) -> Document:
        return open_envelope(
            _b45(text[len(SINGLE_PREFIX) :]), self._keyring, self._now(), self._codebooks
        )

    def _now(self) -> int:
        return int(self._clock())


def decode(
    texts: str | Iterable[str],
    keyring: KeyRing,
    now: int | float | None = None,
    codebooks: dict[bytes, Codebook] | None = None,
) -> Document:
    """Read one payload from its QR text(s) (steps 1-12), parts in any order.

    ``codebooks`` are the catalogue versions a version 2 payload may name
    (default: every version shipped in ``resources/catalogue-versions``).
    """
    if isinstance(texts, str):
        texts = [texts]
    clock_value = time.time() if now is None else now
    reader = PartReader(keyring, lambda: clock_value, strict=True, codebooks=codebooks)
    result: Document | PartProgress | None = None
    for text in texts:
        if isinstance(result, Document):
            # A repeated part after completion is harmless; anything else is not (a part of
            # another petition, or the same part with other content, is a conflict).
            cleaned = clean_text(text)
            done = reader.completed
            if cleaned.startswith(PART_PREFIX) and done is not None:
                msg_id, index, total, chunk = _parse_part(_b45(cleaned[len(PART_PREFIX) :]))
                if msg_id == done.msg_id and total == done.total and done.chunks.get(index) == chunk:
                    continue
                raise _part_error(
                    "다 읽은 신청서의 조각과 맞지 않는 조각이 더 있습니다.",
                    "A part that does not match the completed petition follows it.",
                    index=index,
                )
            raise _part_error(
                "신청서 하나를 다 읽은 뒤에 다른 QR이 더 있습니다.",
                "More QR text follows a complete petition.",
            )
        result = reader.feed(text)
    if result is None:
        raise PayloadError(
            ErrorCode.PREFIX, "QR 코드 내용이 비어 있습니다.", "The QR text is empty."
        )
    if isinstance(result, PartProgress):
        ko, en = result.describe()
        raise _part_error(
            ko, en, received=result.received, total=result.total, missing=result.missing
        )
    return result


# -- the envelope -------------------------------------------------------------


def open_envelope(
    envelope: bytes, keyring: KeyRing, now: int, codebooks: dict[bytes, Codebook] | None = None
) -> Document:
    """Steps 4-12: header, key, HPKE open, inflate, JSON or coding, structure, clock."""
    if len(envelope) < 1 or envelope[0] not in VERSIONS:
        found = envelope[0] if envelope else None
        raise PayloadError(ErrorCode.VERSION, details={"version": found})
    if len(envelope) < 2 or envelope[1] != SUITE_P256_SHA256_AES128GCM:
        found = envelope[1] if len(envelope) > 1 else None
        raise PayloadError(ErrorCode.SUITE, details={"suite": found})
    header = envelope[:HEADER_LEN]
    key = keyring.get(header[2:6]) if len(header) == HEADER_LEN else None
    if key is None:
        raise PayloadError(ErrorCode.KID, details={"kid": header[2:6].hex()})
    body = envelope[HEADER_LEN:]
    if len(body) < (ENC_LEN_2 if envelope[0] == VERSION_2 else ENC_LEN) + TAG_LEN:
        raise PayloadError(
            ErrorCode.DECRYPT,
            "QR 코드가 잘렸습니다(암호문이 짧음). 다시 스캔해 주세요.",
            "The QR code is cut short (ciphertext too short). Scan it again.",
        )
    try:
        if envelope[0] == VERSION_2:
            body = _uncompressed_point(body[:ENC_LEN_2]) + body[ENC_LEN_2:]
        compressed = _SUITE.decrypt(body, key, info=b"MW1" + header)
    except Exception:  # any failure to open is the same to the clerk: tag, point, length
        raise PayloadError(ErrorCode.DECRYPT) from None
    if envelope[0] == VERSION_2:
        return parse_plaintext_v2(compressed, now, codebooks)
    return parse_plaintext(compressed, now)


def _inflate(data: bytes, dictionary: bytes = b"") -> bytes:
    inflater = zlib.decompressobj(wbits=-15, zdict=dictionary)
    try:
        out = inflater.decompress(data, MAX_PLAINTEXT + 1)
    except zlib.error:
        raise PayloadError(ErrorCode.INFLATE) from None
    if len(out) > MAX_PLAINTEXT or inflater.unconsumed_tail:
        raise PayloadError(
            ErrorCode.INFLATE,
            "신청서 내용이 너무 큽니다(64 KiB 초과).",
            "The petition is too large (over 64 KiB).",
        )
    if not inflater.eof or inflater.unused_data:
        raise PayloadError(
            ErrorCode.INFLATE,
            "압축된 신청서 내용이 불완전합니다.",
            "The compressed petition is incomplete or has trailing data.",
        )
    return out


def parse_plaintext(compressed: bytes, now: int) -> Document:
    """Steps 8-12 on the decrypted bytes."""
    raw = _inflate(compressed)
    try:
        obj = json.loads(
            raw.decode("utf-8"),
            parse_constant=reject_constant,
            parse_float=finite_float,
            object_pairs_hook=no_duplicates,
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PayloadError(ErrorCode.JSON) from None
    if not isinstance(obj, dict):
        raise PayloadError(
            ErrorCode.JSON,
            "신청서 내용이 JSON 객체가 아닙니다.",
            "The petition is not a JSON object.",
        )
    doc = parse_document(obj)
    check_clock(doc, now)
    return doc


def parse_plaintext_v2(
    plaintext: bytes, now: int, codebooks: dict[bytes, Codebook] | None = None
) -> Document:
    """Version 2 (docs/payload-v2.md, section 3): catalogue version, inflate, coding, structure."""
    try:
        books = shipped_codebooks() if codebooks is None else codebooks
    except CodebookError as exc:  # a damaged installation: said, not a traceback
        raise PayloadError(
            ErrorCode.CATALOGUE,
            "이 프로그램의 서식 카탈로그 버전 파일이 손상되었습니다. 프로그램을 다시 설치해 주세요.",
            f"This program's catalogue version files are damaged ({exc}). Reinstall it.",
        ) from None
    book = books.get(plaintext[:ID_LEN]) if len(plaintext) >= ID_LEN else None
    if book is None:
        found = plaintext[:ID_LEN].hex()
        raise PayloadError(
            ErrorCode.CATALOGUE,
            f"이 QR 코드를 만든 서식 카탈로그 버전({found})이 이 프로그램에 없습니다. "
            "창구 프로그램을 업데이트해 주세요.",
            f"This QR code was made with form catalogue version {found}, which this program "
            "does not have. Update the counter program.",
            {"catalogue": found},
        )
    coded = _inflate(plaintext[ID_LEN:], book.dictionary)
    try:
        obj = decode_document(coded, book)
    except CodingError as exc:
        raise PayloadError(
            ErrorCode.CODING,
            f"QR 코드의 신청서 내용이 올바르게 부호화되지 않았습니다: {exc.message_ko}",
            f"The petition inside the QR code is not coded correctly: {exc.message_en}",
            {**exc.details, "catalogue": book.id.hex()},
        ) from None
    doc = parse_document(obj)
    check_clock(doc, now)
    return doc


# -- writing ------------------------------------------------------------------


def _deflate(data: bytes, dictionary: bytes = b"") -> bytes:
    compressor = (
        zlib.compressobj(9, zlib.DEFLATED, -15, zdict=dictionary)
        if dictionary
        else zlib.compressobj(9, zlib.DEFLATED, -15)
    )
    return compressor.compress(data) + compressor.flush()


def seal_envelope(
    document: dict[str, Any],
    public_key: ec.EllipticCurvePublicKey,
    *,
    version: int = VERSION_2,
    codebook: Codebook | None = None,
) -> bytes:
    """The envelope of section 1 for a document (JSON object), coded as ``version`` says.

    Version 2 codes with ``codebook`` (default: the newest recorded catalogue version).
    """
    if version == VERSION:
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        plaintext = _deflate(body)
    elif version == VERSION_2:
        book = newest_codebook() if codebook is None else codebook
        plaintext = book.id + _deflate(encode_document(document, book), book.dictionary)
    else:
        raise ValueError(f"no payload version {version} (1 or 2)")
    header = bytes([version, SUITE_P256_SHA256_AES128GCM]) + kid_of(public_key)
    sealed = _SUITE.encrypt(plaintext, public_key, info=b"MW1" + header)
    if version == VERSION_2:  # enc as a compressed point: 0x02 | (y & 1), then x
        sealed = bytes([2 | sealed[ENC_LEN - 1] & 1]) + sealed[1:33] + sealed[ENC_LEN:]
    return header + sealed


def _uncompressed_point(compressed: bytes) -> bytes:
    """The 65-byte point HPKE takes, from its 33-byte compressed form (ValueError if off the curve)."""
    point = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), compressed)
    return point.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


def _part_text_len(chunk_len: int) -> int:
    n = PART_HEADER_LEN + chunk_len
    return len(PART_PREFIX) + (n // 2) * 3 + (n % 2) * 2


def split_envelope(envelope: bytes, parts: int | None = None) -> list[str]:
    """QR texts for an envelope: one ``MW1:`` text, or 2..16 ``MWP:`` parts of nearly equal size.

    With ``parts`` None, a text longer than one symbol carries (970 characters)
    is split into the fewest parts that fit.
    """
    single = SINGLE_PREFIX + b45encode(envelope)
    if parts is None:
        if len(single) <= MAX_SYMBOL_CHARS:
            return [single]
        parts = 2
        while _part_text_len(math.ceil(len(envelope) / parts)) > MAX_SYMBOL_CHARS:
            parts += 1
    if parts == 1:
        return [single]
    if not 2 <= parts <= MAX_PARTS or parts > len(envelope):
        raise ValueError(f"cannot split {len(envelope)} bytes into {parts} parts (2..16)")
    msg_id = os.urandom(4)
    size, extra = divmod(len(envelope), parts)
    texts, pos = [], 0
    for index in range(1, parts + 1):
        length = size + (1 if index <= extra else 0)
        chunk = envelope[pos : pos + length]
        pos += length
        head = bytes([PART_FORMAT]) + msg_id + bytes([index, parts])
        texts.append(PART_PREFIX + b45encode(head + chunk))
    return texts


def encode(
    document: dict[str, Any],
    public_key: ec.EllipticCurvePublicKey,
    parts: int | None = None,
    *,
    version: int = VERSION_2,
    codebook: Codebook | None = None,
) -> list[str]:
    """Encrypt a document into its QR text(s): version 2 unless ``version=1``."""
    envelope = seal_envelope(document, public_key, version=version, codebook=codebook)
    return split_envelope(envelope, parts)


def new_payload_id() -> str:
    return base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode("ascii")


def make_document(
    applicant: dict[str, Any],
    forms: list[dict[str, Any]],
    delegate: dict[str, Any] | None = None,
    *,
    now: int | None = None,
    lifetime: int = DEFAULT_LIFETIME,
    office: str | None = None,
) -> dict[str, Any]:
    """A fresh document (new id, ``iat`` now, ``exp`` after ``lifetime``) for demos and tests."""
    iat = int(time.time()) if now is None else now
    doc: dict[str, Any] = {
        "v": 1,
        "id": new_payload_id(),
        "iat": iat,
        "exp": iat + lifetime,
        "applicant": applicant,
        "forms": forms,
    }
    if office is not None:
        doc["office"] = office
    if delegate is not None:
        doc["delegate"] = delegate
    return doc
