"""Masking resident registration numbers wherever they hide in a document.

The masked copy of a document is what lists, screens and exports show
without a key. RRNs sit in ``applicant.rrn`` and ``delegate.rrn``, but a form
may carry more (the 대상자 of a certificate request), typed with or without
the hyphen, so every string and integer that looks like one is masked.
"""

from __future__ import annotations

import re
from typing import Any

from decoding.document import mask_rrn

_RRN = re.compile(r"(?<!\d)(\d{6})-?([0-9])(\d{6})(?!\d)")


def mask_text(text: str) -> str:
    return _RRN.sub(lambda m: f"{m.group(1)}-{m.group(2)}******", text)


def redact(value: Any) -> Any:
    """A copy of ``value`` (JSON-like) with every RRN-shaped value masked."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if k == "rrn" and isinstance(v, str):
                out[k] = mask_rrn(v)
            else:
                out[k] = redact(v)
        return out
    if isinstance(value, list):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) == 13:
        return mask_text(str(value))
    return value
