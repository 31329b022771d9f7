"""One canonical form for what a citizen typed, on the phone and at the counter alike.

The same name must be the same string wherever it was typed: a name pasted
from a Mac arrives in decomposed Hangul (``김`` as three jamo), a name typed
on a phone may carry a trailing or a doubled space, a phone number comes as
``010.1234.5678``, ``(02) 123-4567`` or ``+82 10-1234-5678``, a date as
``1950년 3월 5일`` or ``50.3.5``. A search at the counter, a duplicate check
or a printout must not depend on that.

The intake pipeline puts every document through :func:`canonical_document`
(QR and paper petitions alike); the web form's ``webform/validate.js`` does
the same before the QR is made (``canonicalText``, ``canonicalPhone``,
``canonicalDate``), and the shared cases (:mod:`decoding.forms.shared_cases`)
hold both sides to the same results.

Only shape changes, never meaning: text is NFC, trimmed, inner runs of spaces
made one space (line breaks of a long text kept); a phone number that is a
Korean number gets its usual hyphens, anything else stays as typed for the
validators to refuse with their message; a date becomes ``YYYY-MM-DD`` only
when it names one real day unambiguously.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from decoding.document import Document, parse_document

if TYPE_CHECKING:
    from decoding.forms.catalogue import Catalogue

# White space inside one line: every Unicode space separator and the tab (Python's
# isspace() without the line breaks, which a long text keeps).
_INLINE_SPACE = re.compile(r"[^\S\n\r]+")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_DASHES = {ord(c): "-" for c in "\uff0d\u2010\u2011\u2012\u2013\u2014\u2212"}


def canonical_text(value: str, *, multiline: bool = False) -> str:
    """NFC, trimmed, inner runs of white space one space; ``multiline`` keeps line breaks
    (each line trimmed, at most one empty line in a row)."""
    text = unicodedata.normalize("NFC", value)
    if not multiline:
        return _INLINE_SPACE.sub(" ", text.replace("\n", " ").replace("\r", " ")).strip()
    lines = [
        _INLINE_SPACE.sub(" ", line).strip() for line in _LINE_BREAKS.sub("\n", text).split("\n")
    ]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


def _ascii_digits(value: str) -> str:
    return value.translate(_FULLWIDTH).translate(_DASHES)


_AREA3 = ("031", "032", "033", "041", "042", "043", "044", "051", "052", "053", "054",
          "055", "061", "062", "063", "064", "070")


def _group_phone(d: str) -> str | None:
    """Korean digits with their usual hyphens, or None for a shape no Korean number has."""
    n = len(d)
    if d.startswith("02") and n in (9, 10):
        return f"02-{d[2 : n - 4]}-{d[-4:]}"
    if d.startswith("010") and n == 11:
        return f"010-{d[3:7]}-{d[7:]}"
    if d[:3] in _AREA3 and n in (10, 11):
        return f"{d[:3]}-{d[3 : n - 4]}-{d[-4:]}"
    if d.startswith("080") and n == 10:
        return f"080-{d[3:6]}-{d[6:]}"
    if d.startswith("050") and n in (11, 12):
        return f"{d[:4]}-{d[4 : n - 4]}-{d[-4:]}"
    if d[:2] in ("15", "16", "18") and n == 8:
        return f"{d[:4]}-{d[4:]}"
    return None


def canonical_phone(value: str) -> str:
    """``010-1234-5678`` from ``01012345678``, ``010.1234.5678``, ``010 1234 5678``,
    ``(010)1234-5678``, ``+82 10-1234-5678``, ``+82 (0)10…``; anything else trimmed, as typed."""
    text = canonical_text(value)
    s = _ascii_digits(text)
    if not re.fullmatch(r"[0-9+()\-. ]+", s) or s.count("+") > 1 or "+" in s[1:]:
        return text
    d = re.sub(r"[^0-9]", "", s)
    if s.startswith("+"):
        if not d.startswith("82"):
            return text
        d = d[2:]
        d = d if d.startswith("0") else "0" + d
    grouped = _group_phone(d)
    return grouped if grouped is not None else text


# ASCII digits only (as the web form's regexps): Python's \d would take other scripts' digits.
_YMD = re.compile(r"([0-9]{2}|[0-9]{4}) ?[.\-/년] ?([0-9]{1,2}) ?[.\-/월] ?([0-9]{1,2}) ?[.일]?")
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")


def canonical_date(value: str, *, today: dt.date | None = None) -> str:
    """``YYYY-MM-DD`` from the ways Koreans write a date: ``1950-03-05``, ``1950.3.5``,
    ``1950. 3. 5.``, ``1950년 3월 5일``, ``1950/03/05``, ``19500305`` and with a two-digit
    year (``50.3.5``: the latest such day not after today, as for a birth date).
    Anything that names no real day is returned trimmed, for the validator to refuse."""
    text = canonical_text(value)
    s = _ascii_digits(text)
    m = _YMD.fullmatch(s) or _COMPACT.fullmatch(s)
    if not m:
        return text
    y, mo, d = (int(g) for g in m.groups())
    if len(m.group(1)) == 2:
        today = today or dt.date.today()
        y += 2000 if (2000 + y, mo, d) <= (today.year, today.month, today.day) else 1900
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return text


def birth_from_rrn(rrn: str) -> str | None:
    """The birth date a 13-digit RRN/FRN encodes (``YYYY-MM-DD``), or None."""
    from decoding.forms.identifiers import rrn_birth_date

    born = rrn_birth_date(rrn)
    return born.isoformat() if born else None


def _person(person: Any) -> Any:
    if not isinstance(person, dict):
        return person
    out = dict(person)
    for key in ("name", "relation", "email"):
        if isinstance(out.get(key), str):
            out[key] = canonical_text(out[key])
    if isinstance(out.get("phone"), str):
        out["phone"] = canonical_phone(out["phone"])
    if isinstance(out.get("rrn"), str):
        out["rrn"] = re.sub(r"[\s-]", "", _ascii_digits(out["rrn"]))
    if isinstance(out.get("birth"), str):
        out["birth"] = canonical_date(out["birth"])
    elif "birth" not in out and isinstance(out.get("rrn"), str):
        born = birth_from_rrn(out["rrn"])
        if born:
            out["birth"] = born
    address = out.get("address")
    if isinstance(address, dict):
        out["address"] = {
            k: (canonical_text(v) if isinstance(v, str) else v) for k, v in address.items()
        }
    return out


def canonical_value(value: Any, field_type: str | None = None) -> Any:
    """A form field's value in canonical form; ``field_type`` (the catalogue's type) when
    known makes phone numbers and dates canonical too."""
    if isinstance(value, str):
        if field_type == "phone":
            return canonical_phone(value)
        if field_type == "date":
            return canonical_date(value)
        return canonical_text(value, multiline=field_type == "longtext" or "\n" in value)
    if isinstance(value, list):
        return [canonical_value(v, None) for v in value]
    if isinstance(value, dict):
        return {k: canonical_value(v, None) for k, v in value.items()}
    return value


def canonical_document(
    raw: dict[str, Any], field_types: dict[tuple[str, int], dict[str, str]] | None = None
) -> dict[str, Any]:
    """The document with every person and field value in canonical form (a new dict;
    structure the schema refuses is left for the schema to refuse). ``field_types`` maps
    ``(code, ver)`` to ``{field id: type}`` from the catalogue."""
    out = dict(raw)
    for role in ("applicant", "delegate"):
        if role in out:
            out[role] = _person(out[role])
    forms = out.get("forms")
    if isinstance(forms, list):
        new_forms = []
        for entry in forms:
            if isinstance(entry, dict) and isinstance(entry.get("fields"), dict):
                key = (entry.get("code"), entry.get("ver"))  # any JSON: a miss is no types
                types = (field_types or {}).get(key, {})  # type: ignore[arg-type]
                fields = {k: canonical_value(v, types.get(k)) for k, v in entry["fields"].items()}
                entry = {**entry, "fields": fields}
            new_forms.append(entry)
        out["forms"] = new_forms
    return out


def field_types(catalogue: Catalogue | None, forms: Any) -> dict[tuple[str, int], dict[str, str]]:
    """``{(code, ver): {field id: type}}`` of the catalogue's definitions of ``forms``
    (entries with ``code`` and ``ver``, as dicts or :class:`FormEntry`)."""
    out: dict[tuple[str, int], dict[str, str]] = {}
    if catalogue is None or not isinstance(forms, (list, tuple)):
        return out
    for entry in forms:
        code = entry.get("code") if isinstance(entry, dict) else getattr(entry, "code", None)
        ver = entry.get("ver") if isinstance(entry, dict) else getattr(entry, "ver", None)
        if not isinstance(code, str) or not isinstance(ver, int):
            continue
        definition = catalogue.get(code, ver)
        if definition is not None:
            out[(code, ver)] = {f.id: f.type for f in definition.fields}
    return out


def canonical(doc: Document, catalogue: Catalogue | None) -> Document:
    """``doc`` with its text, phone numbers and dates in canonical form (the same object
    when nothing changes)."""
    raw = canonical_document(doc.raw, field_types(catalogue, doc.forms))
    return doc if raw == doc.raw else parse_document(raw)
