"""The clerk's corrections of a petition: what changed, and applying it to the document as given.

A :class:`Correction` names a field of a form; the store records it as a
:data:`FieldChange` (a document path such as ``forms[0].fields.purpose``,
before, after). A field whose value comes from the applicant (a form's
``source``) is corrected once, on the applicant.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from decoding.forms import Catalogue
from records.errors import InvalidChange


@dataclass
class Correction:
    """A field the clerk changed on screen: the form and field, before and after, by whom, when."""

    form: str
    field: str
    before: Any
    after: Any
    who: str = ""
    when: float = dataclasses.field(default_factory=time.time)  # `field` is a member here
    reason: str = ""  # why the clerk changed it (the citizen asked, the ID card differs, …)


FieldChange = tuple[str, Any, Any]  # (document path, before, after): what the store records


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _path(field_path: str) -> list[str | int]:
    """``forms[0].fields.purpose`` -> ["forms", 0, "fields", "purpose"]."""
    parts: list[str | int] = []
    for name, index in _PATH_PART.findall(field_path):
        parts.append(int(index) if index else name)
    if not parts:
        raise InvalidChange(f"잘못된 항목 경로: {field_path}", f"bad field path: {field_path}")
    return parts


def apply_corrections(
    raw: dict[str, Any], corrections: Sequence[tuple[str, Any, Any]]
) -> dict[str, Any]:
    """A copy of ``raw`` with each (field, before, after) applied.

    ``field`` is a path into the document: ``applicant.phone``,
    ``delegate.address.detail``, ``forms[0].fields.purpose``. ``before`` must
    be the current value (None for a member that is absent); ``after`` None
    removes the member. A mismatch means the screen showed something else
    than what is stored: refuse rather than guess.
    """
    doc = copy.deepcopy(raw)
    for field_path, before, after in corrections:
        parts = _path(field_path)
        node: Any = doc
        for part in parts[:-1]:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                raise InvalidChange(
                    f"고칠 항목이 없습니다: {field_path}", f"no such field: {field_path}"
                ) from None
        last = parts[-1]
        if isinstance(node, dict):
            current = node.get(last)
        elif isinstance(node, list) and isinstance(last, int) and last < len(node):
            current = node[last]
        else:
            raise InvalidChange(f"고칠 항목이 없습니다: {field_path}", f"no such field: {field_path}")
        if current != before:
            raise InvalidChange(
                f"{field_path} 의 현재 값이 화면의 값과 다릅니다.",
                f"{field_path}: the stored value is not the one shown as 'before'.",
                {"field": field_path},
            )
        if after is None and isinstance(node, dict):
            node.pop(last, None)
        else:
            node[last] = after
    return doc


def correction_paths(
    raw: dict[str, Any], catalogue: Catalogue | None, corrections: Sequence[Correction | FieldChange]
) -> list[FieldChange]:
    """The clerk's corrections as document paths, each with the value it replaced.

    A field the form fills from the applicant or delegate, and does not carry
    itself, is corrected at its source (``applicant.phone``), so the person
    block, every form and the power of attorney agree; a form's own field
    (its own value wins, see :func:`decoding.forms.resolved_fields`) at
    ``forms[i].fields.<id>``. A (path, before, after) passes through.
    """
    doc = copy.deepcopy(raw)
    forms: list[dict[str, Any]] = [f for f in doc.get("forms", []) if isinstance(f, dict)]
    codes = [f.get("code") for f in forms]
    out: list[FieldChange] = []
    for c in corrections:
        if not isinstance(c, Correction):
            out.append(c)
            continue
        if c.form not in codes:
            continue
        i = codes.index(c.form)
        own: dict[str, Any] = forms[i].setdefault("fields", {})
        formdef = catalogue.get(c.form, forms[i].get("ver")) if catalogue else None
        fdef = formdef.get_field(c.field) if formdef else None
        node: dict[str, Any] = own
        member, path = c.field, f"forms[{i}].fields.{c.field}"
        if fdef is not None and fdef.source and c.field not in own:
            person, member = fdef.source.split(".", 1)
            holder = doc.get(person)
            if not isinstance(holder, dict):
                continue
            node, path = holder, f"{person}.{member}"
        out.append((path, node.get(member), c.after))
        if c.after is None:
            node.pop(member, None)
        else:
            node[member] = c.after
    return out


