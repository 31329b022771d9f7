"""The petition form catalogue and field validation.

Form definitions are data (``resources/forms/*.toml``, format in that
folder's README); this package loads them (:class:`Catalogue`), checks a
petition's values against them (:func:`validate_document`,
:func:`check_document`, :func:`validate_fields`), fills autofilled fields
(:func:`resolved_fields`) and derives the power of attorney
(:func:`power_of_attorney`).
"""

from __future__ import annotations

from decoding.forms.attorney import (
    DelegatedTask,
    PowerOfAttorney,
    ProxyRefusal,
    power_of_attorney,
    render_html,
    render_text,
)
from decoding.forms.catalogue import Catalogue, FormFileError, default_catalogue, parse_form
from decoding.forms.display import case_title, display_value
from decoding.forms.identifiers import Problem
from decoding.forms.model import (
    FIELD_TYPES,
    Attachment,
    Condition,
    FieldDef,
    FormDef,
    ProxyRule,
    SectionDef,
)
from decoding.forms.validation import (
    Finding,
    check_document,
    resolved_fields,
    validate_document,
    validate_fields,
)
from decoding.forms.validators import validate_value

__all__ = [
    "FIELD_TYPES",
    "Attachment",
    "Catalogue",
    "Condition",
    "DelegatedTask",
    "FieldDef",
    "Finding",
    "FormDef",
    "FormFileError",
    "PowerOfAttorney",
    "Problem",
    "ProxyRefusal",
    "ProxyRule",
    "SectionDef",
    "case_title",
    "check_document",
    "default_catalogue",
    "display_value",
    "parse_form",
    "power_of_attorney",
    "render_html",
    "render_text",
    "resolved_fields",
    "validate_document",
    "validate_fields",
    "validate_value",
]
