"""``docs/forms-list.md`` is generated from the catalogue and must be current."""

from __future__ import annotations

from pathlib import Path

from decoding.forms import default_catalogue
from decoding.forms.listing import render_markdown

PAGE = Path(__file__).resolve().parents[2] / "docs" / "forms-list.md"


def test_the_forms_page_is_current() -> None:
    assert PAGE.read_text("utf-8") == render_markdown(default_catalogue()), (
        "docs/forms-list.md is stale: python -m decoding.forms.listing > docs/forms-list.md"
    )


def test_the_page_names_every_form_and_its_sources() -> None:
    page = render_markdown(default_catalogue())
    for form in default_catalogue().latest():
        assert f"`{form.code}`" in page and form.form_no.replace("|", "\\|") in page
