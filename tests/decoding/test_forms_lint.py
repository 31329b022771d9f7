"""The catalogue linter: the shipped catalogue passes, and each rule refuses what it names."""

from __future__ import annotations

import datetime
import json
import tomllib
from pathlib import Path

import pytest

from decoding.forms import Catalogue, default_catalogue, parse_form
from decoding.forms.lint import CATEGORIES, lint_catalogue, lint_form
from decoding.forms.model import FormDef
from resources import FORMS_DIR

GOOD = """
format = 1
code = "TEST_FORM"
ver = 1
title_ko = "시험 서식"
title_en = "Test form"
aliases = ["시험"]
law = "식품위생법 제37조제4항"
form_no = "시험법 시행규칙 별지 제1호서식"
fee_basis = "시험법 시행규칙 제3조 (1통 500원)"
checked_on = "2026-12-01"
category = "영업·위생"
fee_won = 500
processing_ko = "즉시"
processing_en = "Immediately"
title_field = "kind"

[proxy]
kind = "allowed"
source = "민원 처리에 관한 법률 시행령 제4조"

[[sections]]
id = "main"
title_ko = "내용"
title_en = "Content"
fields = [
  { id = "name", label_ko = "성명", label_en = "Name", type = "text", required = true, source = "applicant.name" },
  { id = "kind", label_ko = "영업의 종류", label_en = "Kind", type = "choice", required = true, choices = ["일반음식점", "휴게음식점"] },
]
"""
TODAY = datetime.date(2026, 12, 7)


def form_of(text: str) -> FormDef:
    return parse_form(tomllib.loads(text), "test.toml")


def rules(text: str) -> list[str]:
    return [p.rule for p in lint_form(form_of(text), TODAY)]


def test_the_shipped_catalogue_passes_the_linter() -> None:
    problems = lint_catalogue(default_catalogue())
    assert problems == [], "\n".join(p.to_json()["message"] for p in problems)


def test_every_shipped_form_carries_its_sources_in_the_export() -> None:
    from decoding.forms.export import catalogue_json

    for form in catalogue_json(default_catalogue())["forms"]:
        for key in ("law", "form_no", "fee_basis", "checked_on"):
            assert form[key].strip(), (form["code"], key)
        assert form["proxy"]["source"].strip(), form["code"]
        assert form["aliases"], form["code"]
        assert form["category"] in CATEGORIES, form["code"]


def test_a_good_form_has_no_problems() -> None:
    assert rules(GOOD) == []


@pytest.mark.parametrize(
    "line", ['form_no = "시험법 시행규칙 별지 제1호서식"', 'fee_basis = "시험법 시행규칙 제3조 (1통 500원)"',
             'checked_on = "2026-12-01"', 'source = "민원 처리에 관한 법률 시행령 제4조"'],
)
def test_a_missing_source_is_refused(line: str) -> None:
    assert "missing-source" in rules(GOOD.replace(line + "\n", ""))


def test_a_form_without_aliases_is_refused() -> None:
    assert rules(GOOD.replace('aliases = ["시험"]\n', "")) == ["missing-aliases"]


@pytest.mark.parametrize("category", ["가족관계등록", "경제", "교통", "농업", "행정", ""])
def test_an_unknown_category_is_refused(category: str) -> None:
    text = GOOD.replace('category = "영업·위생"', f'category = "{category}"')
    assert rules(text) == ["unknown-category"]


def test_a_fee_without_a_basis_is_refused() -> None:
    text = GOOD.replace('fee_basis = "시험법 시행규칙 제3조 (1통 500원)"', 'fee_basis = "500원"')
    assert rules(text) == ["fee-without-basis"]
    no_basis = GOOD.replace('fee_basis = "시험법 시행규칙 제3조 (1통 500원)"\n', "")
    assert sorted(rules(no_basis)) == ["fee-without-basis", "missing-source"]


@pytest.mark.parametrize("choice", ["단란주점", "유흥주점"])
def test_a_choice_of_another_procedure_is_refused(choice: str) -> None:
    text = GOOD.replace('"휴게음식점"]', f'"휴게음식점", "{choice}"]')
    problems = lint_form(form_of(text), TODAY)
    assert [p.rule for p in problems] == ["choice-of-other-procedure"]
    assert "영업허가" in problems[0].message_ko and choice in problems[0].message_ko


def test_a_check_date_in_the_future_is_refused() -> None:
    assert rules(GOOD.replace("2026-12-01", "2027-01-01")) == ["checked-in-future"]


def test_a_bad_check_date_does_not_load(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD.replace("2026-12-01", "2026-13-01"), "utf-8")
    (tmp_path / "b.toml").write_text(GOOD.replace("2026-12-01", "20261201"), "utf-8")
    problems = lint_catalogue(Catalogue.load(tmp_path), TODAY)
    assert [p.rule for p in problems] == ["load-error", "load-error"]
    assert all("checked_on" in p.message_ko for p in problems)


def test_the_cli_lint_refuses_a_bad_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import main

    (tmp_path / "a.toml").write_text(
        GOOD.replace('category = "영업·위생"', 'category = "경제"'), "utf-8"
    )
    assert main(["forms", "lint", str(tmp_path)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and [p["rule"] for p in report["problems"]] == ["unknown-category"]
    assert main(["forms", "lint", str(FORMS_DIR)]) == 0


def test_the_format_readme_example_loads_and_passes_the_linter() -> None:
    import re

    text = (FORMS_DIR / "README.md").read_text("utf-8")
    example = re.search(r"## Example\n\n```toml\n(.*?)```", text, re.S)
    assert example is not None
    assert rules(example.group(1)) == []
