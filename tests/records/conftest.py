"""Fixtures of the database tests (see ``support.py``)."""

from __future__ import annotations

from tests.records.support import db_url, store

__all__ = ["db_url", "store"]
