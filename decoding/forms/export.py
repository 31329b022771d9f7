"""The form catalogue as one JSON object for the citizen's web form (``webform/``).

The web form renders and checks petitions from this export alone, so it
carries every rule the counter checks (:mod:`decoding.forms.validation`):
field types, ``required``, ``required_if``, ``min``/``max``, ``max_length``
(with the default limits of :data:`DEFAULT_MAX_LENGTH`), ``choices``,
``allow_other``, autofill ``source``, the proxy rule and the attachments with
their conditions, and the form's sources (``law``, ``form_no``, ``fee_basis``,
``checked_on``, ``unverified``, the proxy rule's ``source``) and ``aliases`` (the
words citizens search with). A petition the web form accepts is then never refused at
the counter for a field reason; the shared validation cases
(:mod:`decoding.forms.shared_cases`) hold both sides to that.
"""

from __future__ import annotations

from typing import Any

from decoding.document import MAX_FORMS, MAX_NAME
from decoding.forms.catalogue import FORMAT_VERSION, Catalogue
from decoding.forms.model import Condition, FieldDef, FormDef
from decoding.forms.validators import DEFAULT_MAX_LENGTH

EXPORT_VERSION = 1


def _condition(c: Condition | None) -> dict[str, Any] | None:
    return None if c is None else {"field": c.field, "equals": c.equals}


def field_json(f: FieldDef) -> dict[str, Any]:
    """One field with every rule the counter checks."""
    return {
        "id": f.id,
        "section": f.section,
        "label_ko": f.label_ko,
        "label_en": f.label_en,
        "type": f.type,
        "required": f.required,
        "required_if": _condition(f.required_if),
        "choices": list(f.choices),
        "allow_other": f.allow_other,
        "min": f.min,
        "max": f.max,
        "max_length": f.max_length,
        "source": f.source,
        "help_ko": f.help_ko,
        "help_en": f.help_en,
    }


def form_json(form: FormDef) -> dict[str, Any]:
    """One form definition, complete."""
    return {
        "code": form.code,
        "ver": form.ver,
        "title_ko": form.title_ko,
        "title_en": form.title_en,
        "aliases": list(form.aliases),
        "law": form.law,
        "form_no": form.form_no,
        "fee_basis": form.fee_basis,
        "checked_on": form.checked_on,
        "unverified": list(form.unverified),
        "family": form.family,
        "category": form.category,
        "fee_won": form.fee_won,
        "fee_note_ko": form.fee_note_ko,
        "processing_ko": form.processing_ko,
        "processing_en": form.processing_en,
        "processing_days": form.processing_days,
        "title_field": form.title_field,
        "proxy": {
            "kind": form.proxy.kind,
            "needs_ko": form.proxy.needs_ko,
            "needs_en": form.proxy.needs_en,
            "reason_ko": form.proxy.reason_ko,
            "reason_en": form.proxy.reason_en,
            "handwritten": form.proxy.handwritten,
            "source": form.proxy.source,
            "valid_months": form.proxy.valid_months,
            "date_field": form.proxy.date_field or None,
        },
        "sections": [
            {
                "id": s.id,
                "title_ko": s.title_ko,
                "title_en": s.title_en,
                "fields": [field_json(f) for f in s.fields],
            }
            for s in form.sections
        ],
        "attachments": [
            {
                "name_ko": a.name_ko,
                "name_en": a.name_en,
                "required": a.required,
                "condition_ko": a.condition_ko,
                "condition_en": a.condition_en,
                "when": _condition(a.when),
            }
            for a in form.attachments
        ],
    }


def catalogue_json(catalogue: Catalogue) -> dict[str, Any]:
    """Every form of the catalogue (every version: a site may outlive a form change)."""
    return {
        "export_version": EXPORT_VERSION,
        "format": FORMAT_VERSION,
        "limits": {
            "max_forms": MAX_FORMS,
            "default_max_length": dict(DEFAULT_MAX_LENGTH),
            "name_max_length": MAX_NAME,
        },
        "forms": [form_json(f) for f in catalogue.forms],
    }
