"""Updates across an office: refresh, rollback, channels, tampering, and counters writing during one.

The repository is served on 127.0.0.1; the "releases" are small programs with
the bundle's name whose ``db upgrade`` changes the real SQLite database (or
fails half-way while the test has another counter write a real case).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
import threading
import time
import types
from collections.abc import Callable
from pathlib import Path

import pytest
from tuf.ngclient._internal import trusted_metadata_set

from app.cli import main
from counter_app import update, update_district, update_release
from tests.counter_app.update_support import bundle_zip, counter, served, tables
from tests.records.support import new_case, open_test_store

__all__ = ["counter", "served"]  # fixtures

RELEASE = f"""#!{sys.executable}
import sqlite3, sys
args = sys.argv[1:]
if args[:2] == ["db", "upgrade"]:
    sys.exit(0)
print("counter-app RELEASE", *args)
"""

_WAIT = """
import os, time
from pathlib import Path
gate = Path(os.environ["COUNTER_TEST_GATE"])
(gate / "ready").touch()
deadline = time.monotonic() + 60
while not (gate / "go").exists() and time.monotonic() < deadline:
    time.sleep(0.02)
"""

# Commits half of its changes, waits while another counter writes, then dies.
HALF_THEN_FAIL = f"""#!{sys.executable}
import sqlite3, sys
args = sys.argv[1:]
con = sqlite3.connect(args[args.index("--db") + 1].removeprefix("sqlite:///"))
con.execute("CREATE TABLE half_done (x INTEGER)")
con.commit()
{_WAIT}
print("migration failed: column exists", file=sys.stderr)
sys.exit(1)
"""

# One transaction under the exclusive lock (as records.db.upgrade runs), then dies.
LOCKED_THEN_FAIL = f"""#!{sys.executable}
import sqlite3, sys
args = sys.argv[1:]
con = sqlite3.connect(args[args.index("--db") + 1].removeprefix("sqlite:///"), isolation_level=None)
con.execute("BEGIN EXCLUSIVE")
con.execute("CREATE TABLE half_done (x INTEGER)")
{_WAIT}
print("migration failed: column exists", file=sys.stderr)
sys.exit(1)
"""


def _publish(c: dict, tmp_path: Path, version: str, script: str = RELEASE, **kw: object) -> None:
    update_district.publish(c["repo"], c["keys"], version,
                            bundle_zip(tmp_path, script, version), **kw)  # type: ignore[arg-type]


def _check(c: dict, **kw: object) -> update.Staged | None:
    return update.check(c["data"], c["url"], c["root"], **kw)  # type: ignore[arg-type]


def _later(monkeypatch: pytest.MonkeyPatch, days: int) -> dt.datetime:
    """The counter's clock (as TUF reads it) ``days`` ahead; returns that time."""
    shift = dt.timedelta(days=days)

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Later:  # type: ignore[override]
            return dt.datetime.now(tz) + shift  # type: ignore[return-value]

    monkeypatch.setattr(trusted_metadata_set, "datetime",
                        types.SimpleNamespace(datetime=Later, timezone=dt.timezone))
    return dt.datetime.now(dt.UTC).replace(microsecond=0) + shift


def test_refresh_keeps_counters_updating_past_the_old_expiry(
    tmp_path: Path, counter: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    _publish(counter, tmp_path, "0.2.0")
    assert _check(counter, installed="0.1.0") is not None
    ts = json.loads((counter["repo"] / "metadata" / "timestamp.json").read_text())
    expires = dt.datetime.fromisoformat(ts["signed"]["expires"].replace("Z", "+00:00"))
    assert expires - dt.datetime.now(dt.UTC) >= dt.timedelta(days=6, hours=23)  # a week at least
    later = _later(monkeypatch, 8)  # eight days on, no refresh: expired, and named so
    with pytest.raises(update.UpdateError) as err:
        _check(counter, installed="0.2.0")
    assert err.value.kind == "expired" and "update refresh" in str(err.value)
    update_district.refresh(counter["repo"], counter["keys"], now=later)  # the scheduled task
    assert _check(counter, installed="0.2.0") is None  # up to date, and told so
    staged = _check(counter, installed="0.1.0")  # a counter still on 0.1.0 gets 0.2.0
    assert staged is not None and staged.version == "0.2.0"


def test_the_district_rolls_back_to_a_signed_older_release(tmp_path: Path, counter: dict) -> None:
    db = counter["db"]
    for version in ("0.2.0", "0.3.0"):
        _publish(counter, tmp_path, version)
        assert _check(counter) is not None
        assert update.apply_staged(counter["data"], db) is not None
    assert update.running_version(counter["data"]) == "0.3.0"
    # Publishing backwards is refused; going back is a rollback, signed by the district.
    with pytest.raises(update.UpdateError, match="update rollback"):
        _publish(counter, tmp_path, "0.2.0")
    with pytest.raises(update.UpdateError, match="not a release"):
        update_district.rollback(counter["repo"], counter["keys"], "0.2.5")
    assert main(["update", "rollback", "--repo", str(counter["repo"]), "--keys",
                 str(counter["keys"]), "--to", "0.2.0"]) == 0
    staged = _check(counter)
    assert staged is not None and (staged.version, staged.rollback) == ("0.2.0", True)
    assert update.apply_staged(counter["data"], db) is not None
    assert update.running_version(counter["data"]) == "0.2.0"
    assert update_release.verify_release(counter["data"]).ok
    assert _check(counter) is None  # and it stays there


def test_an_appended_byte_is_tampering(tmp_path: Path, counter: dict) -> None:
    _publish(counter, tmp_path, "0.2.0")
    with (counter["repo"] / "targets" / "counter-app-0.2.0.zip").open("ab") as fh:
        fh.write(b"\0")
    with pytest.raises(update.UpdateError, match="변조") as err:
        _check(counter, installed="0.1.0")
    assert err.value.kind == "tampered" and err.value.code == "UPDATE_TAMPERED"
    assert update.last_result(counter["data"])["kind"] == "tampered"  # type: ignore[index]


def test_pilot_counters_first_then_the_office(tmp_path: Path, counter: dict) -> None:
    _publish(counter, tmp_path, "0.2.0", channel="pilot")
    assert _check(counter, installed="0.1.0", channel="office") is None
    pilot = _check(counter, installed="0.1.0", channel="pilot")
    assert pilot is not None and pilot.version == "0.2.0"
    # The same signed archive, promoted: no upload needed.
    update_district.publish(counter["repo"], counter["keys"], "0.2.0", None, channel="office")
    office = _check(counter, installed="0.1.0", channel="office")
    assert office is not None and office.version == "0.2.0"


def test_a_changed_release_is_refused_at_start(
    tmp_path: Path, counter: dict, monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    _publish(counter, tmp_path, "0.2.0")
    assert _check(counter, installed="0.1.0") is not None
    assert update.apply_staged(counter["data"], counter["db"]) is not None
    config = tmp_path / "cfg" / "counter.toml"
    config.parent.mkdir()
    config.write_text(f'database = "{counter["db"]}"\ndata_dir = "{counter["data"].as_posix()}"\n')
    monkeypatch.setenv("COUNTER_APP_CONFIG", str(config))
    monkeypatch.delenv("COUNTER_APP_LAUNCHED", raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert update.handover(["doctor"]) == 0
    assert "counter-app RELEASE doctor" in capfd.readouterr().out
    exe = counter["data"] / "versions" / "0.2.0" / "counter-app"
    exe.write_text(exe.read_text() + "\nprint('and something else')\n")
    verdict = update_release.verify_release(counter["data"])
    assert not verdict.ok and "counter-app" in verdict.problems[0]
    assert update.handover(["doctor"]) is None  # the installed program runs instead
    assert "changed" in capfd.readouterr().err


def _during_migration(
    tmp_path: Path, counter: dict, monkeypatch: pytest.MonkeyPatch, script: str
) -> tuple[list[BaseException], int]:
    """Apply ``script``'s release on one thread while another counter records a case."""
    gate = tmp_path / "gate"
    gate.mkdir()
    monkeypatch.setenv("COUNTER_TEST_GATE", str(gate))
    _publish(counter, tmp_path, "0.2.0", script)
    assert _check(counter, installed="0.1.0") is not None
    errors: list[BaseException] = []

    def run(work: Callable[[], object]) -> threading.Thread:
        def body() -> None:
            try:
                work()
            except BaseException as exc:
                errors.append(exc)

        thread = threading.Thread(target=body)
        thread.start()
        return thread

    applying = run(lambda: update.apply_staged(counter["data"], counter["db"]))
    deadline = time.monotonic() + 60
    while not (gate / "ready").exists() and applying.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert (gate / "ready").exists(), errors
    cases: list[int] = []

    def record() -> None:
        with open_test_store(counter["db"], tmp_path, migrate=False, busy_timeout=60) as store:
            cases.append(store.record(new_case()).case_id)

    writer = run(record)
    if script is HALF_THEN_FAIL:
        writer.join(timeout=60)  # nothing holds a lock: the case is written at once
    (gate / "go").touch()
    applying.join(timeout=90)
    writer.join(timeout=90)
    assert len(cases) == 1 and len(errors) == 1, errors
    with open_test_store(counter["db"], tmp_path, migrate=False) as store:
        assert store.get(cases[0]) is not None  # the other counter's case is there
    return errors, cases[0]


def test_a_transactional_migration_failing_while_a_counter_writes_keeps_the_case(
    tmp_path: Path, counter: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors, _case = _during_migration(tmp_path, counter, monkeypatch, LOCKED_THEN_FAIL)
    err = errors[0]
    assert isinstance(err, update.UpdateError) and err.kind == "migration"
    assert "left unchanged" in str(err)
    assert "half_done" not in tables(counter["db"])
    assert update.blocked(counter["data"]) is None


def test_a_half_done_migration_after_another_counter_wrote_is_not_restored_and_stops(
    tmp_path: Path, counter: dict, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    errors, case = _during_migration(tmp_path, counter, monkeypatch, HALF_THEN_FAIL)
    err = errors[0]
    assert isinstance(err, update.UpdateError) and err.kind == "blocked"
    assert "cases" in str(err) and "update unblock" in str(err)
    assert "half_done" in tables(counter["db"])  # left for IT to look at, with the case
    # The program stops: applying again (every start) refuses until IT unblocks.
    with pytest.raises(update.UpdateError) as again:
        update.apply_staged(counter["data"], counter["db"])
    assert again.value.kind == "blocked"
    monkeypatch.setenv("COUNTER_APP_DATA", str(counter["data"]))
    assert main(["update", "status"]) == 1
    status = json.loads(capsys.readouterr().out)
    assert status["blocked"]["version"] == "0.2.0" and status["last"]["kind"] == "blocked"
    assert main(["update", "unblock"]) == 0
    capsys.readouterr()
    assert update.blocked(counter["data"]) is None
    con = sqlite3.connect(counter["db"].removeprefix("sqlite:///"))
    try:
        assert con.execute("SELECT count(*) FROM cases WHERE id = ?", (case,)).fetchone() == (1,)
    finally:
        con.close()


def test_releases_go_to_the_machine_s_program_folder_on_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from counter_app.update_files import RELEASES_ENV, releases_dir

    monkeypatch.delenv(RELEASES_ENV, raising=False)
    data = tmp_path / "clerk" / "data"
    program_data = r"C:\ProgramData"
    windows = releases_dir(data, system="win32", frozen=True, program_data=program_data)
    assert str(windows).replace("\\", "/").endswith("ProgramData/counter-app/releases")
    assert data not in windows.parents  # not the clerk's folder
    assert releases_dir(data, system="win32", frozen=False) == data / "versions"  # from source
    assert releases_dir(data, system="linux", frozen=True) == data / "versions"
    monkeypatch.setenv(RELEASES_ENV, str(tmp_path / "machine"))
    assert releases_dir(data) == tmp_path / "machine"


def test_a_machine_folder_holds_the_release_and_the_user_folder_data_only(
    tmp_path: Path, counter: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from counter_app.update_files import RELEASES_ENV

    machine = tmp_path / "ProgramData" / "counter-app" / "releases"
    monkeypatch.setenv(RELEASES_ENV, str(machine))
    _publish(counter, tmp_path, "0.2.0")
    assert _check(counter, installed="0.1.0") is not None
    assert update.apply_staged(counter["data"], counter["db"]) is not None
    assert (machine / "0.2.0" / "counter-app").is_file()
    assert update_release.verify_release(counter["data"]).ok
    user_files = {p.relative_to(counter["data"]).parts[0] for p in counter["data"].rglob("*")} \
        if counter["data"].exists() else set()
    assert user_files <= {"backups"}  # the database's backup is data; no program file
