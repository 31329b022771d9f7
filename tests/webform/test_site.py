"""``counter-app web build|serve|poster`` and the shared validation cases (no browser)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from counter_app.web import CONTENT_SECURITY_POLICY, serve_in_thread, webform_dir
from decoding.forms import default_catalogue
from decoding.forms.export import catalogue_json
from decoding.forms.shared_cases import all_cases
from resources import FORMS_DIR
from tests.records.support import KEY_PATH, PUB_PATH

NODE = shutil.which("node")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out.splitlines()[0])


def need_node() -> str:
    if NODE is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the JavaScript tests: node is missing")
        pytest.skip("node is needed")
    return NODE


def test_build_writes_app_catalogue_keys_and_font(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    code, res = run(capsys, "web", "build", "--out", str(out), "--office", "3210000=서초구청 민원실",
                    "--office", "3210001=반포1동 주민센터", "--key", str(PUB_PATH))
    assert code == 0 and res["ok"], res
    site = json.loads((out / "site.json").read_text("utf-8"))
    assert [o["code"] for o in site["offices"]] == ["3210000", "3210001"]
    assert site["offices"][1]["name"] == "반포1동 주민센터"
    from decoding.keys import kid_of, load_public_key

    assert site["keys"][0]["kid"] == kid_of(load_public_key(PUB_PATH)).hex() == res["kids"][0]
    assert "PRIVATE" not in (out / "site.json").read_text()
    assert site["lifetime_seconds"] == 2 * 24 * 3600
    exported = json.loads((out / "catalogue.json").read_text("utf-8"))
    assert exported.pop("codebook")["id"]  # payload version 2: tests/webform/test_payload_v2.py
    assert exported == json.loads(json.dumps(catalogue_json(default_catalogue()), ensure_ascii=False))
    for name in ("index.html", "app.js", "mw1.js", "validate.js", "qr.js", "style.css",
                 "vendor/fflate.js", "vendor/qrcode-generator.mjs", "fonts/PretendardGOV-Regular.woff2",
                 "fonts/OFL-PretendardGOV.txt"):
        assert (out / name).is_file(), name
    # the app is copied as it is: a form change never needs JavaScript
    assert (out / "app.js").read_bytes() == (webform_dir() / "app.js").read_bytes()


def test_export_carries_every_rule_the_counter_checks() -> None:
    exported = catalogue_json(default_catalogue())
    fields = {(f["code"], fd["id"]): fd for f in exported["forms"] for s in f["sections"] for fd in s["fields"]}
    scope = fields[("RESIDENT_CERT_ISSUE", "past_address_scope")]
    assert scope["required_if"] == {"field": "include_past_addresses", "equals": True}
    assert fields[("RESIDENT_CERT_ISSUE", "copies")] | {} == fields[("RESIDENT_CERT_ISSUE", "copies")]
    assert (fields[("RESIDENT_CERT_ISSUE", "copies")]["min"], fields[("RESIDENT_CERT_ISSUE", "copies")]["max"]) == (1, 20)
    assert fields[("RESIDENT_CERT_ISSUE", "purpose")]["max_length"] == 100
    assert fields[("RESIDENT_CERT_ISSUE", "subject_rrn")]["source"] == "applicant.rrn"
    keys = set(scope)
    assert {"type", "required", "required_if", "min", "max", "max_length", "choices", "allow_other", "source"} <= keys
    seal = next(f for f in exported["forms"] if f["code"] == "SEAL_CERT_ISSUE")
    assert seal["proxy"]["handwritten"] and seal["proxy"]["reason_ko"]
    basic = next(f for f in exported["forms"] if f["code"] == "BASIC_LIVELIHOOD_APPLICATION")
    lease = next(a for a in basic["attachments"] if a["when"])
    assert lease["when"] == {"field": "benefits", "equals": "주거급여"} and lease["condition_ko"]
    assert exported["limits"]["default_max_length"] == {"text": 200, "longtext": 4000}


def _changed_forms(tmp_path: Path, purpose_label: str) -> Path:
    """A copy of the form definitions in which RESIDENT_CERT_ISSUE's 용도 is labelled ``purpose_label``
    and the certificate kind has a fourth choice, 영문 등본."""
    forms = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, forms)
    path = forms / "RESIDENT_CERT_ISSUE.toml"
    path.write_text(path.read_text("utf-8").replace('label_ko = "용도"', f'label_ko = "{purpose_label}"')
                    .replace('choices = ["열람", "등본", "초본"]', 'choices = ["열람", "등본", "초본", "영문 등본"]'),
                    encoding="utf-8")
    return forms


def test_a_changed_form_definition_is_rebuilt_without_javascript(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    forms = _changed_forms(tmp_path, "사용할 곳")
    out = tmp_path / "site"
    code, res = run(capsys, "web", "build", "--out", str(out), "--office", "3210000", "--key",
                    str(PUB_PATH), "--forms", str(forms))
    assert code == 0, res
    exported = json.loads((out / "catalogue.json").read_text("utf-8"))
    form = next(f for f in exported["forms"] if f["code"] == "RESIDENT_CERT_ISSUE")
    flat = {fd["id"]: fd for s in form["sections"] for fd in s["fields"]}
    assert flat["purpose"]["label_ko"] == "사용할 곳"
    assert flat["cert_kind"]["choices"][-1] == "영문 등본"
    for name in ("app.js", "validate.js", "mw1.js", "qr.js", "index.html"):
        assert (out / name).read_bytes() == (webform_dir() / name).read_bytes()


def test_the_rebuilt_site_shows_the_changed_form(tmp_path: Path, capsys: pytest.CaptureFixture[str], phone: Any) -> None:
    forms = _changed_forms(tmp_path, "<b>사용할 곳</b>")
    out = tmp_path / "site"
    assert main(["web", "build", "--out", str(out), "--office", "3210000", "--key", str(PUB_PATH),
                 "--forms", str(forms)]) == 0
    server, url = serve_in_thread(out)
    page = phone.new_page()
    try:
        page.goto(url)
        page.get_by_label("주민등록표 열람·등본·초본 교부", exact=True).check()
        page.get_by_role("button", name="다음", exact=True).click()
        form = page.get_by_role("group", name="주민등록표 열람·등본·초본 교부", exact=True)
        form.get_by_role("group", name="신청 구분").get_by_label("영문 등본", exact=True).check()
        # catalogue text is text, never markup
        assert form.get_by_label("<b>사용할 곳</b>", exact=True).count() == 1
        assert page.locator("main b").count() == 0
    finally:
        page.close()
        server.shutdown()
        server.server_close()


def test_a_broken_form_or_key_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "keep.txt").write_text("the site that is online now")
    forms = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, forms)
    (forms / "BROKEN.toml").write_text('format = 1\ncode = "BROKEN"\nver = 1\n[[sections]]\n', "utf-8")
    args = ["web", "build", "--out", str(out), "--office", "3210000"]
    code, res = run(capsys, *args, "--key", str(PUB_PATH), "--forms", str(forms))
    assert code == 2 and not res["ok"] and "BROKEN.toml" in res["message"]
    code, res = run(capsys, *args, "--key", str(KEY_PATH))
    assert code == 2 and "private key" in res["message"]
    code, res = run(capsys, *args, "--key", str(tmp_path / "missing.pem"))
    assert code == 2 and "cannot read key file" in res["message"]
    bad = tmp_path / "bad.pem"
    bad.write_text("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
    code, res = run(capsys, *args, "--key", str(bad))
    assert code == 2
    code, res = run(capsys, "web", "build", "--out", str(out), "--office", "bad code!", "--key", str(PUB_PATH))
    assert code == 2 and "office" in res["message"]
    code, res = run(capsys, "web", "build", "--out", str(out / "keep.txt"), "--office", "3210000",
                    "--key", str(PUB_PATH))
    assert code == 2 and "not a folder" in res["message"]
    code, res = run(capsys, *args, "--key", str(PUB_PATH), "--key", str(PUB_PATH))
    assert code == 2 and "twice" in res["message"]
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_build_replaces_only_a_site_it_built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--out naming someone's folder (a home folder, the wrong path) deletes nothing."""
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "report.hwp").write_text("a year of work")
    args = ["--office", "3210000", "--key", str(PUB_PATH)]
    code, res = run(capsys, "web", "build", "--out", str(mine), *args)
    assert code == 2 and "not a site this program built" in res["message"]
    assert sorted(p.name for p in mine.iterdir()) == ["report.hwp"]
    site = tmp_path / "site"
    for _ in range(2):  # a new folder, then the site it built: replaced
        code, res = run(capsys, "web", "build", "--out", str(site), *args)
        assert code == 0, res
    (site / "notes.txt").write_text("added by hand")  # still its site: the mark is there
    code, res = run(capsys, "web", "build", "--out", str(site), *args)
    assert code == 0 and not (site / "notes.txt").exists(), res
    empty = tmp_path / "empty"
    empty.mkdir()
    code, res = run(capsys, "web", "build", "--out", str(empty), *args)
    assert code == 0 and (empty / "site.json").is_file(), res


def test_serve_gives_its_own_files_only(site_dir: Path) -> None:
    server, url = serve_in_thread(site_dir)
    try:
        with urllib.request.urlopen(url) as r:
            assert r.status == 200 and 'src="app.js"' in r.read().decode("utf-8")
            assert r.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
            assert r.headers["Referrer-Policy"] == "no-referrer"
        with urllib.request.urlopen(url + "app.js") as r:
            assert r.headers["Content-Type"].startswith("text/javascript")
        for path, method in (("vendor/", "GET"), ("", "POST"), ("../../etc/passwd", "GET")):
            req = urllib.request.Request(url + path, method=method, data=b"x" if method == "POST" else None)
            with pytest.raises(urllib.error.HTTPError) as err:
                urllib.request.urlopen(req)
            assert err.value.code in (404, 501)
            err.value.close()
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.shutdown()
        server.server_close()


def test_serve_sends_the_precompressed_copies(site_dir: Path) -> None:
    """``web build`` writes .gz (and .br) beside the text files; ``web serve`` sends the
    best one the browser accepts, and the plain file to one that accepts none."""
    import brotli

    app = (site_dir / "app.js").read_bytes()
    assert gzip.decompress((site_dir / "app.js.gz").read_bytes()) == app
    assert brotli.decompress((site_dir / "app.js.br").read_bytes()) == app
    assert not (site_dir / "fonts" / "PretendardGOV-Regular.woff2.gz").exists()  # already compressed
    server, url = serve_in_thread(site_dir)
    try:
        for accept, coding, body in (("gzip, deflate, br", "br", brotli.decompress),
                                     ("gzip", "gzip", gzip.decompress), ("br;q=0, gzip", "gzip", gzip.decompress),
                                     ("identity", None, bytes)):
            req = urllib.request.Request(url + "app.js", headers={"Accept-Encoding": accept})
            with urllib.request.urlopen(req) as r:
                assert r.headers["Content-Encoding"] == coding, accept
                assert r.headers["Content-Type"].startswith("text/javascript")
                assert body(r.read()) == app
        req = urllib.request.Request(url, headers={"Accept-Encoding": "br"})
        with urllib.request.urlopen(req) as r:
            assert r.headers["Content-Encoding"] == "br"
            assert r.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
            assert b'src="app.js"' in brotli.decompress(r.read())
    finally:
        server.shutdown()
        server.server_close()


def test_serve_refuses_a_folder_that_is_no_site_or_a_busy_port(
    tmp_path: Path, site_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, res = run(capsys, "web", "serve", str(tmp_path), "--port", "0")
    assert code == 2 and "web build" in res["message"]
    server, _url = serve_in_thread(site_dir)
    try:
        port = str(server.server_address[1])
        code, res = run(capsys, "web", "serve", str(site_dir), "--port", port)
        assert code == 2 and port in res["message"]
    finally:
        server.shutdown()
        server.server_close()


def test_poster_is_an_a4_pdf_whose_qr_opens_the_office_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import numpy as np
    import pypdfium2 as pdfium

    from decoding.qrimage import read_qr_texts

    out = tmp_path / "poster.pdf"
    code, res = run(capsys, "web", "poster", "--url", "https://minwon.example.go.kr/form/",
                    "--office", "3210000=서초구청 민원실", "--out", str(out))
    assert code == 0, res
    pdf = pdfium.PdfDocument(str(out))
    assert len(pdf) == 1
    page = pdf[0]
    w, h = page.get_size()
    assert abs(w - 595) < 2 and abs(h - 842) < 2  # A4 in points
    text = page.get_textpage().get_text_range()
    assert "서초구청 민원실" in text and "QR 코드" in text
    image = np.array(page.render(scale=1.5).to_pil())
    assert read_qr_texts(image) == ["https://minwon.example.go.kr/form/?office=3210000"]
    pdf.close()
    code, res = run(capsys, "web", "poster", "--url", "http://minwon.example.go.kr/", "--office",
                    "3210000", "--out", str(tmp_path / "p2.pdf"))
    assert code == 2 and "https" in res["message"] and not (tmp_path / "p2.pdf").exists()


def test_shared_validation_cases_pass_in_javascript(tmp_path: Path) -> None:
    """The JavaScript validators reach the Python validators' verdicts (same field, message)."""
    node = need_node()
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps(all_cases(), ensure_ascii=False), "utf-8")
    cat = tmp_path / "catalogue.json"
    cat.write_text(json.dumps(catalogue_json(default_catalogue()), ensure_ascii=False), "utf-8")
    env = {**os.environ, "MW_SHARED_CASES": str(cases), "MW_CATALOGUE": str(cat)}
    done = subprocess.run([node, "--test", str(webform_dir() / "tests")], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout


@pytest.mark.parametrize("flags", [[], ["--no-compression-stream"], ["--parts", "3"]])
def test_the_page_s_hpke_opens_with_cryptography(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str]
) -> None:
    """mw1.js (WebCrypto HPKE, deflate native or fflate) -> the counter's decoder."""
    node = need_node()
    from decoding.payload import make_document

    doc = make_document({"name": "김민원", "rrn": "9001011234568"},
                        [{"code": "RESIDENT_CERT_ISSUE", "ver": 1, "fields": {"copies": 2, "purpose": "제출용 😀"}}])
    src = tmp_path / "doc.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    done = subprocess.run([node, str(webform_dir() / "tests" / "encode.mjs"), str(PUB_PATH), str(src), *flags],
                          capture_output=True, text=True, timeout=60, check=True)
    texts = done.stdout.splitlines()
    assert len(texts) == (3 if "--parts" in flags else 1)
    qr = tmp_path / "qr.txt"
    qr.write_text("\n".join(texts) + "\n")
    code, res = run(capsys, "decode", "--key", str(KEY_PATH), str(qr))
    assert code == 0 and res["document"] == doc
