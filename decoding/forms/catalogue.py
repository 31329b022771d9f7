"""Loading the petition form catalogue from ``resources/forms/*.toml``.

The format is documented in ``resources/forms/README.md``. Each file is
checked as it is read (unknown keys, field types, autofill sources, the
case-title field...), because an office adds forms without a programmer: a
broken file is reported by its name and problem in :attr:`Catalogue.load_errors`
and every other form still loads.
"""

from __future__ import annotations

import datetime
import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from decoding.errors import CounterError
from decoding.forms.model import (
    FIELD_TYPES,
    PERSON_MEMBERS,
    PROXY_KINDS,
    Attachment,
    Condition,
    FieldDef,
    FormDef,
    ProxyRule,
    SectionDef,
)

FORMAT_VERSION = 1
_CODE = re.compile(r"[A-Z0-9_]{1,64}")
_FIELD_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")

# What type a field filled from a person's member must have.
_SOURCE_TYPES: dict[str, tuple[str, ...]] = {
    "name": ("text",),
    "rrn": ("rrn", "frn"),
    "birth": ("date",),
    "phone": ("phone",),
    "email": ("email",),
    "address": ("address",),
    "relation": ("text", "choice"),
}

_TOP_KEYS = {
    "format",
    "code",
    "ver",
    "title_ko",
    "title_en",
    "law",
    "category",
    "fee_won",
    "fee_note_ko",
    "processing_ko",
    "processing_en",
    "processing_days",
    "title_field",
    "proxy",
    "sections",
    "attachments",
    "aliases",
    "form_no",
    "fee_basis",
    "checked_on",
    "unverified",
    "family",
}
# A family file (resources/forms/families/*.toml): sections and attachments that
# several forms share (one definition for 변경·폐업·지위승계 of every registered
# business, one for the 사회보장급여 신청서 variants).
_FAMILY_KEYS = {"family", "title_ko", "law", "sections", "attachments"}
FAMILY_DIR = "families"
_FIELD_KEYS = {
    "id",
    "label_ko",
    "label_en",
    "type",
    "required",
    "choices",
    "allow_other",
    "help_ko",
    "help_en",
    "source",
    "required_if",
    "min",
    "max",
    "max_length",
}
_PROXY_KEYS = {
    "kind",
    "needs_ko",
    "needs_en",
    "reason_ko",
    "reason_en",
    "handwritten",
    "source",
    "valid_months",
    "date_field",
}
_SECTION_KEYS = {"id", "title_ko", "title_en", "fields"}
_FAMILY_SECTION_KEYS = _SECTION_KEYS | {"after"}
_ATTACHMENT_KEYS = {"name_ko", "name_en", "required", "condition_ko", "condition_en", "when"}


class FormFileError(CounterError, ValueError):
    """A form definition file is wrong; the message says where and what."""

    code = "FORM_FILE"


def _table(obj: Any, where: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise FormFileError(f"{where}: must be a table")
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise FormFileError(f"{where}: unknown key(s) {', '.join(unknown)}")
    return obj


def _str(obj: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = obj.get(key)
    if value is None:
        if required:
            raise FormFileError(f"{where}: '{key}' is missing")
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise FormFileError(f"{where}: '{key}' must be a non-empty string")
    return value


def _bool(obj: dict[str, Any], key: str, where: str) -> bool:
    value = obj.get(key, False)
    if not isinstance(value, bool):
        raise FormFileError(f"{where}: '{key}' must be true or false")
    return value


def _int(obj: dict[str, Any], key: str, where: str, *, required: bool = True) -> int | None:
    value = obj.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise FormFileError(f"{where}: '{key}' must be a whole number >= 0")
    return value


def _number(obj: dict[str, Any], key: str, where: str) -> float | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise FormFileError(f"{where}: '{key}' must be a number")
    return float(value)


def _condition(obj: Any, where: str) -> Condition:
    table = _table(obj, where, {"field", "equals"})
    if "equals" not in table:
        raise FormFileError(f"{where}: 'equals' is missing")
    return Condition(field=_str(table, "field", where), equals=table["equals"])


def _field(obj: Any, where: str, section: str) -> FieldDef:
    t = _table(obj, where, _FIELD_KEYS)
    field_id = _str(t, "id", where)
    where = f"{where} ({field_id})"
    if not _FIELD_ID.fullmatch(field_id):
        raise FormFileError(f"{where}: id must be lower-case letters, digits and _")
    ftype = _str(t, "type", where)
    if ftype not in FIELD_TYPES:
        raise FormFileError(f"{where}: unknown type '{ftype}' (one of {', '.join(FIELD_TYPES)})")
    choices = t.get("choices", [])
    if not isinstance(choices, list) or not all(isinstance(c, str) and c for c in choices):
        raise FormFileError(f"{where}: 'choices' must be a list of strings")
    if len(set(choices)) != len(choices):
        raise FormFileError(f"{where}: 'choices' has duplicates")
    allow_other = _bool(t, "allow_other", where)
    if ftype in ("choice", "multichoice") and not choices and not allow_other:
        raise FormFileError(f"{where}: a {ftype} field needs 'choices'")
    if choices and ftype not in ("choice", "multichoice"):
        raise FormFileError(f"{where}: 'choices' only goes with choice or multichoice")
    source = t.get("source")
    if source is not None:
        if not isinstance(source, str) or "." not in source:
            raise FormFileError(f"{where}: 'source' must look like applicant.name")
        person, member = source.split(".", 1)
        if person not in ("applicant", "delegate") or member not in PERSON_MEMBERS:
            raise FormFileError(
                f"{where}: 'source' must be applicant.<m> or delegate.<m>, "
                f"m one of {', '.join(PERSON_MEMBERS)}"
            )
        if source == "applicant.relation":
            raise FormFileError(f"{where}: only the delegate has a relation (delegate.relation)")
        if ftype not in _SOURCE_TYPES[member]:
            raise FormFileError(f"{where}: a field filled from {source} cannot be of type {ftype}")
    required_if = t.get("required_if")
    max_length = _int(t, "max_length", where, required=False)
    return FieldDef(
        id=field_id,
        label_ko=_str(t, "label_ko", where),
        label_en=_str(t, "label_en", where),
        type=ftype,
        required=_bool(t, "required", where),
        choices=tuple(choices),
        allow_other=allow_other,
        help_ko=_str(t, "help_ko", where, required=False),
        help_en=_str(t, "help_en", where, required=False),
        source=source,
        required_if=_condition(required_if, f"{where}.required_if") if required_if else None,
        min=_number(t, "min", where),
        max=_number(t, "max", where),
        max_length=max_length,
        section=section,
    )


def _proxy(obj: Any) -> ProxyRule:
    t = _table(obj, "[proxy]", _PROXY_KEYS)
    kind = _str(t, "kind", "[proxy]")
    if kind not in PROXY_KINDS:
        raise FormFileError(f"[proxy]: kind must be one of {', '.join(PROXY_KINDS)}")
    rule = ProxyRule(
        kind=kind,  # type: ignore[arg-type]  # checked against PROXY_KINDS just above
        needs_ko=_str(t, "needs_ko", "[proxy]", required=False),
        needs_en=_str(t, "needs_en", "[proxy]", required=False),
        reason_ko=_str(t, "reason_ko", "[proxy]", required=False),
        reason_en=_str(t, "reason_en", "[proxy]", required=False),
        handwritten=_bool(t, "handwritten", "[proxy]"),
        source=_str(t, "source", "[proxy]", required=False),
        valid_months=_int(t, "valid_months", "[proxy]", required=False),
        date_field=_str(t, "date_field", "[proxy]", required=False),
    )
    if (rule.valid_months is None) != (not rule.date_field):
        raise FormFileError("[proxy]: valid_months and date_field go together")
    if rule.valid_months == 0:
        raise FormFileError("[proxy]: valid_months must be 1 or more")
    if (kind == "forbidden" or rule.handwritten) and not (rule.reason_ko and rule.reason_en):
        raise FormFileError("[proxy]: a forbidden or handwritten-only proxy needs reason_ko/_en")
    if kind == "restricted" and not rule.needs_ko:
        raise FormFileError("[proxy]: a restricted proxy needs needs_ko (the extra proof)")
    return rule


def _attachment(obj: Any, where: str) -> Attachment:
    t = _table(obj, where, _ATTACHMENT_KEYS)
    required = _bool(t, "required", where)
    condition_ko = _str(t, "condition_ko", where, required=False)
    if not required and not condition_ko:
        raise FormFileError(
            f"{where}: an attachment that is not always required needs condition_ko"
        )
    when = t.get("when")
    return Attachment(
        name_ko=_str(t, "name_ko", where),
        name_en=_str(t, "name_en", where),
        required=required,
        condition_ko=condition_ko,
        condition_en=_str(t, "condition_en", where, required=False),
        when=_condition(when, f"{where}.when") if when else None,
    )


def _strings(obj: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = obj.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise FormFileError(f"{where}: '{key}' must be a list of non-empty strings")
    if len(set(value)) != len(value):
        raise FormFileError(f"{where}: '{key}' has duplicates")
    return tuple(value)


def _checked_on(obj: dict[str, Any]) -> str:
    value = _str(obj, "checked_on", "(top level)", required=False)
    if value:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise FormFileError("'checked_on' must be a date YYYY-MM-DD") from None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise FormFileError("'checked_on' must be a date YYYY-MM-DD")
    return value


def parse_family(data: dict[str, Any]) -> dict[str, Any]:
    """Check one family file; the table a member form merges (see :func:`parse_form`)."""
    t = _table(data, "(family)", _FAMILY_KEYS)
    _str(t, "family", "(family)")
    sections = t.get("sections", [])
    if not isinstance(sections, list) or not sections:
        raise FormFileError("(family): [[sections]] missing")
    for i, raw in enumerate(sections):
        s = _table(raw, f"(family) [[sections]] #{i + 1}", _FAMILY_SECTION_KEYS)
        _bool(s, "after", f"(family) [[sections]] #{i + 1}")
    if not isinstance(t.get("attachments", []), list):
        raise FormFileError("(family): 'attachments' must be a list of tables")
    return t


def _with_family(
    t: dict[str, Any], families: Mapping[str, dict[str, Any]] | None
) -> dict[str, Any]:
    """The form's own sections between its family's (``after = true`` ones go last)."""
    name = _str(t, "family", "(top level)")
    family = (families or {}).get(name)
    if family is None:
        raise FormFileError(f"family '{name}' is not defined (resources/forms/{FAMILY_DIR}/)")
    shared = family["sections"]
    before = [{k: v for k, v in s.items() if k != "after"} for s in shared if not s.get("after")]
    after = [{k: v for k, v in s.items() if k != "after"} for s in shared if s.get("after")]
    own = t.get("sections", [])
    if not isinstance(own, list):
        raise FormFileError("'sections' must be a list of tables")
    own_attachments = t.get("attachments", [])
    if not isinstance(own_attachments, list):
        raise FormFileError("'attachments' must be a list of tables")
    return {
        **t,
        "sections": before + own + after,
        "attachments": list(family.get("attachments", [])) + own_attachments,
    }


def parse_form(
    data: dict[str, Any],
    source_file: str = "",
    families: Mapping[str, dict[str, Any]] | None = None,
) -> FormDef:
    """Build one :class:`FormDef` from a parsed definition; :class:`FormFileError` if wrong.

    A form naming a ``family`` takes that family's sections and attachments from
    ``families`` (name → checked family table, :func:`parse_family`).
    """
    t = _table(data, "(top level)", _TOP_KEYS)
    if "family" in t:
        t = _with_family(t, families)
    if t.get("format") != FORMAT_VERSION:
        raise FormFileError(f"'format' must be {FORMAT_VERSION}")
    code = _str(t, "code", "(top level)")
    if not _CODE.fullmatch(code):
        raise FormFileError("'code' must be upper-case letters, digits and _")
    ver = _int(t, "ver", "(top level)")
    assert ver is not None
    if ver < 1:
        raise FormFileError("'ver' must be 1 or more")
    raw_sections = t.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise FormFileError("[[sections]] missing")
    sections = []
    for i, raw in enumerate(raw_sections):
        where = f"[[sections]] #{i + 1}"
        s = _table(raw, where, _SECTION_KEYS)
        sid = _str(s, "id", where)
        raw_fields = s.get("fields", [])
        if not isinstance(raw_fields, list) or not raw_fields:
            raise FormFileError(f"{where} ({sid}): 'fields' must be a non-empty list")
        fields = tuple(
            _field(f, f"section {sid} field #{j + 1}", sid) for j, f in enumerate(raw_fields)
        )
        sections.append(
            SectionDef(sid, _str(s, "title_ko", where), _str(s, "title_en", where), fields)
        )
    raw_attachments = t.get("attachments", [])
    if not isinstance(raw_attachments, list):
        raise FormFileError("'attachments' must be a list of tables")
    form = FormDef(
        code=code,
        ver=ver,
        title_ko=_str(t, "title_ko", "(top level)"),
        title_en=_str(t, "title_en", "(top level)"),
        law=_str(t, "law", "(top level)"),
        category=_str(t, "category", "(top level)", required=False),
        sections=tuple(sections),
        proxy=_proxy(t.get("proxy")),
        attachments=tuple(
            _attachment(a, f"[[attachments]] #{i + 1}") for i, a in enumerate(raw_attachments)
        ),
        fee_won=_int(t, "fee_won", "(top level)") or 0,
        fee_note_ko=_str(t, "fee_note_ko", "(top level)", required=False),
        processing_ko=_str(t, "processing_ko", "(top level)"),
        processing_en=_str(t, "processing_en", "(top level)"),
        processing_days=_int(t, "processing_days", "(top level)", required=False),
        title_field=_str(t, "title_field", "(top level)"),
        source_file=source_file,
        aliases=_strings(t, "aliases", "(top level)"),
        form_no=_str(t, "form_no", "(top level)", required=False),
        fee_basis=_str(t, "fee_basis", "(top level)", required=False),
        checked_on=_checked_on(t),
        unverified=_strings(t, "unverified", "(top level)"),
        family=_str(t, "family", "(top level)", required=False),
    )
    _check_references(form)
    return form


def _check_references(form: FormDef) -> None:
    ids = [f.id for f in form.fields]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise FormFileError(f"duplicate field id(s): {', '.join(duplicates)}")
    if form.title_field not in ids:
        raise FormFileError(f"title_field '{form.title_field}' is not a field of the form")
    for f in form.fields:
        if f.required_if and f.required_if.field not in ids:
            raise FormFileError(
                f"field {f.id}: required_if names unknown field {f.required_if.field}"
            )
    if form.proxy.date_field:
        date_field = form.get_field(form.proxy.date_field)
        if date_field is None or date_field.type != "date":
            raise FormFileError(
                f"[proxy]: date_field '{form.proxy.date_field}' must be a date field of the form"
            )
    for a in form.attachments:
        if a.when and a.when.field not in ids:
            raise FormFileError(
                f"attachment {a.name_ko}: 'when' names unknown field {a.when.field}"
            )


@dataclass
class Catalogue:
    """Every form the office takes, by code and version."""

    forms: list[FormDef]
    load_errors: list[str]

    @classmethod
    def load(cls, directory: Path | None = None) -> Catalogue:
        """Read every ``*.toml`` in ``directory`` (default: the shipped ``resources/forms``)."""
        if directory is None:
            from resources import FORMS_DIR  # data package; imported late to keep decoding pure

            directory = FORMS_DIR
        errors: list[str] = []
        if not directory.is_dir():
            return cls([], [f"{directory}: form folder not found"])
        families = load_families(directory / FAMILY_DIR, errors)
        return cls.from_files(sorted(directory.glob("*.toml")), errors, families)

    @classmethod
    def from_files(
        cls,
        paths: Iterable[Path],
        errors: list[str] | None = None,
        families: Mapping[str, dict[str, Any]] | None = None,
    ) -> Catalogue:
        errors = [] if errors is None else errors
        forms: dict[tuple[str, int], FormDef] = {}
        for path in paths:
            try:
                with path.open("rb") as fh:
                    data = tomllib.load(fh)
                form = parse_form(data, path.name, families)
            except (OSError, tomllib.TOMLDecodeError, FormFileError) as exc:
                errors.append(f"{path.name}: {exc}")
                continue
            key = (form.code, form.ver)
            if key in forms:
                errors.append(
                    f"{path.name}: {form.code} ver {form.ver} is already defined "
                    f"in {forms[key].source_file}"
                )
                continue
            forms[key] = form
        ordered = sorted(forms.values(), key=lambda f: (f.code, f.ver))
        return cls(ordered, errors)

    def get(self, code: str, ver: int | None = None) -> FormDef | None:
        """The form ``code`` at version ``ver`` (the newest version when ``ver`` is None)."""
        found = [f for f in self.forms if f.code == code and (ver is None or f.ver == ver)]
        return found[-1] if found else None

    def latest(self) -> list[FormDef]:
        """One entry per code, its newest version: what a clerk picks from."""
        newest: dict[str, FormDef] = {}
        for f in self.forms:
            newest[f.code] = f
        return list(newest.values())


def load_families(folder: Path, errors: list[str]) -> dict[str, dict[str, Any]]:
    """Every family file of ``folder`` by its name; a broken one is a load error."""
    families: dict[str, dict[str, Any]] = {}
    if not folder.is_dir():
        return families
    for path in sorted(folder.glob("*.toml")):
        try:
            with path.open("rb") as fh:
                family = parse_family(tomllib.load(fh))
        except (OSError, tomllib.TOMLDecodeError, FormFileError) as exc:
            errors.append(f"{FAMILY_DIR}/{path.name}: {exc}")
            continue
        families[family["family"]] = family
    return families


@functools.cache
def default_catalogue() -> Catalogue:
    """The shipped catalogue, loaded once per process."""
    return Catalogue.load()
