"""Catalogue versions (decoding/codebook.py): recorded, never edited, and older QRs still decode."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from decoding.codebook import (
    Codebook,
    CodebookError,
    archive_dir,
    archive_text,
    current_codebook,
    load_archive,
    main,
    newest_codebook,
    record,
)
from decoding.errors import ErrorCode, PayloadError
from decoding.forms.catalogue import Catalogue
from decoding.keys import KeyRing
from decoding.payload import decode, encode, make_document
from resources import FORMS_DIR

NOW = 1_764_000_000
RECORD = "python -m decoding.codebook record"


def test_the_shipped_catalogue_is_the_newest_recorded_version() -> None:
    current = current_codebook()
    newest = newest_codebook()
    assert current.number and current.id == newest.id, (
        f"the form catalogue changed since catalogue version {newest.number}: "
        f"record it with `{RECORD}` (and commit resources/catalogue-versions/)"
    )


def test_archive_files_are_exactly_as_recorded() -> None:
    books = load_archive()
    assert [b.number for b in books] == list(range(1, len(books) + 1))
    for book in books:
        path = archive_dir() / f"{book.number:04d}.json"
        assert path.read_text("utf-8") == archive_text(book), f"{path.name} was edited by hand"


def test_an_edited_archive_file_is_refused(tmp_path: Path) -> None:
    shutil.copytree(archive_dir(), tmp_path / "v")
    first = tmp_path / "v" / "0001.json"
    obj = json.loads(first.read_text("utf-8"))
    obj["forms"][0]["fields"][0][1] = "longtext"  # a field's type changed in place
    first.write_text(json.dumps(obj, ensure_ascii=False), "utf-8")
    with pytest.raises(CodebookError, match="never edited"):
        load_archive(tmp_path / "v")
    (tmp_path / "v" / "0001.json").rename(tmp_path / "v" / "0003.json")
    with pytest.raises(CodebookError):
        load_archive(tmp_path / "v")


def _changed_catalogue(tmp_path: Path) -> Catalogue:
    """The shipped forms with one field added at the front of a form (its indices all move)."""
    forms = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, forms)
    path = forms / "RESIDENT_CERT_ISSUE.toml"
    text = path.read_text("utf-8")
    first = '  { id = "subject_name",'
    added = '  { id = "note", label_ko = "비고", label_en = "Note", type = "text" },\n'
    path.write_text(text.replace(first, added + first, 1), "utf-8")
    catalogue = Catalogue.load(forms)
    assert not catalogue.load_errors
    return catalogue


def test_a_changed_form_is_a_new_version_and_an_older_qr_still_decodes(tmp_path: Path) -> None:
    archive = tmp_path / "versions"
    shutil.copytree(archive_dir(), archive)
    before = load_archive(archive)
    assert record(archive) is None  # nothing changed: nothing written
    changed = _changed_catalogue(tmp_path)
    written = record(archive, changed)
    assert written is not None and written.name == f"{len(before) + 1:04d}.json"
    assert record(archive, changed) is None
    books = {b.id: b for b in load_archive(archive)}
    old, new = before[-1], Codebook.from_json(json.loads(written.read_text("utf-8")))
    assert old.id != new.id and len(books) == len(before) + 1

    key = ec.generate_private_key(ec.SECP256R1())
    ring = KeyRing([key])
    doc = make_document(
        {"name": "홍길동"},
        [{"code": "RESIDENT_CERT_ISSUE", "ver": 1, "fields": {"cert_kind": "등본", "copies": 2}}],
        now=NOW - 60,
    )
    made_before = encode(doc, key.public_key(), codebook=old)
    made_after = encode(doc, key.public_key(), codebook=new)
    assert decode(made_before, ring, NOW, books).raw == doc  # the old QR, read after the change
    assert decode(made_after, ring, NOW, books).raw == doc
    with pytest.raises(PayloadError) as info:
        decode(made_after, ring, NOW, {old.id: old})  # a counter without the new version
    assert info.value.code == ErrorCode.CATALOGUE
    assert new.id.hex() in info.value.message_ko and "업데이트" in info.value.message_ko


def test_codebook_is_the_catalogue_s_forms_in_order_with_the_words() -> None:
    book = newest_codebook()
    catalogue = Catalogue.load()
    assert [(f.code, f.ver) for f in book.forms] == sorted((f.code, f.ver) for f in catalogue.forms)
    for form in book.forms:
        definition = catalogue.get(form.code, form.ver)
        assert definition is not None
        assert [f.id for f in form.fields] == [d.id for d in definition.fields]
    assert 0 < len(book.dictionary) <= 32_768
    assert "서울특별시".encode() in book.dictionary
    assert Codebook.from_json(book.to_json()) == book


def test_the_check_command_says_what_to_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert "is current" in capsys.readouterr().out
    assert main(["bogus"]) == 2


def test_every_field_type_has_a_coding() -> None:
    from decoding.codebook import CODING_OF_TYPE
    from decoding.forms.model import FIELD_TYPES

    assert set(FIELD_TYPES) == set(CODING_OF_TYPE), "a new field type needs a v2 coding"


def test_damaged_catalogue_versions_are_said_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    import decoding.payload

    key = ec.generate_private_key(ec.SECP256R1())
    doc = make_document({"name": "홍길동"}, [{"code": "X", "ver": 1, "fields": {}}], now=NOW - 60)
    texts = encode(doc, key.public_key())

    def damaged() -> dict[bytes, Codebook]:
        raise CodebookError("0001.json: malformed")

    monkeypatch.setattr(decoding.payload, "shipped_codebooks", damaged)
    with pytest.raises(PayloadError) as info:
        decode(texts, KeyRing([key]), NOW)
    assert info.value.code == ErrorCode.CATALOGUE and "damaged" in info.value.message_en
