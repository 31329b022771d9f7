"""Loading the catalogue: every shipped file, and broken files reported by name."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from decoding.forms import FIELD_TYPES, Catalogue, FormFileError, default_catalogue, parse_form
from decoding.forms.catalogue import load_families
from decoding.forms.export import form_json
from resources import FORMS_DIR

SHIPPED = sorted(FORMS_DIR.glob("*.toml"))
FAMILIES = load_families(FORMS_DIR / "families", [])

MINIMAL = """
format = 1
code = "TEST_FORM"
ver = 1
title_ko = "시험 서식"
title_en = "Test form"
law = "시험법 제1조"
fee_won = 0
processing_ko = "즉시"
processing_en = "Immediately"
title_field = "purpose"

[proxy]
kind = "allowed"

[[sections]]
id = "main"
title_ko = "내용"
title_en = "Content"
fields = [
  { id = "name", label_ko = "성명", label_en = "Name", type = "text", required = true, source = "applicant.name" },
  { id = "purpose", label_ko = "용도", label_en = "Purpose", type = "text", required = true },
]
"""


def test_the_shipped_catalogue_loads_without_errors() -> None:
    catalogue = Catalogue.load()
    assert catalogue.load_errors == []
    assert len(catalogue.forms) == len(SHIPPED) >= 30


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_each_form_file(path: Path) -> None:
    with path.open("rb") as fh:
        form = parse_form(tomllib.load(fh), path.name, FAMILIES)
    assert path.name.split(".")[0] == form.code, "one file per form, named after its code"
    assert form.title_ko and form.title_en and form.law
    assert form.get_field(form.title_field) is not None
    assert all(f.type in FIELD_TYPES for f in form.fields)
    assert any(f.source == "applicant.name" for f in form.fields), "the applicant is named"
    if form.proxy.kind == "forbidden" or form.proxy.handwritten:
        assert form.proxy.reason_ko and form.proxy.reason_en
    json.dumps(form_json(form), ensure_ascii=False)  # the CLI and the web build can print it


REQUIRED_FORMS = {
    "RESIDENT_CERT_ISSUE": "주민등록표",
    "MOVE_IN_REPORT": "전입신고",
    "FOOD_BUSINESS_REPORT": "식품 영업신고",
    "MAIL_ORDER_REPORT": "통신판매업",
    "INFO_DISCLOSURE_REQUEST": "정보공개",
    "FAMILY_CERT_ISSUE": "가족관계",
    "BUILDING_REGISTER_ISSUE": "건축물대장",
    "LAND_REGISTER_ISSUE": "토지(임야)대장",
    "SEAL_CERT_ISSUE": "인감증명서",
    "SIGNATURE_CONFIRM_ISSUE": "본인서명사실확인서",
}


@pytest.mark.parametrize(("code", "title"), REQUIRED_FORMS.items())
def test_the_issue_forms_are_there(code: str, title: str) -> None:
    form = default_catalogue().get(code, 1)
    assert form is not None and title in form.title_ko


def test_seal_certificate_needs_a_handwritten_attorney() -> None:
    form = default_catalogue().get("SEAL_CERT_ISSUE")
    assert form is not None and form.proxy.handwritten
    assert "별지 제13호" in form.proxy.reason_ko


def test_signature_certificate_forbids_proxies() -> None:
    form = default_catalogue().get("SIGNATURE_CONFIRM_ISSUE")
    assert form is not None and form.proxy.kind == "forbidden"


def test_vector_forms_have_the_vector_field_ids(vectors_dir: Path) -> None:
    catalogue = default_catalogue()
    for case in json.loads((vectors_dir / "basic.json").read_text("utf-8")):
        document = case["expect"].get("document")
        for entry in (document or {}).get("forms", []):
            form = catalogue.get(entry["code"], entry["ver"])
            assert form is not None, entry["code"]
            ids = {f.id for f in form.fields}
            assert set(entry["fields"]) <= ids, (entry["code"], set(entry["fields"]) - ids)


def test_get_picks_the_newest_version_by_default(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(MINIMAL, "utf-8")
    (tmp_path / "b.toml").write_text(MINIMAL.replace("ver = 1", "ver = 2"), "utf-8")
    catalogue = Catalogue.load(tmp_path)
    assert catalogue.load_errors == []
    assert catalogue.get("TEST_FORM").ver == 2  # type: ignore[union-attr]
    assert catalogue.get("TEST_FORM", 1).ver == 1  # type: ignore[union-attr]
    assert catalogue.get("TEST_FORM", 3) is None
    assert [f.ver for f in catalogue.latest()] == [2]


BROKEN = {
    "syntax.toml": ("code = ", "Invalid"),
    "badtype.toml": (
        MINIMAL.replace('type = "text", required = true }', 'type = "txt" }'),
        "unknown type 'txt'",
    ),
    "typo.toml": (MINIMAL.replace("fee_won", "fee_wno"), "unknown key(s) fee_wno"),
    "source.toml": (
        MINIMAL.replace('source = "applicant.name"', 'source = "applicant.nmae"'),
        "'source' must be",
    ),
    "sourcetype.toml": (
        MINIMAL.replace(
            'type = "text", required = true, source', 'type = "date", required = true, source'
        ),
        "cannot be of type date",
    ),
    "relation.toml": (
        MINIMAL.replace('source = "applicant.name"', 'source = "applicant.relation"'),
        "only the delegate has a relation",
    ),
    "title.toml": (
        MINIMAL.replace('title_field = "purpose"', 'title_field = "nothing"'),
        "title_field 'nothing'",
    ),
    "proxy.toml": (MINIMAL.replace('kind = "allowed"', 'kind = "forbidden"'), "reason_ko"),
    "choice.toml": (
        MINIMAL.replace(
            'id = "purpose", label_ko = "용도", label_en = "Purpose", type = "text"',
            'id = "purpose", label_ko = "용도", label_en = "Purpose", type = "choice"',
        ),
        "needs 'choices'",
    ),
    "dup.toml": (MINIMAL.replace('id = "purpose"', 'id = "name"'), "duplicate field id"),
    "format.toml": (MINIMAL.replace("format = 1", "format = 2"), "'format' must be 1"),
}


def test_broken_files_are_named_and_the_rest_still_load(tmp_path: Path) -> None:
    for name, (text, _) in BROKEN.items():
        (tmp_path / name).write_text(text, "utf-8")
    (tmp_path / "good.toml").write_text(MINIMAL, "utf-8")
    (tmp_path / "README.md").write_text("not a form", "utf-8")
    catalogue = Catalogue.load(tmp_path)
    assert [f.code for f in catalogue.forms] == ["TEST_FORM"]
    assert len(catalogue.load_errors) == len(BROKEN)
    for name, (_, problem) in BROKEN.items():
        matching = [e for e in catalogue.load_errors if e.startswith(f"{name}: ")]
        assert len(matching) == 1, name
        assert problem in matching[0], matching[0]


def test_a_second_file_for_the_same_code_and_version_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(MINIMAL, "utf-8")
    (tmp_path / "b.toml").write_text(MINIMAL, "utf-8")
    catalogue = Catalogue.load(tmp_path)
    assert len(catalogue.forms) == 1
    assert catalogue.load_errors == ["b.toml: TEST_FORM ver 1 is already defined in a.toml"]


def test_missing_folder_is_a_load_error(tmp_path: Path) -> None:
    catalogue = Catalogue.load(tmp_path / "nowhere")
    assert catalogue.forms == [] and "not found" in catalogue.load_errors[0]


def test_a_family_member_needs_its_family(tmp_path: Path) -> None:
    member = MINIMAL.replace('title_field = "purpose"', 'title_field = "purpose"\nfamily = "nope"')
    (tmp_path / "a.toml").write_text(member, "utf-8")
    (tmp_path / "families").mkdir()
    (tmp_path / "families" / "bad.toml").write_text('family = "bad"\nzzz = 1\n', "utf-8")
    catalogue = Catalogue.load(tmp_path)
    assert catalogue.forms == []
    assert any("family 'nope' is not defined" in e for e in catalogue.load_errors)
    assert any(e.startswith("families/bad.toml: ") and "zzz" in e for e in catalogue.load_errors)


def test_parse_form_raises_form_file_error() -> None:
    with pytest.raises(FormFileError, match="'code' is missing"):
        parse_form({"format": 1})


def test_a_validity_period_needs_a_date_field() -> None:
    proxy = '[proxy]\nkind = "allowed"\nvalid_months = 6\n'
    with pytest.raises(FormFileError, match="valid_months and date_field go together"):
        parse_form(tomllib.loads(MINIMAL.replace('[proxy]\nkind = "allowed"\n', proxy)))
    both = proxy + 'date_field = "purpose"\n'
    with pytest.raises(FormFileError, match="must be a date field"):
        parse_form(tomllib.loads(MINIMAL.replace('[proxy]\nkind = "allowed"\n', both)))
