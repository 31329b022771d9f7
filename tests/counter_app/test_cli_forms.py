"""``counter-app forms list|show|check|attorney`` and ``counter-app validate``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from decoding.forms import default_catalogue
from decoding.forms.examples import EXAMPLE_APPLICANT, EXAMPLE_DELEGATE, example_fields
from decoding.forms.export import form_json
from decoding.keys import load_public_key
from decoding.payload import encode, make_document

REPO = Path(__file__).resolve().parents[2]
NOW = 1764000000
FORMS = default_catalogue().forms


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    code, out, _ = run(capsys, *argv)
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1, out
    return code, json.loads(lines[0])


@pytest.fixture(scope="module")
def keys(vectors_dir: Path) -> tuple[Path, Any]:
    base = vectors_dir / "keys"
    return base / "test-p256-1.pem", load_public_key(base / "test-p256-1.pub.pem")


def payload_file(tmp_path: Path, keys: tuple[Path, Any], forms: list[dict[str, Any]],
                 delegate: dict[str, Any] | None = None, name: str = "qr.txt") -> Path:
    doc = make_document(dict(EXAMPLE_APPLICANT), forms, delegate, now=NOW - 60)
    path = tmp_path / name
    path.write_text("\n".join(encode(doc, keys[1])) + "\n", "utf-8")
    return path


# -- forms list / show / check --------------------------------------------------------


def test_forms_show_json_carries_the_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, form = run_json(capsys, "forms", "show", "RESIDENT_CARD_ISSUE", "--json")
    assert code == 0 and form["fee_won"] == 10000
    assert "제17조" in form["fee_basis"] and form["checked_on"] and form["form_no"]
    assert "주민등록증" in form["aliases"] and form["proxy"]["source"]
    code, out, _ = run(capsys, "forms", "show", "SEAL_CERT_ISSUE")
    assert code == 0 and "수수료 근거:" in out and "17세" in out
    code, out, _ = run(capsys, "forms", "show", "SEAL_REGISTRATION")
    assert code == 0 and "확인 못 함:" in out


def test_forms_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, forms = run_json(capsys, "forms", "list", "--json")
    assert code == 0
    assert isinstance(forms, list) and len(forms) >= 30
    codes = {f["code"] for f in forms}
    assert {"RESIDENT_CERT_ISSUE", "SEAL_CERT_ISSUE", "SIGNATURE_CONFIRM_ISSUE"} <= codes
    assert all(f["title_ko"] for f in forms)


def test_forms_list_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "forms", "list")
    assert code == 0
    assert "본인서명사실확인서" in out and "대리 불가" in out
    assert f"({len(FORMS)} forms)" in out


def test_forms_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, shown = run_json(capsys, "forms", "show", "RESIDENT_CERT_ISSUE", "--json")
    assert code == 0
    assert {"code", "ver", "title_ko", "title_en", "proxy", "attachments", "sections"} <= set(shown)
    assert shown["code"] == "RESIDENT_CERT_ISSUE" and shown["ver"] == 1
    assert shown["proxy"]["kind"] == "allowed"
    assert all({"name_ko", "required"} <= set(a) for a in shown["attachments"])
    fields = {f["id"]: f for s in shown["sections"] for f in s["fields"]}
    assert fields["subject_name"]["source"] == "applicant.name"
    cert_kind = fields["cert_kind"]
    assert (cert_kind["label_ko"], cert_kind["type"], cert_kind["required"], cert_kind["choices"]) == (
        "신청 구분", "choice", True, ["열람", "등본", "초본"])
    # the same object as the web build's catalogue export: one export of a form
    assert shown == form_json(default_catalogue().get("RESIDENT_CERT_ISSUE"))  # type: ignore[arg-type]


def test_forms_show_proxy_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    _, shown = run_json(capsys, "forms", "show", "SIGNATURE_CONFIRM_ISSUE", "--json")
    assert shown["proxy"]["kind"] == "forbidden"
    _, shown = run_json(capsys, "forms", "show", "MOVE_IN_REPORT", "--json")
    assert shown["proxy"]["kind"] == "restricted"


def test_forms_show_text_and_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "forms", "show", "SEAL_CERT_ISSUE")
    assert code == 0 and "별지 제13호서식" in out and "holder_rrn" in out
    code, result = run_json(capsys, "forms", "show", "NO_SUCH_FORM", "--json")
    assert code == 1 and result["error"] == "MW_FORM_UNKNOWN"


def test_forms_check_and_a_broken_forms_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, result = run_json(capsys, "forms", "check", str(REPO / "resources" / "forms"))
    assert code == 0 and result == {"ok": True, "forms": len(FORMS), "errors": []}
    good = (REPO / "resources" / "forms" / "LAND_REGISTER_ISSUE.toml").read_text("utf-8")
    (tmp_path / "LAND_REGISTER_ISSUE.toml").write_text(good, "utf-8")
    (tmp_path / "BROKEN.toml").write_text("format = 1\ncode = [", "utf-8")
    code, result = run_json(capsys, "forms", "check", str(tmp_path))
    assert code == 1 and result["forms"] == 1
    assert result["errors"][0].startswith("BROKEN.toml: ")
    code, out, err = run(capsys, "forms", "list", "--forms-dir", str(tmp_path))
    assert code == 1 and "LAND_REGISTER_ISSUE" in out and "BROKEN.toml" in err


# -- validate ---------------------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.code)
def test_validate_accepts_a_petition_built_from_each_form(
    form: Any, tmp_path: Path, keys: tuple[Path, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    qr = payload_file(tmp_path, keys, [{"code": form.code, "ver": form.ver,
                                        "fields": example_fields(form)}])
    code, result = run_json(capsys, "validate", "--key", str(keys[0]), "--now", str(NOW), str(qr))
    assert code == 0, result
    assert result["ok"] is True and result["warnings"] == []
    assert result["document"]["forms"][0]["code"] == form.code


def test_validate_rejects_a_bad_field_with_findings(
    tmp_path: Path, keys: tuple[Path, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    form = default_catalogue().get("MAIL_ORDER_REPORT")
    assert form is not None
    fields = dict(example_fields(form), business_reg_no="2208162518", goods=5)
    qr = payload_file(tmp_path, keys, [{"code": form.code, "ver": 1, "fields": fields}])
    code, result = run_json(capsys, "validate", "--key", str(keys[0]), "--now", str(NOW), str(qr))
    assert code == 1
    assert result["ok"] is False and result["error"] == "MW_FIELD_INVALID"
    assert "사업자등록번호" in result["message"]
    assert [(f["form"], f["field"], f["severity"]) for f in result["findings"]] == [
        ("MAIL_ORDER_REPORT", "business_reg_no", "error"),
        ("MAIL_ORDER_REPORT", "goods", "error"),
    ]
    assert all(set(f) == {"form", "field", "severity", "message"} for f in result["findings"])
    assert "details" not in result  # the findings are not repeated


def test_validate_unknown_form(
    tmp_path: Path, keys: tuple[Path, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    qr = payload_file(tmp_path, keys, [{"code": "NO_SUCH_FORM", "ver": 1, "fields": {}}])
    code, result = run_json(capsys, "validate", "--key", str(keys[0]), "--now", str(NOW), str(qr))
    assert code == 1 and result["error"] == "MW_FORM_UNKNOWN"
    assert result["findings"][0]["form"] == "NO_SUCH_FORM"
    assert result["findings"][0]["field"] is None


def test_validate_passes_on_codec_errors(
    tmp_path: Path, keys: tuple[Path, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    form = FORMS[0]
    qr = payload_file(tmp_path, keys, [{"code": form.code, "ver": form.ver, "fields": {}}])
    later = str(NOW + 30 * 24 * 3600)
    code, result = run_json(capsys, "validate", "--key", str(keys[0]), "--now", later, str(qr))
    assert code == 1 and result["error"] == "MW_EXPIRED" and result["findings"] == []
    assert result["details"]["now"] == int(later)


def test_validate_warnings_and_the_power_of_attorney(
    tmp_path: Path, keys: tuple[Path, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    form = default_catalogue().get("SEAL_CERT_ISSUE")
    assert form is not None
    fields = {**example_fields(form), "poa_date": "2025-11-01"}  # within 6 months of NOW
    qr = payload_file(tmp_path, keys, [{"code": form.code, "ver": 1, "fields": fields}],
                      EXAMPLE_DELEGATE)
    code, result = run_json(capsys, "validate", "--key", str(keys[0]), "--now", str(NOW), str(qr))
    assert code == 0 and result["ok"] is True
    assert [w["field"] for w in result["warnings"]] == ["delegate"]
    old = payload_file(tmp_path, keys, [{"code": form.code, "ver": 1,
                                         "fields": {**fields, "poa_date": "2025-05-01"}}],
                       EXAMPLE_DELEGATE, name="old.txt")
    code, result = run_json(capsys, "validate", "--key", str(keys[0]), "--now", str(NOW), str(old))
    assert code == 0 and [w["field"] for w in result["warnings"]] == ["delegate", "poa_date"]
    assert "유효기간(6개월)이 지났습니다" in result["warnings"][1]["message"]
    poa = result["power_of_attorney"]
    assert poa["tasks"] == [] and poa["refusals"][0]["kind"] == "handwritten"
    assert poa["principal"]["rrn"] == "900101-1******"


def test_forms_attorney_prints_the_power_of_attorney(
    tmp_path: Path, keys: tuple[Path, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    form = default_catalogue().get("RESIDENT_CERT_ISSUE")
    assert form is not None
    entry = {"code": form.code, "ver": 1, "fields": example_fields(form)}
    qr = payload_file(tmp_path, keys, [entry], EXAMPLE_DELEGATE)
    args = ["forms", "attorney", "--key", str(keys[0]), "--now", str(NOW), str(qr)]
    code, out, _ = run(capsys, *args)
    assert code == 0 and "위 임 장" in out and "이민수" in out and "900101-1******" in out
    code, out, _ = run(capsys, *args, "--html")
    assert code == 0 and out.startswith("<html>")
    refused = payload_file(
        tmp_path, keys,
        [{"code": "SIGNATURE_CONFIRM_ISSUE", "ver": 1,
          "fields": example_fields(default_catalogue().get("SIGNATURE_CONFIRM_ISSUE"))}],  # type: ignore[arg-type]
        EXAMPLE_DELEGATE, "refused.txt",
    )
    code, out, err = run(capsys, "forms", "attorney", "--key", str(keys[0]), "--now", str(NOW),
                         str(refused))
    assert code == 1 and "위임할 수 없는 민원" in out and "대리 신청을 할 수 없습니다" in err
    solo = payload_file(tmp_path, keys, [entry], None, "solo.txt")
    code, out, _ = run(capsys, "forms", "attorney", "--key", str(keys[0]), "--now", str(NOW),
                       str(solo))
    assert code == 1 and "not a proxy application" in out


def test_validate_in_a_real_process_from_stdin(tmp_path: Path, keys: tuple[Path, Any]) -> None:
    form = default_catalogue().get("FOOD_BUSINESS_REPORT")
    assert form is not None
    fields = dict(example_fields(form), opening_date="2025-02-30")
    qr = payload_file(tmp_path, keys, [{"code": form.code, "ver": 1, "fields": fields}])
    proc = subprocess.run(
        [sys.executable, "-m", "app", "validate", "--key", str(keys[0]),
         "--now", str(NOW), "-"],
        input=qr.read_text("utf-8"), capture_output=True, text=True, cwd=REPO, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.returncode == 1, proc.stderr
    result = json.loads(proc.stdout)
    assert result["error"] == "MW_FIELD_INVALID"
    assert [(f["field"], f["severity"]) for f in result["findings"]] == [("opening_date", "error")]
