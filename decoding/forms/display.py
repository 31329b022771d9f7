"""Field values as a clerk reads them: on screen, in lists and on printouts.

Resident and foreigner registration numbers are masked (``900101-1******``)
unless the caller reveals them on purpose.
"""

from __future__ import annotations

from typing import Any

from decoding.document import mask_rrn
from decoding.forms.model import FieldDef, FormDef
from decoding.text import display_text


def display_value(fd: FieldDef, value: Any, *, reveal_rrn: bool = False) -> str:
    """One line of text for ``value`` of field ``fd`` (long text keeps its lines);
    control and bidi characters are never shown (:func:`decoding.text.display_text`)."""
    return display_text(_display(fd, value, reveal_rrn=reveal_rrn), multiline=fd.type == "longtext")


def _display(fd: FieldDef, value: Any, *, reveal_rrn: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "예" if value else "아니요"
    if fd.type in ("rrn", "frn") and isinstance(value, str):
        return f"{value[:6]}-{value[6:]}" if reveal_rrn else mask_rrn(value)
    if fd.type == "brn" and isinstance(value, str) and len(value) == 10:
        return f"{value[:3]}-{value[3:5]}-{value[5:]}"
    if fd.type == "crn" and isinstance(value, str) and len(value) == 13:
        return f"{value[:6]}-{value[6:]}"
    if fd.type == "money" and isinstance(value, int):
        return f"{value:,}원"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        parts = [str(value[k]) for k in ("road", "detail") if value.get(k)]
        text = ", ".join(parts)
        return f"({value['postcode']}) {text}" if value.get("postcode") else text
    return str(value)


def case_title(formdef: FormDef, values: dict[str, Any]) -> str:
    """What names the case in lists: the form title and its ``title_field`` value."""
    fd = formdef.get_field(formdef.title_field)
    shown = display_value(fd, values.get(formdef.title_field)) if fd else ""
    return f"{formdef.title_ko} — {shown}" if shown else formdef.title_ko
