"""Fixtures of the update tests: a district repository served on 127.0.0.1, a counter, bundles."""

from __future__ import annotations

import functools
import http.server
import sqlite3
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter_app import update_district
from records import db


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """The district's repository folder, served over HTTP on 127.0.0.1 (a random port)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    handler = functools.partial(_Quiet, directory=str(repo))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield repo, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def bundle_zip(tmp_path: Path, script: str, name: str) -> Path:
    out = tmp_path / f"{name}.zip"
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("counter-app", script)
        zf.writestr("_internal/readme.txt", f"bundle {name}\n")
    return out


@pytest.fixture
def counter(tmp_path: Path, served: tuple[Path, str]) -> dict[str, Path | str]:
    """A counter at version 0.1.0 with a migrated SQLite database, and an initialised repository."""
    repo, url = served
    keys = tmp_path / "repo-keys"
    root = update_district.init_repository(repo, keys)
    data = tmp_path / "data"
    db_url = f"sqlite:///{tmp_path / 'cases.db'}"
    engine = db.make_engine(db_url)
    db.upgrade(engine, db_url)
    engine.dispose()
    return {"repo": repo, "url": url, "keys": keys, "root": root, "data": data, "db": db_url}


def tables(db_url: str) -> set[str]:
    con = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()


