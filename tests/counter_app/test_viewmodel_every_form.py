"""Every form of the catalogue at the counter: the petition view a clerk reads shows each
field of a valid petition with its value (RRNs masked), the proxy note and the attachment
checklist, whatever the form. A new definition file is covered without new test code."""

from __future__ import annotations

from typing import Any

import pytest

from counter_app.viewmodel import build_form_view
from decoding.document import parse_document
from decoding.forms import check_document, default_catalogue
from decoding.forms.examples import EXAMPLE_APPLICANT, EXAMPLE_DELEGATE, example_fields
from decoding.payload import make_document

FORMS = default_catalogue().latest()


def view(form: Any, delegate: bool = False) -> Any:
    fields = example_fields(form)
    if form.proxy.date_field:
        fields.pop(form.proxy.date_field, None)  # judged on the QR's day: not this test's point
    raw = make_document(
        dict(EXAMPLE_APPLICANT),
        [{"code": form.code, "ver": form.ver, "fields": fields}],
        dict(EXAMPLE_DELEGATE) if delegate else None,
    )
    doc = parse_document(raw)
    if form.proxy.kind == "forbidden" and delegate:
        return None
    findings = check_document(doc, default_catalogue())
    return build_form_view(form, doc, doc.forms[0], findings, [], {})


@pytest.mark.parametrize("form", FORMS, ids=[f.code for f in FORMS])
def test_the_counter_shows_every_field_of_a_valid_petition(form: Any) -> None:
    shown = view(form)
    assert [r.id for s in shown.sections for r in s.rows] == [f.id for f in form.fields]
    for row in (r for s in shown.sections for r in s.rows):
        if row.autofilled and (form.get_field(row.id).source or "").startswith("delegate."):
            continue  # a delegate's fields are empty without a delegate
        if row.id == form.proxy.date_field:
            continue
        assert row.shown not in ("", "—") and "None" not in row.shown, (row.id, row.shown)
        assert row.severity != "error", (row.id, row.findings)
        if row.type in ("rrn", "frn"):
            assert "******" in row.shown, "RRNs are masked on the counter's screen"
    required = [a.name_ko for a in form.attachments if a.required]
    assert set(required) <= {a.name_ko for a in shown.attachments}


@pytest.mark.parametrize("form", FORMS, ids=[f.code for f in FORMS])
def test_the_counter_shows_the_proxy_rule_with_a_delegate(form: Any) -> None:
    shown = view(form, delegate=True)
    if shown is None:
        return  # refused with the form's reason: tests/decoding/test_forms_every_form.py
    assert shown.attachments[0].name_ko == "위임장"
    if form.proxy.kind == "restricted":
        assert shown.proxy_note_ko == form.proxy.needs_ko
