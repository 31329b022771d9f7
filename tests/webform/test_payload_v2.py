"""Payload version 2 between the page's encoder (webform/mw1.js, compact.js under node) and the
counter's reader: a generated petition of every form, Python -> node -> Python, identical back."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from counter_app.web import build_site, webform_dir
from decoding.base45 import b45decode
from decoding.codebook import newest_codebook, site_codebook
from decoding.forms import default_catalogue
from decoding.forms.examples import EXAMPLE_APPLICANT, EXAMPLE_DELEGATE, example_fields
from decoding.keys import KeyRing, load_private_key
from decoding.payload import decode, make_document
from tests.records.support import KEY_PATH, PUB_PATH
from tests.webform.test_site import need_node


def _documents() -> list[dict[str, Any]]:
    """Every form with every own field, in turn for oneself, by proxy, with the fewest members,
    and one of everything at once (ten forms: several parts)."""
    docs = []
    forms = default_catalogue().forms
    for i, form in enumerate(forms):
        entry = {"code": form.code, "ver": form.ver, "fields": example_fields(form)}
        applicant = copy.deepcopy(EXAMPLE_APPLICANT) if i % 3 else {"name": "김"}
        delegate = copy.deepcopy(EXAMPLE_DELEGATE) if i % 2 else None
        docs.append(make_document(applicant, [entry], delegate, office="3210000"))
    many = [{"code": f.code, "ver": f.ver, "fields": example_fields(f)} for f in forms[:10]]
    docs.append(make_document(copy.deepcopy(EXAMPLE_APPLICANT), many))
    odd = make_document({"name": "홍길동", "nickname": "길동이"},
                        [{"code": "NO_SUCH_FORM", "ver": 1, "fields": {"a": {"b": [1, None]}}},
                         {"code": "RESIDENT_CERT_ISSUE", "ver": 1,
                          "fields": {"copies": 2.5, "purpose": "제출용 😀", "unknown": True}}])
    odd["future_member"] = {"x": 1}
    docs.append(odd)
    return docs


def test_every_form_python_to_the_page_s_encoder_to_the_reader(tmp_path: Path) -> None:
    node = need_node()
    docs = _documents()
    book = tmp_path / "codebook.json"
    book.write_text(json.dumps(site_codebook(newest_codebook()), ensure_ascii=False), "utf-8")
    ring = KeyRing([load_private_key(KEY_PATH)])
    script = webform_dir() / "tests" / "encode.mjs"
    for i, doc in enumerate(docs):
        src = tmp_path / f"doc{i}.json"
        src.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
        parts = ["--parts", "3"] if len(doc["forms"]) == 10 else []
        done = subprocess.run(
            [node, str(script), str(PUB_PATH), str(src), "--codebook", str(book), *parts],
            capture_output=True, text=True, timeout=60, check=True,
        )
        texts = done.stdout.splitlines()
        assert len(texts) == (3 if parts else 1)
        if not parts:
            assert b45decode(texts[0][4:])[0] == 2  # the envelope's version byte
        assert decode(texts, ring).raw == doc, doc["forms"][0]["code"]


def test_the_site_gives_the_page_the_recorded_catalogue_version(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = build_site(out, ["3210000"], [PUB_PATH])
    assert result["payload_version"] == 2 and result["catalogue_version"] == newest_codebook().number
    exported = json.loads((out / "catalogue.json").read_text("utf-8"))
    assert exported["codebook"] == json.loads(
        json.dumps(site_codebook(newest_codebook()), ensure_ascii=False)
    )
    assert (out / "compact.js").read_bytes() == (webform_dir() / "compact.js").read_bytes()


def test_a_site_of_an_unrecorded_catalogue_makes_version_1(tmp_path: Path) -> None:
    """Forms a counter could not decode in version 2 (not in its archive): the page makes v1."""
    from resources import FORMS_DIR

    forms = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, forms)
    (forms / "SEAL_CERT_ISSUE.toml").unlink()
    result = build_site(tmp_path / "site", ["3210000"], [PUB_PATH], forms_dir=forms)
    assert result["payload_version"] == 1 and result["catalogue_version"] is None
    exported = json.loads((tmp_path / "site" / "catalogue.json").read_text("utf-8"))
    assert "codebook" not in exported


@pytest.mark.parametrize("flags", [[], ["--parts", "3"]])
def test_a_version_1_qr_from_before_the_change_still_decodes(tmp_path: Path, flags: list[str]) -> None:
    """The page without a codebook (a site built before version 2) makes version 1 QRs."""
    node = need_node()
    doc = _documents()[0]
    src = tmp_path / "doc.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    done = subprocess.run([node, str(webform_dir() / "tests" / "encode.mjs"), str(PUB_PATH), str(src),
                           *flags], capture_output=True, text=True, timeout=60, check=True)
    texts = done.stdout.splitlines()
    assert len(texts) == (3 if flags else 1)
    assert decode(texts, KeyRing([load_private_key(KEY_PATH)])).raw == doc


def test_every_form_encoded_in_chromium_by_the_page_s_modules(phone: Any, site_url: str) -> None:
    """Browser -> Python: the served page's own modules (mw1.js, compact.js, the site's
    codebook and key) encode a generated petition of every form in Chromium."""
    docs = _documents()
    page = phone.new_page()
    try:
        page.goto(site_url)
        texts = page.evaluate(
            """async (docs) => {
              const m = await import('/mw1.js');
              const [site, cat] = await Promise.all(['site.json', 'catalogue.json'].map(
                (f) => fetch(f).then((r) => r.json())));
              const recipient = await m.importRecipient(m.pemToDer(site.keys[0].pem));
              const out = [];
              for (const doc of docs) out.push(await m.encodeDocument(doc, recipient, null, 970, cat.codebook));
              return out;
            }""",
            docs,
        )
    finally:
        page.close()
    ring = KeyRing([load_private_key(KEY_PATH)])
    assert len(texts) == len(docs)
    for doc, made in zip(docs, texts, strict=True):
        assert _version(made) == 2
        assert decode(made, ring).raw == doc, doc["forms"][0]["code"]


def _version(texts: list[str]) -> int:
    if texts[0].startswith("MW1:"):
        return b45decode(texts[0][4:])[0]
    return next(raw[7] for raw in (b45decode(t[4:]) for t in texts) if raw[5] == 1)
