"""Base45 (RFC 9285), the text encoding of MW1 QR codes.

Base45 uses only the 45 characters of the QR alphanumeric mode, so the symbol
stays compact and a keyboard-wedge scanner can "type" it.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}


class Base45Error(ValueError):
    """The text is not valid Base45; the message says where."""


def b45encode(data: bytes) -> str:
    out: list[str] = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        n, c = divmod(n, 45)
        e, d = divmod(n, 45)
        out += (ALPHABET[c], ALPHABET[d], ALPHABET[e])
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        out += (ALPHABET[c], ALPHABET[d])
    return "".join(out)


def b45decode(text: str) -> bytes:
    """Decode strictly: length mod 3 != 1, each triple < 65536, a final pair < 256."""
    if len(text) % 3 == 1:
        raise Base45Error(f"length {len(text)} leaves a single character")
    try:
        values = [_VALUE[c] for c in text]
    except KeyError as exc:
        pos = next(i for i, c in enumerate(text) if c not in _VALUE)
        raise Base45Error(f"character {text[pos]!r} at position {pos} is not Base45") from exc
    out = bytearray()
    full = len(values) - len(values) % 3
    for i in range(0, full, 3):
        n = values[i] + values[i + 1] * 45 + values[i + 2] * 2025
        if n > 0xFFFF:
            raise Base45Error(f"triple at position {i} is out of range")
        out += n.to_bytes(2, "big")
    if full < len(values):
        n = values[full] + values[full + 1] * 45
        if n > 0xFF:
            raise Base45Error(f"final pair at position {full} is out of range")
        out.append(n)
    return bytes(out)
