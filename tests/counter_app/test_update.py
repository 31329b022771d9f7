"""Signed updates against a repository served on 127.0.0.1 (only the loopback).

The "new version" in these tests is a small program with the bundle's name
(``counter-app``) whose ``db upgrade`` changes the real SQLite database, or
fails half-way, as a new release's migrations could.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from app.cli import main
from counter_app import update, update_district
from records import db
from tests.counter_app.update_support import bundle_zip, counter, served, tables

__all__ = ["counter", "served"]  # fixtures

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
# A release whose migration commits in steps, then dies: the schema is half-changed.
con.execute("CREATE TABLE half_done (x INTEGER)")
con.execute("CREATE INDEX ix_meta_value ON meta (value)")
con.execute("UPDATE alembic_version SET version_num = '0099'")
con.commit()
print("migration 0099 failed: column exists", file=sys.stderr)
sys.exit(1)
"""


def test_a_valid_update_is_verified_staged_and_applied(tmp_path: Path, counter: dict) -> None:
    update_district.publish(
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
    assert update.state(counter["data"])["running"] == "0.2.0"


def test_a_signed_entry_that_is_not_a_version_is_refused(tmp_path: Path, counter: dict) -> None:
    # publish refuses anything but MAJOR.MINOR.PATCH; a signed entry made some other way is
    # checked again by the counter, as the version names a folder of its data.
    for bad in ("nan", "0.2.0rc1"):
        with pytest.raises(update.UpdateError, match=r"MAJOR\.MINOR\.PATCH"):
            update_district.publish(counter["repo"], counter["keys"], bad,
                                    bundle_zip(tmp_path, NEW_VERSION_OK, "a"))
    name = update_district.publish(
        counter["repo"], counter["keys"], "0.2.0", bundle_zip(tmp_path, NEW_VERSION_OK, "a")
    )
    update_district._sign_entries(counter["repo"], counter["keys"],
                                  {"office": {"version": "../..", "archive": name}}, name, None)
    with pytest.raises(update.UpdateError, match="not a version"):
        update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")
    assert update.staged(counter["data"]) is None


def test_a_tampered_archive_is_refused(tmp_path: Path, counter: dict) -> None:
    name = update_district.publish(
        counter["repo"], counter["keys"], "0.2.0", bundle_zip(tmp_path, NEW_VERSION_OK, "a")
    )
    evil = bundle_zip(tmp_path, NEW_VERSION_OK.replace("new_feature", "stolen"), "evil")
    shutil.copyfile(evil, counter["repo"] / "targets" / name)  # same name, other bytes
    with pytest.raises(update.UpdateError, match="변조"):
        update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")
    assert update.staged(counter["data"]) is None
    assert not (counter["data"] / "versions" / "0.2.0").exists()


def test_tampered_metadata_is_refused(tmp_path: Path, counter: dict) -> None:
    update_district.publish(
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
    update_district.publish(counter["repo"], counter["keys"], "0.2.0",
                   bundle_zip(tmp_path, NEW_VERSION_OK, "a"), expires=past)
    with pytest.raises(update.UpdateError, match="유효 기간"):
        update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")
    assert update.staged(counter["data"]) is None


def test_an_older_version_and_rolled_back_metadata_are_refused(
    tmp_path: Path, counter: dict
) -> None:
    repo = counter["repo"]
    update_district.publish(repo, counter["keys"], "0.0.9", bundle_zip(tmp_path, NEW_VERSION_OK, "old"))
    with pytest.raises(update.UpdateError, match="older"):
        update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")
    # The district cannot publish backwards either.
    with pytest.raises(update.UpdateError, match="not newer"):
        update_district.publish(
            repo, counter["keys"], "0.0.8", bundle_zip(tmp_path, NEW_VERSION_OK, "older")
        )
    # A server (or an attacker in between) replaying the metadata the counter saw before
    # a newer release is refused: TUF remembers the versions it has seen.
    saved = tmp_path / "old-metadata"
    shutil.copytree(repo / "metadata", saved)
    update_district.publish(repo, counter["keys"], "0.2.0", bundle_zip(tmp_path, NEW_VERSION_OK, "a"))
    assert update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")
    shutil.rmtree(repo / "metadata")
    shutil.copytree(saved, repo / "metadata")
    with pytest.raises(update.UpdateError, match="rolled-back"):
        update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")


def test_a_failed_migration_restores_the_database_and_keeps_the_old_version(
    tmp_path: Path, counter: dict
) -> None:
    update_district.publish(
        counter["repo"], counter["keys"], "0.2.0", bundle_zip(tmp_path, NEW_VERSION_BROKEN, "b")
    )
    assert update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")
    con = sqlite3.connect(counter["db"].removeprefix("sqlite:///"))
    con.execute("INSERT INTO meta (key, value) VALUES ('site', '서초구')")
    con.commit()
    con.close()
    before = tables(counter["db"])
    with pytest.raises(update.UpdateError, match="column exists") as err:
        update.apply_staged(counter["data"], counter["db"])
    assert err.value.kind == "migration" and "restored" in str(err.value)
    assert tables(counter["db"]) == before  # half_done gone
    con = sqlite3.connect(counter["db"].removeprefix("sqlite:///"))
    assert con.execute("SELECT name FROM sqlite_master WHERE name = 'ix_meta_value'").fetchall() == []
    con.close()
    con = sqlite3.connect(counter["db"].removeprefix("sqlite:///"))
    assert con.execute("SELECT value FROM meta WHERE key = 'site'").fetchone() == ("서초구",)
    con.close()
    assert update.current(counter["data"]) is None and update.staged(counter["data"]) is None
    assert update.running_version(counter["data"]) == "0.1.0"
    failed = json.loads((counter["data"] / "versions" / "failed.json").read_text())
    assert failed["version"] == "0.2.0"
    # doctor says so (its "updates" check), and through the heartbeat the fleet and the district
    assert update.state(counter["data"])["failed"]["version"] == "0.2.0"
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
                 "--version", "9.0.0", "--archive", str(bundle)]) == 0
    assert json.loads(capsys.readouterr().out)["target"] == "counter-app-9.0.0.zip"
    assert main(["update", "check"]) == 0
    assert json.loads(capsys.readouterr().out)["staged"] == "9.0.0"
    assert main(["update", "status"]) == 0
    assert json.loads(capsys.readouterr().out)["staged"] == "9.0.0"
    monkeypatch.setenv(update.URL_ENV, "http://127.0.0.1:9")  # nothing listens there
    assert main(["update", "check"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["error"] == "UPDATE_UNREACHABLE" and "127.0.0.1:9" in out["message"]
    assert main(["update", "status"]) == 0  # the failure is kept for IT, the staged one too
    status = json.loads(capsys.readouterr().out)
    assert status["staged"] == "9.0.0"
    assert status["last"]["kind"] == "unreachable" and status["last"]["ok"] is False


def test_a_wrong_trust_root_is_said_and_not_cached(tmp_path: Path, counter: dict) -> None:
    wrong = tmp_path / "district.pub.pem"
    wrong.write_text("-----BEGIN PUBLIC KEY-----\n")
    with pytest.raises(update.UpdateError, match=r"update-root\.json"):
        update.check(counter["data"], counter["url"], wrong, installed="0.1.0")
    update_district.publish(
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
    monkeypatch.setenv(update.ROOT_ENV, str(counter["root"]))  # as installed with the program
    assert update.handover(["run"]) is None  # nothing staged: this version runs
    update_district.publish(
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


def test_the_version_handed_over_to_is_the_one_the_signed_update_installed(
    tmp_path: Path, counter: dict, monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """current.json is in the data folder: damaged, pointing elsewhere or with a swapped
    program, it is refused with a message and the installed version starts."""
    config = tmp_path / "cfg" / "counter.toml"
    config.parent.mkdir()
    config.write_text(f'database = "{counter["db"]}"\ndata_dir = "{counter["data"].as_posix()}"\n')
    monkeypatch.setenv("COUNTER_APP_CONFIG", str(config))
    monkeypatch.delenv("COUNTER_APP_LAUNCHED", raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setenv(update.ROOT_ENV, str(counter["root"]))
    update_district.publish(counter["repo"], counter["keys"], "0.2.0",
                            bundle_zip(tmp_path, NEW_VERSION_OK, "a"))
    assert update.check(counter["data"], counter["url"], counter["root"], installed="0.1.0")
    assert update.handover(["run"]) == 0
    capfd.readouterr()
    state = counter["data"] / "versions"
    current = state / "current.json"
    good = current.read_text()
    evil = tmp_path / "evil"
    evil.mkdir()
    (evil / "counter-app").write_text(NEW_VERSION_OK)
    (evil / "counter-app").chmod(0o755)
    for damage, said in (
        ("{not json", "damaged"),
        ("[]", "damaged"),  # not the object it must be
        ('{"path": "x"}', "no valid version"),
        (json.dumps({"version": "9.9.9", "path": str(evil)}), "outside the update folder"),
        (json.dumps({"version": "0.2.0", "path": str(evil)}), "outside the update folder"),
    ):
        current.write_text(damage)
        assert update.handover(["doctor"]) is None, damage
        err = capfd.readouterr().err
        assert said in err and "Traceback" not in err, (damage, err)
    current.write_text(good)
    exe = state / "0.2.0" / "counter-app"
    exe.write_text(NEW_VERSION_OK.replace("NEW", "EVIL"))  # the program swapped after install
    assert update.handover(["doctor"]) is None
    assert "does not match the signed update" in capfd.readouterr().err
    code = main(["update", "status", "--config", str(config)])
    assert code == 1 and "changed" in capfd.readouterr().out  # the swapped program, named
    current.write_text("{not json")
    assert main(["update", "status", "--config", str(config)]) == 1
    assert "damaged" in capfd.readouterr().out
