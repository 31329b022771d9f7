"""Shared helpers of the database tests: databases on SQLite and PostgreSQL, keys, documents.

``db_url`` runs a test twice: on a SQLite file and, when COUNTER_TEST_PG_URL
names a PostgreSQL server (``tests/records/pg.sh start`` prints one), on a
fresh database created on it for that test and dropped afterwards.
"""

from __future__ import annotations

import base64
import os
import secrets
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from decoding.keys import load_private_key
from records.store import CaseStore, NewCase
from tests.conftest import VECTORS_DIR

PG_ENV = "COUNTER_TEST_PG_URL"
KEY_PATH = VECTORS_DIR / "keys" / "test-p256-1.pem"
PUB_PATH = VECTORS_DIR / "keys" / "test-p256-1.pub.pem"
RRN = "9001011234568"
RRN_HYPHEN = "900101-1234568"
DELEGATE_RRN = "8805051234561"
OFFICE = "3210000"


def pg_admin_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def create_pg_database() -> str:
    admin = pg_admin_url()
    assert admin
    name = f"ct_{uuid.uuid4().hex[:16]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    admin = pg_admin_url()
    assert admin
    name = make_url(url).database
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cases.db'}"
        return
    if not pg_admin_url():
        pytest.skip(f"{PG_ENV} not set (start a server with tests/records/pg.sh start)")
    url = create_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(url)


def private_key() -> Any:
    return load_private_key(KEY_PATH)


def open_test_store(url: str, folder: Path, **kw: Any) -> CaseStore:
    return CaseStore(
        url,
        attachments_dir=folder / "files",
        key_file=folder / "data.key",
        private_keys=[private_key()],
        **kw,
    )


@pytest.fixture
def store(db_url: str, tmp_path: Path) -> Iterator[CaseStore]:
    """A case store on :func:`db_url`, closed after the test."""
    s = open_test_store(db_url, tmp_path)
    try:
        yield s
    finally:
        s.close()


def payload_id() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(16)).rstrip(b"=").decode()


def applicant(name: str = "김민원", rrn: str = RRN) -> dict[str, Any]:
    return {"name": name, "rrn": rrn, "birth": "1990-01-01", "phone": "010-1234-5678",
            "address": {"postcode": "06750", "road": "서울특별시 서초구 남부순환로 2584",
                        "detail": "101동 1203호"}}


def resident_copy_form() -> dict[str, Any]:
    """A 주민등록표 등본 request the shipped catalogue accepts."""
    return {"code": "RESIDENT_CERT_ISSUE", "ver": 1,
            "fields": {"cert_kind": "등본", "copies": 2, "purpose": "은행 제출용"}}


def document(pid: str | None = None, *, delegate: bool = False) -> dict[str, Any]:
    now = int(time.time())
    doc: dict[str, Any] = {
        "v": 1, "id": pid or payload_id(), "iat": now, "exp": now + 2 * 86400,
        "applicant": applicant(), "forms": [resident_copy_form()],
    }
    if delegate:
        doc["delegate"] = {"name": "이대리", "rrn": DELEGATE_RRN, "relation": "배우자"}
    return doc


def new_case(pid: str | None = None, **kw: Any) -> NewCase:
    pid = pid or payload_id()
    values: dict[str, Any] = {
        "office": OFFICE, "document": document(pid), "payload_id": pid,
        "clerk": "kim", "counter": "민원1",
    }
    values.update(kw)
    return NewCase(**values)
