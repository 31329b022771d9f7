"""The form catalogue's data model: what one petition form definition holds.

A :class:`FormDef` is built from one file in ``resources/forms/`` by
:mod:`decoding.forms.catalogue`; everything here is immutable plain data so
the window, the CLI and the case database can share one loaded catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# The field types of the definition format (resources/forms/README.md).
FIELD_TYPES: tuple[str, ...] = (
    "text",
    "longtext",
    "integer",
    "decimal",
    "money",
    "boolean",
    "date",
    "choice",
    "multichoice",
    "phone",
    "email",
    "postcode",
    "address",
    "rrn",
    "frn",
    "brn",
    "crn",
    "mail_order_no",
)

# Which member of a person (applicant or delegate) a field may be filled from.
PERSON_MEMBERS: tuple[str, ...] = (
    "name",
    "rrn",
    "birth",
    "phone",
    "email",
    "address",
    "relation",
)

ProxyKind = Literal["allowed", "restricted", "forbidden"]
PROXY_KINDS: tuple[str, ...] = ("allowed", "restricted", "forbidden")


@dataclass(frozen=True)
class Condition:
    """``field`` of the same form has the value ``equals`` (for lists: contains it)."""

    field: str
    equals: Any

    def holds(self, fields: dict[str, Any]) -> bool:
        value = fields.get(self.field)
        if isinstance(value, list):
            return self.equals in value
        return bool(value == self.equals) and type(value) is type(self.equals)


@dataclass(frozen=True)
class FieldDef:
    """One field of a form. ``source`` is ``applicant.<member>`` / ``delegate.<member>`` or None."""

    id: str
    label_ko: str
    label_en: str
    type: str
    required: bool = False
    choices: tuple[str, ...] = ()
    allow_other: bool = False
    help_ko: str = ""
    help_en: str = ""
    source: str | None = None
    required_if: Condition | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    section: str = ""

    @property
    def source_person(self) -> str | None:
        """``applicant`` or ``delegate`` for an autofilled field."""
        return self.source.split(".", 1)[0] if self.source else None

    @property
    def source_member(self) -> str | None:
        return self.source.split(".", 1)[1] if self.source else None


@dataclass(frozen=True)
class SectionDef:
    id: str
    title_ko: str
    title_en: str
    fields: tuple[FieldDef, ...]


@dataclass(frozen=True)
class ProxyRule:
    """Whether someone else may apply for the principal (위임 신청).

    ``needs_*`` says what a delegate must bring (restricted); ``reason_*`` why a
    proxy is refused (forbidden) or why the QR-made power of attorney cannot be
    used (``handwritten``: the law demands the principal's own handwriting).
    """

    kind: ProxyKind
    needs_ko: str = ""
    needs_en: str = ""
    reason_ko: str = ""
    reason_en: str = ""
    handwritten: bool = False
    source: str = ""
    # How long a power of attorney stays valid (months from the day of delegation), and
    # the date field holding that day: decoding.forms.delegation checks it.
    valid_months: int | None = None
    date_field: str = ""


@dataclass(frozen=True)
class Attachment:
    """A supporting document (구비서류): always required, or only when ``condition_*`` applies."""

    name_ko: str
    name_en: str
    required: bool
    condition_ko: str = ""
    condition_en: str = ""
    when: Condition | None = None


@dataclass(frozen=True)
class FormDef:
    """One petition form (민원 서식) of the catalogue, from one definition file."""

    code: str
    ver: int
    title_ko: str
    title_en: str
    law: str
    sections: tuple[SectionDef, ...]
    proxy: ProxyRule
    attachments: tuple[Attachment, ...]
    fee_won: int
    fee_note_ko: str
    processing_ko: str
    processing_en: str
    processing_days: int | None
    title_field: str
    category: str = ""
    source_file: str = ""
    fields: tuple[FieldDef, ...] = field(default=())
    # Where the definition comes from (resources/forms/README.md, "Sources"): the
    # words citizens search with, the official form, the rule behind the fee, the day
    # the entry was last checked against the law text, and what could not be checked.
    aliases: tuple[str, ...] = ()
    form_no: str = ""
    fee_basis: str = ""
    checked_on: str = ""
    unverified: tuple[str, ...] = ()
    family: str = ""

    def __post_init__(self) -> None:
        if not self.fields:
            flat = tuple(f for s in self.sections for f in s.fields)
            object.__setattr__(self, "fields", flat)

    def get_field(self, field_id: str) -> FieldDef | None:
        for f in self.fields:
            if f.id == field_id:
                return f
        return None

    def attachments_for(self, fields: dict[str, Any]) -> list[Attachment]:
        """The supporting documents this application needs, given its field values."""
        return [a for a in self.attachments if a.required or (a.when and a.when.holds(fields))]
