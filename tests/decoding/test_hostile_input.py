"""Crafted petitions, one per kind: every entry point (decode, validate, intake)
answers with an ``MW_*`` code, never a traceback, and stores nothing."""

from __future__ import annotations

import copy
import json
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from counter_app.intake import IntakeService
from decoding.errors import PayloadError
from decoding.forms import default_catalogue
from decoding.forms.examples import EXAMPLE_APPLICANT, EXAMPLE_DELEGATE
from decoding.keys import KeyRing, kid_of, load_private_key, load_public_key
from decoding.payload import _SUITE, SUITE_P256_SHA256_AES128GCM, VERSION, split_envelope
from decoding.text import display_text, has_visible
from tests.records.support import KEY_PATH, PUB_PATH, open_test_store

NOW = 1_764_000_000
FORM = {"code": "RESIDENT_CERT_ISSUE", "ver": 1,
        "fields": {"cert_kind": "등본", "copies": 2, "purpose": "은행 제출용"}}


def base() -> dict[str, Any]:
    return {"v": 1, "id": "AAAAAAAAAAAAAAAAAAAAAA", "iat": NOW - 60, "exp": NOW + 86400,
            "applicant": copy.deepcopy(EXAMPLE_APPLICANT), "forms": [copy.deepcopy(FORM)]}


def edit(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    doc = base()
    change(doc)
    return doc


def setter(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def run(doc: dict[str, Any]) -> None:
        node: Any = doc
        parts = path.split(".")
        for p in parts[:-1]:
            node = node[int(p)] if p.isdigit() else node.setdefault(p, {})
        node[parts[-1]] = value
    return run


def with_delegate(**over: Any) -> Callable[[dict[str, Any]], None]:
    def run(doc: dict[str, Any]) -> None:
        doc["delegate"] = {**EXAMPLE_DELEGATE, **over}
    return run


FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

CRAFTED: dict[str, tuple[dict[str, Any], str]] = {
    # numbers the document allows but Python's date functions cannot take
    "iat in the year 10000": (edit(setter("iat", 253_402_300_800)), "MW_SCHEMA"),
    "exp in the year 10000": (edit(setter("exp", 253_402_300_800)), "MW_SCHEMA"),
    "iat and exp far beyond": (edit(lambda d: d.update(iat=10**18, exp=10**18 + 5)), "MW_SCHEMA"),
    # strings that are not valid Unicode text
    "lone surrogate in a name": (edit(setter("applicant.name", "김\ud800")), "MW_SCHEMA"),
    "lone surrogate in a field": (edit(setter("forms.0.fields.purpose", "\udfff")), "MW_SCHEMA"),
    "lone surrogate as a member name": (edit(setter("forms.0.fields.\ud800", "x")), "MW_SCHEMA"),
    "lone surrogate in the road": (edit(setter("applicant.address.road", "\ud83d")), "MW_SCHEMA"),
    # digits that are not ASCII digits in identifier fields
    "full-width RRN": (edit(setter("applicant.rrn", "9001011234568".translate(FULLWIDTH))),
                       "MW_SCHEMA"),
    "Arabic-Indic RRN": (edit(setter("applicant.rrn", "9001011234568".translate(ARABIC))),
                         "MW_SCHEMA"),
    "full-width postcode": (edit(setter("applicant.address.postcode", "０６７５０")), "MW_SCHEMA"),
    "full-width birth": (edit(setter("applicant.birth", "１９９０-01-01")), "MW_SCHEMA"),
    "full-width phone": (edit(setter("applicant.phone", "０１０-2345-6789")), "MW_SCHEMA"),
    # names made of nothing visible, control characters, bidi overrides
    "zero-width name": (edit(setter("applicant.name", "\u200b\u200c\u200d")), "MW_SCHEMA"),
    "bidi-only name": (edit(setter("applicant.name", "\u202e\u202d")), "MW_SCHEMA"),
    "Hangul filler name": (edit(setter("applicant.name", "\u3164\u3164")), "MW_SCHEMA"),
    "bidi override in a name": (edit(setter("applicant.name", "홍\u202e동길")), "MW_SCHEMA"),
    "terminal escape in a name": (edit(setter("applicant.name", "홍\x1b[2J길동")), "MW_SCHEMA"),
    "NUL in the detail": (edit(setter("applicant.address.detail", "101\x00")), "MW_SCHEMA"),
    "C1 control in a field": (edit(setter("forms.0.fields.purpose", "은행\x9b31m")),
                              "MW_FIELD_INVALID"),
    "bidi override in a field": (edit(setter("forms.0.fields.purpose", "\u202e은행")),
                                 "MW_FIELD_INVALID"),
    # lengths beyond what the database columns hold
    "relation of 500 characters": (edit(with_delegate(relation="배" * 500)), "MW_SCHEMA"),
    "invisible relation": (edit(with_delegate(relation="\u200b")), "MW_SCHEMA"),
    "road of 10,000 characters": (edit(setter("applicant.address.road", "길" * 10_000)),
                                  "MW_SCHEMA"),
    "e-mail of 1,000 characters": (edit(setter("applicant.email", "a" * 990 + "@example.kr")),
                                   "MW_SCHEMA"),
}


@pytest.fixture(scope="module")
def keyring() -> KeyRing:
    ring = KeyRing()
    ring.add(load_private_key(KEY_PATH))
    return ring


def _qr(doc: dict[str, Any]) -> list[str]:
    """A real QR text of ``doc``; a lone surrogate travels as a JSON escape ("\\ud800"),
    as a crafted QR would carry it."""
    body = json.dumps(doc, ensure_ascii=True).encode("ascii")
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    plaintext = compressor.compress(body) + compressor.flush()
    public = load_public_key(PUB_PATH)
    header = bytes([VERSION, SUITE_P256_SHA256_AES128GCM]) + kid_of(public)
    envelope = header + _SUITE.encrypt(plaintext, public, info=b"MW1" + header)
    return split_envelope(envelope)


@pytest.mark.parametrize("kind", sorted(CRAFTED))
def test_crafted_petitions_are_mw_errors_everywhere(
    kind: str, keyring: KeyRing, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc, code = CRAFTED[kind]
    texts = _qr(doc)
    qr = tmp_path / "qr.txt"
    qr.write_text("\n".join(texts) + "\n", encoding="utf-8")
    # validate (decode + catalogue) on the command line
    assert main(["validate", "--key", str(KEY_PATH), "--now", str(NOW), str(qr)]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["error"] == code, out
    # intake, through the same service the window uses: nothing stored
    with open_test_store(f"sqlite:///{tmp_path / 'c.db'}", tmp_path) as store:
        service = IntakeService(keyring, store, office="3210000", catalogue=default_catalogue(),
                                clock=lambda: NOW)
        with pytest.raises(PayloadError) as caught:
            # field problems are the check's findings (the clerk sees them); the accept refuses
            checked = service.check(texts)
            assert code == "MW_FIELD_INVALID" and any(f.severity == "error" for f in checked.findings)
            service.accept(checked, clerk="c", counter="창구1")
        assert caught.value.code.value == code
        assert store.list_day(__import__("datetime").date.today()) == []
    assert main(["intake", "--db", f"sqlite:///{tmp_path / 'c.db'}", "--key", str(KEY_PATH),
                 "--data-key", str(tmp_path / "data.key"), "--files", str(tmp_path / "files"),
                 "--now", str(NOW), str(qr)]) == 1
    assert json.loads(capsys.readouterr().out)["error"] == code


def test_the_longest_values_the_rules_allow_are_stored(
    keyring: KeyRing, tmp_path: Path
) -> None:
    doc = edit(with_delegate(name="이" * 40, relation="관" * 40))
    doc["applicant"]["name"] = "김" * 40
    with open_test_store(f"sqlite:///{tmp_path / 'c.db'}", tmp_path) as store:
        service = IntakeService(keyring, store, office="3210000", catalogue=default_catalogue(),
                                clock=lambda: NOW)
        receipt = service.accept(service.check(_qr(doc)), clerk="c" * 64, counter="창" * 64)
        assert store.get(receipt.case_id).row.applicant_name == "김" * 40


def test_display_text_strips_what_a_screen_must_not_act_on() -> None:
    assert display_text("홍\x1b[2J길\x1b]0;title\x07동\u202e") == "홍길동"
    assert display_text("a\x00b\x9bc") == "abc"
    assert display_text("줄1\n줄2\t끝", multiline=True) == "줄1\n줄2\t끝"
    assert display_text("줄1\n줄2") == "줄1줄2"
    assert display_text("\ud800x") == "?x"
    assert not has_visible("\u200b\u2060\ufeff \u3164")
    assert has_visible("\u200b김")
