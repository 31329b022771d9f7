"""Fixtures of the database tests (see ``support.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from records.store import CaseStore
from tests.records.support import db_url, open_test_store

__all__ = ["db_url", "store"]


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> Iterator[CaseStore]:
    s = open_test_store(db_url, tmp_path)
    try:
        yield s
    finally:
        s.close()
