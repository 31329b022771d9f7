"""Signed updates against a repository served on 127.0.0.1 (only the loopback).

The "new version" in these tests is a small program with the bundle's name
(``counter-app``) whose ``db upgrade`` changes the real SQLite database, or
fails half-way, as a new release's migrations could.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import shutil
import sqlite3
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from counter_app import update
from records import db

NEW_VERSION_OK = f"""#!{sys.executable}
import sqlite3, sys
args = sys.argv[1:]
if args[:2] == ["db", "upgrade"]:
    path = args[args.index("--db") + 1].removeprefix("sqlite:///")
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE new_feature (x INTEGER)")
    con.commit()
    print("upgraded")
    sys.exit(0)
print("counter-app NEW", *args)
"""

NEW_VERSION_BROKEN = f"""#!{sys.executable}
import sqlite3, sys
args = sys.argv[1:]
path = args[args.index("--db") + 1].removeprefix("sqlite:///")
con = sqlite3.connect(path)
con.execute("CREATE TABLE half_done (x INTEGER)")   # committed, then the migration dies
con.execute("DELETE FROM meta")
con.commit()
print("migration 0005 failed: column exists", file=sys.stderr)
sys.exit(1)
"""


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
    root = update.init_repository(repo, keys)
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


def test_a_valid_update_is_verified_staged_and_applied(tmp_path: Path, counter: dict) -> None:
    update.publish(
        counter["repo"], counter["keys"], "0.2.0", bundle_zip(tmp_path, NEW_VERSION_OK, "a")
    )
    staged = update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")
    assert staged is not None and staged.version == "0.2.0"
    assert (staged.path / "_internal" / "readme.txt").read_text() == "bundle a\n"
    # Nothing newer: a second check stages nothing.
    assert update.check(counter["data"], counter["url"], counter["root"], installed="0.2.0") is None
    before = tables(counter["db"])
    applied = update.apply_staged(counter["data"], counter["db"])
    assert applied is not None and applied.version == "0.2.0"
    assert applied.backup is not None and applied.backup.exists()
    assert tables(counter["db"]) == before | {"new_feature"}
    assert "new_feature" not in tables(f"sqlite:///{applied.backup}")  # taken before the migration
    assert update.current(counter["data"]).version == "0.2.0"  # type: ignore[union-attr]
    assert update.running_version(counter["data"]) == "0.2.0"
    assert update.staged(counter["data"]) is None
    assert update.last_result(counter["data"]) == ("ok", "0.2.0 실행 중 / running")


def test_a_signed_entry_that_is_not_a_version_is_refused(tmp_path: Path, counter: dict) -> None:
    # The library's publish takes any text (the CLI refuses it): the counter checks again,
    # as the version names a folder of its data.
    update.publish(counter["repo"], counter["keys"], "nan", bundle_zip(tmp_path, NEW_VERSION_OK, "a"))
    with pytest.raises(update.UpdateError, match="not a version"):
        update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")
    assert update.staged(counter["data"]) is None


def test_a_tampered_archive_is_refused(tmp_path: Path, counter: dict) -> None:
    name = update.publish(
        counter["repo"], counter["keys"], "0.2.0", bundle_zip(tmp_path, NEW_VERSION_OK, "a")
    )
    evil = bundle_zip(tmp_path, NEW_VERSION_OK.replace("new_feature", "stolen"), "evil")
    shutil.copyfile(evil, counter["repo"] / "targets" / name)  # same name, other bytes
    with pytest.raises(update.UpdateError, match="변조"):
        update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")
    assert update.staged(counter["data"]) is None
    assert not (counter["data"] / "versions" / "0.2.0").exists()


def test_tampered_metadata_is_refused(tmp_path: Path, counter: dict) -> None:
    update.publish(
        counter["repo"], counter["keys"], "0.2.0", bundle_zip(tmp_path, NEW_VERSION_OK, "a")
    )
    targets = counter["repo"] / "metadata" / "targets.json"
    data = json.loads(targets.read_text())
    data["signed"]["expires"] = "2099-01-01T00:00:00Z"  # any change breaks the signature
    targets.write_text(json.dumps(data))
    with pytest.raises(update.UpdateError):
        update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")
    assert update.staged(counter["data"]) is None


def test_expired_metadata_is_refused(tmp_path: Path, counter: dict) -> None:
    past = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=1)
    update.publish(counter["repo"], counter["keys"], "0.2.0",
                   bundle_zip(tmp_path, NEW_VERSION_OK, "a"), expires=past)  # fmt: skip
    with pytest.raises(update.UpdateError, match="유효 기간"):
        update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")
    assert update.staged(counter["data"]) is None


def test_an_older_version_and_rolled_back_metadata_are_refused(
    tmp_path: Path, counter: dict
) -> None:
    repo = counter["repo"]
    update.publish(repo, counter["keys"], "0.0.9", bundle_zip(tmp_path, NEW_VERSION_OK, "old"))
    with pytest.raises(update.UpdateError, match="older"):
        update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")
    # The district cannot publish backwards either.
    with pytest.raises(update.UpdateError, match="not newer"):
        update.publish(
            repo, counter["keys"], "0.0.8", bundle_zip(tmp_path, NEW_VERSION_OK, "older")
        )
    # A server (or an attacker in between) replaying the metadata the counter saw before
    # a newer release is refused: TUF remembers the versions it has seen.
    saved = tmp_path / "old-metadata"
    shutil.copytree(repo / "metadata", saved)
    update.publish(repo, counter["keys"], "0.2.0", bundle_zip(tmp_path, NEW_VERSION_OK, "a"))
    assert update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")
    shutil.rmtree(repo / "metadata")
    shutil.copytree(saved, repo / "metadata")
    with pytest.raises(update.UpdateError, match="rolled-back"):
        update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")


def test_a_failed_migration_restores_the_database_and_keeps_the_old_version(
    tmp_path: Path, counter: dict
) -> None:
    update.publish(
        counter["repo"], counter["keys"], "0.2.0", bundle_zip(tmp_path, NEW_VERSION_BROKEN, "b")
    )
    assert update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")
    con = sqlite3.connect(counter["db"].removeprefix("sqlite:///"))
    con.execute("INSERT INTO meta (key, value) VALUES ('site', '서초구')")
    con.commit()
    con.close()
    before = tables(counter["db"])
    with pytest.raises(update.UpdateError, match="column exists"):
        update.apply_staged(counter["data"], counter["db"])
    assert tables(counter["db"]) == before  # half_done gone, meta back
    con = sqlite3.connect(counter["db"].removeprefix("sqlite:///"))
    assert con.execute("SELECT value FROM meta WHERE key = 'site'").fetchone() == ("서초구",)
    con.close()
    assert update.current(counter["data"]) is None and update.staged(counter["data"]) is None
    assert update.running_version(counter["data"]) == "0.1.0"
    failed = json.loads((counter["data"] / "versions" / "failed.json").read_text())
    assert failed["version"] == "0.2.0"
    # doctor says so (its "update" check), and through the heartbeat the fleet and the district
    status, detail = update.last_result(counter["data"])
    assert status == "warn" and "0.2.0" in detail and "failed to apply" in detail
    # The old version still works on the restored database.
    engine = db.make_engine(counter["db"])
    try:
        db.require_current(engine, counter["db"])
    finally:
        engine.dispose()


def test_the_it_commands(
    tmp_path: Path,
    counter: dict,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COUNTER_APP_DATA", str(counter["data"]))
    monkeypatch.setenv(update.URL_ENV, counter["url"])
    monkeypatch.setenv(update.ROOT_ENV, str(counter["root"]))
    bundle = tmp_path / "dist" / "counter-app"
    bundle.mkdir(parents=True)
    (bundle / "counter-app").write_text(NEW_VERSION_OK)
    assert main(["update", "publish", "--repo", str(counter["repo"]), "--keys", str(counter["keys"]),
                 "--version", "9.0.0", "--archive", str(bundle)]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["target"] == "counter-app-9.0.0.zip"
    assert main(["update", "check"]) == 0
    assert json.loads(capsys.readouterr().out)["staged"] == "9.0.0"
    assert main(["update", "status"]) == 0
    assert json.loads(capsys.readouterr().out)["staged"] == "9.0.0"
    monkeypatch.setenv(update.URL_ENV, "http://127.0.0.1:9")  # nothing listens there
    assert main(["update", "check"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["error"] == "UPDATE" and "127.0.0.1:9" in out["message"]


def test_a_wrong_trust_root_is_said_and_not_cached(tmp_path: Path, counter: dict) -> None:
    wrong = tmp_path / "district.pub.pem"
    wrong.write_text("-----BEGIN PUBLIC KEY-----\n")
    with pytest.raises(update.UpdateError, match=r"update-root\.json"):
        update.check(counter["data"], counter["url"], wrong, installed="0.1.0")
    update.publish(
        counter["repo"], counter["keys"], "0.2.0", bundle_zip(tmp_path, NEW_VERSION_OK, "a")
    )
    staged = update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")
    assert staged is not None and staged.version == "0.2.0"


def test_the_bundle_start_applies_the_staged_version_and_hands_over(
    tmp_path: Path,
    counter: dict,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """What installer/entry.py does when a clerk starts the bundled program."""
    config = tmp_path / "cfg" / "counter.toml"
    config.parent.mkdir()
    config.write_text(f'database = "{counter["db"]}"\ndata_dir = "{counter["data"].as_posix()}"\n')
    monkeypatch.setenv("COUNTER_APP_CONFIG", str(config))
    monkeypatch.delenv("COUNTER_APP_LAUNCHED", raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert update.handover(["run"]) is None  # nothing staged: this version runs
    update.publish(
        counter["repo"], counter["keys"], "0.2.0", bundle_zip(tmp_path, NEW_VERSION_OK, "a")
    )
    assert update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")
    assert update.handover(["run"]) == 0  # applied (migrated) and the new version ran
    assert "counter-app NEW run" in capfd.readouterr().out
    assert "new_feature" in tables(counter["db"])
    assert update.handover(["doctor"]) == 0  # from now on every command goes to 0.2.0
    assert "counter-app NEW doctor" in capfd.readouterr().out
    monkeypatch.setenv("COUNTER_APP_LAUNCHED", "1")  # the new version itself: no second hop
    assert update.handover(["run"]) is None
