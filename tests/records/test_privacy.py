"""No resident registration number in clear: not in the database files, not in the logs."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select

from decoding.keys import load_public_key
from decoding.payload import encode, make_document
from records.store import CaseStore
from tests.records.support import (
    DELEGATE_RRN,
    KEY_PATH,
    PUB_PATH,
    RRN,
    RRN_HYPHEN,
    applicant,
    new_case,
    open_test_store,
    resident_copy_form,
)

REPO = Path(__file__).resolve().parents[2]
SECRETS = [RRN, RRN_HYPHEN, DELEGATE_RRN, f"{DELEGATE_RRN[:6]}-{DELEGATE_RRN[6:]}"]


def _fill(store: CaseStore) -> None:
    doc_case = new_case()
    doc_case.document["delegate"] = {"name": "이대리", "rrn": DELEGATE_RRN, "relation": "배우자"}
    # an RRN typed into a form field (the 대상자 of a certificate), hyphenated
    doc_case.document["forms"][0]["fields"]["target_rrn"] = RRN_HYPHEN
    r = store.record(doc_case)
    store.record(new_case(corrections=[("applicant.rrn", "9001011234567", RRN)]))
    assert store.reveal_rrn(r.case_id, "delegate", clerk="kim", counter="민원1") == DELEGATE_RRN


def _all_rows_text(store: CaseStore) -> str:
    meta = MetaData()
    meta.reflect(store.engine)
    parts = []
    with store.engine.connect() as conn:
        for table in meta.sorted_tables:
            for row in conn.execute(select(table)):
                parts.append(repr(tuple(row)))
    return "\n".join(parts)


def test_no_rrn_in_any_column(store: CaseStore) -> None:
    _fill(store)
    dump = _all_rows_text(store)
    assert "900101-1******" in dump  # the masked copy is there: the dump is not empty
    for secret in SECRETS:
        assert secret not in dump


def test_no_rrn_in_sqlite_files_or_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store = open_test_store(f"sqlite:///{tmp_path / 'cases.db'}", tmp_path)
    try:
        _fill(store)
        wal = tmp_path / "cases.db-wal"
        files = [tmp_path / "cases.db", wal, tmp_path / "data.key"]
        raw = b"".join(f.read_bytes() for f in files if f.exists())
        assert wal.exists() and len(raw) > 10_000
    finally:
        store.close()
    raw += (tmp_path / "cases.db").read_bytes()  # after the checkpoint at close
    for secret in SECRETS:
        assert secret.encode() not in raw
    for secret in SECRETS:
        assert secret not in caplog.text

    # the real command, with debug logging on
    pub = load_public_key(PUB_PATH)
    doc = make_document(applicant(), [resident_copy_form()])
    qr = encode(doc, pub)[0]
    r = subprocess.run(
        [sys.executable, "-m", "app", "-v", "intake", "--db",
         f"sqlite:///{tmp_path / 'cli.db'}", "--key", str(KEY_PATH), "-"],
        input=qr + "\n", cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "DEBUG" in r.stderr or "INFO" in r.stderr  # logging was on
    for secret in SECRETS:
        assert secret not in r.stderr and secret not in r.stdout
        for f in tmp_path.glob("cli.db*"):
            assert secret.encode() not in f.read_bytes()
