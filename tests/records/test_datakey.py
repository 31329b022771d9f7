"""The data key file: wrapped with the office key, usable after a key rotation, useless alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from records.datakey import load_data_key
from records.errors import DataKeyError
from tests.records.support import private_key


def test_wrapped_key_round_trip_and_rotation(tmp_path: Path) -> None:
    path = tmp_path / "cases.db.key"
    old = private_key()
    key = load_data_key(path, [old], create=True)
    blob = key.encrypt(b"9001011234568", b"case:applicant.rrn")
    assert b"9001011234568" not in path.read_bytes() + blob
    assert key.key not in path.read_bytes()
    assert load_data_key(path, [old], create=False).decrypt(blob, b"case:applicant.rrn") == (
        b"9001011234568")
    with pytest.raises(DataKeyError):
        key.decrypt(blob, b"other case:applicant.rrn")  # bound to its place

    new = ec.generate_private_key(ec.SECP256R1())
    rotated = load_data_key(path, [new, old], create=False)  # newest first
    assert rotated.key == key.key
    assert len(json.loads(path.read_text())["wrapped"]) == 2
    assert load_data_key(path, [new], create=False).key == key.key  # old key retired

    stranger = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(DataKeyError, match="None of the office keys"):
        load_data_key(path, [stranger], create=False)
    with pytest.raises(DataKeyError, match="missing"):
        load_data_key(tmp_path / "nope.key", [old], create=False)
