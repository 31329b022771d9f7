"""``counter-app doctor``: a line per check, and the broken things a real PC has."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from counter_app.doctor import run_doctor
from counter_app.signing import DISTRICT_KEY_ENV
from decoding.keys import generate_keypair


def doctor(capsys: pytest.CaptureFixture[str], config: Path, *extra: str) -> tuple[int, dict]:
    code = main(["doctor", "--json", "--config", str(config), *extra])
    return code, json.loads(capsys.readouterr().out)


def by_id(report: dict) -> dict[str, dict]:
    return {c["id"]: c for c in report["checks"]}


@pytest.fixture
def counter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A provisioned, signed counter folder with a migrated SQLite database."""
    k = tmp_path / "k"
    office, _, _ = generate_keypair(k, name="office")
    assert (
        main(["keys", "generate", "--kind", "ed25519", "--out", str(k), "--name", "district"]) == 0
    )
    (tmp_path / "c.csv").write_text("counter,scanners\n민원1,keyboard\n", encoding="utf-8")
    db = tmp_path / "db" / "cases.db"
    db.parent.mkdir()
    assert main(["db", "upgrade", "--db", f"sqlite:///{db}"]) == 0
    assert main(["provision", "--office", "3210000", "--counters", str(tmp_path / "c.csv"),
                 "--key", str(office), "--sign-key", str(k / "district.pem"),
                 "--database", f"sqlite:///{db}", "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    monkeypatch.setenv(DISTRICT_KEY_ENV, str(k / "district.pub.pem"))
    return tmp_path / "out" / "민원1" / "counter.toml"


def test_a_sound_counter_is_all_fine_in_text_and_json(
    counter: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = doctor(capsys, counter)
    checks = by_id(report)
    assert code == 0 and report["ok"] is True, report
    assert [c["id"] for c in report["checks"]] == [
        "config", "keys", "datakey", "database", "district", "devices", "font", "disk", "bundle",
        "sharing", "updates", "scanner",
    ]
    assert checks["scanner"]["status"] == "ok" and "not calibrated" in checks["scanner"]["detail"]
    assert checks["district"]["status"] == "ok" and "SQLite" in checks["district"]["detail"]
    assert checks["config"]["status"] == "ok" and "서명 확인" in checks["config"]["detail"]
    assert (
        checks["keys"]["status"] == "ok"
        and "decrypt a payload made here" in checks["keys"]["detail"]
    )
    assert checks["database"]["status"] == "ok" and "writable" in checks["database"]["detail"]
    assert checks["datakey"]["status"] == "warn"  # made at the first intake
    assert report["counter"] == "민원1" and len(report["config_hash"]) == 16
    assert main(["doctor", "--config", str(counter), "--no-heartbeat"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("counter-app ") and lines[-1].startswith("✓ 11  ! 1  ✗ 0")
    assert all(line[0] in "✓!✗" for line in lines[1:-1])


def test_broken_configuration(
    counter: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DISTRICT_KEY_ENV)  # unsigned: the TOML error itself is reported
    counter.write_text(counter.read_text() + "scanners = [oops\n", encoding="utf-8")
    code, report = doctor(capsys, counter)
    assert code == 1 and by_id(report)["config"]["status"] == "fail"
    assert "cannot read" in by_id(report)["config"]["detail"]
    assert {"font", "bundle"} <= set(
        by_id(report)
    )  # the checks that need no configuration still run


def test_changed_signed_configuration_is_named(
    counter: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    counter.write_text(counter.read_text().replace("민원1", "민원9"), encoding="utf-8")
    code, report = doctor(capsys, counter)
    assert code == 1
    assert "'counter.toml'" in by_id(report)["config"]["detail"]


def test_missing_key(
    counter: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DISTRICT_KEY_ENV)
    (counter.parent / "keys" / "office.pem").unlink()
    code, report = doctor(capsys, counter)
    keys = by_id(report)["keys"]
    assert code == 1 and keys["status"] == "fail" and "office.pem" in keys["detail"]
    assert keys["action"]


def test_unreachable_database(
    counter: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DISTRICT_KEY_ENV)
    text = counter.read_text().splitlines()
    text = [line for line in text if not line.startswith("database")]
    # Port 9 on the loopback: nothing listens, the connection is refused at once.
    text.append('database = "postgresql+psycopg://clerk:secret@127.0.0.1:9/cases"')
    counter.write_text("\n".join(text) + "\n", encoding="utf-8")
    code, report = doctor(capsys, counter)
    db = by_id(report)["database"]
    assert code == 1 and db["status"] == "fail" and "unreachable" in db["detail"]
    assert "secret" not in json.dumps(report)


def test_database_not_migrated(
    counter: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(DISTRICT_KEY_ENV)
    import sqlite3

    with contextlib.closing(sqlite3.connect(tmp_path / "db" / "cases.db")) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
        conn.commit()
    code, report = doctor(capsys, counter)
    assert code == 1 and "db upgrade" in by_id(report)["database"]["action"]


@contextlib.contextmanager
def small_disk(where: Path) -> Iterator[Path]:
    """A real, tiny file system (tmpfs) mounted at ``where``; skip when mounting is not allowed."""
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_full_disk(
    counter: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(DISTRICT_KEY_ENV)
    with small_disk(tmp_path / "full") as disk:
        with contextlib.suppress(OSError), (disk / "filler").open("wb") as fh:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        counter.write_text(
            counter.read_text() + f'data_dir = "{disk.as_posix()}"\n', encoding="utf-8"
        )
        code, report = doctor(capsys, counter, "--no-heartbeat")
    disk_check = by_id(report)["disk"]
    assert code == 1 and disk_check["status"] == "fail" and "full" in disk_check["detail"]


def test_damaged_bundle_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from counter_app import integrity

    bundle = tmp_path / "counter-app"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "_internal" / "a.so").write_bytes(b"x" * 100)
    (bundle / "_internal" / "b.py").write_text("print(1)")
    integrity.write(bundle)
    monkeypatch.setattr(integrity, "bundle_dir", lambda: bundle)
    assert (
        next(c for c in run_doctor(tmp_path / "none.toml").checks if c.id == "bundle").status
        == "ok"
    )
    (bundle / "_internal" / "a.so").write_bytes(b"y" * 100)
    os.remove(bundle / "_internal" / "b.py")
    check = next(c for c in run_doctor(tmp_path / "none.toml").checks if c.id == "bundle")
    assert check.status == "fail" and "a.so" in check.detail and "b.py" in check.detail


def test_the_window_s_background_sends_a_heartbeat(counter: Path, tmp_path: Path) -> None:
    """What `counter-app run` starts beside the window: the heartbeat lands in the fleet view."""
    import time

    from counter_app.heartbeat import start_background
    from records import db
    from records.fleet import fleet_status

    url = f"sqlite:///{tmp_path / 'db' / 'cases.db'}"
    background = start_background(counter)
    try:
        engine = db.make_engine(url)
        deadline = time.monotonic() + 30
        fleet = None
        while time.monotonic() < deadline:
            with db.read_session(engine, url) as s:
                fleet = fleet_status(s)
            if fleet.counters:
                break
            time.sleep(0.1)
        engine.dispose()
    finally:
        background.stop()
    assert fleet is not None and [c.counter for c in fleet.counters] == ["민원1"]
    assert fleet.counters[0].ok and len(fleet.counters[0].config_hash) == 16


def test_beside_the_window_cameras_are_not_opened_and_the_bundle_not_rehashed(
    counter: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from counter_app import doctor as doctor_module
    from counter_app.doctor import Check

    monkeypatch.delenv(DISTRICT_KEY_ENV)
    counter.write_text(counter.read_text() + 'seal_scanner = "camera:7"\n', encoding="utf-8")
    alone = {c.id: c for c in run_doctor(counter).checks}
    assert alone["devices"].status == "fail" and "camera:7" in alone["devices"].detail
    rehashed: list[int] = []
    monkeypatch.setattr(doctor_module, "check_bundle", lambda: rehashed.append(1) or alone["bundle"])
    earlier = Check("bundle", "프로그램 파일 / program files", "fail", "3 changed", "reinstall")
    beside = {c.id: c for c in run_doctor(counter, in_window=True, bundle=earlier).checks}
    assert beside["devices"].status == "ok" and "in use by the window" in beside["devices"].detail
    assert beside["bundle"] is earlier and rehashed == []


def test_a_refused_configuration_still_reports_to_the_fleet(
    counter: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from records.fleet import fleet_status
    from records.store import CaseStore

    counter.write_text(counter.read_text().replace("민원1", "민원9"), encoding="utf-8")
    code, report = doctor(capsys, counter)  # with its heartbeat
    assert code == 1 and by_id(report)["config"]["status"] == "fail"
    url = f"sqlite:///{tmp_path / 'db' / 'cases.db'}"
    with CaseStore(url, attachments_dir=tmp_path / "f", migrate=False) as store, store.read() as s:
        (row,) = fleet_status(s).counters
    assert row.counter == "민원9" and row.config_refused and "config-refused" in row.issues()


def test_the_heartbeat_carries_the_last_update_outcome(
    counter: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from counter_app import update, update_district
    from records.fleet import fleet_status
    from records.store import CaseStore

    monkeypatch.setenv(update.URL_ENV, "http://127.0.0.1:9")  # nothing listens there
    root = update_district.init_repository(tmp_path / "repo", tmp_path / "repo-keys")
    monkeypatch.setenv(update.ROOT_ENV, str(root))
    assert main(["update", "check", "--config", str(counter)]) == 1
    assert json.loads(capsys.readouterr().out)["kind"] == "unreachable"
    code, report = doctor(capsys, counter)
    assert code == 0 and by_id(report)["updates"]["status"] == "warn"  # works; look at it
    url = f"sqlite:///{tmp_path / 'db' / 'cases.db'}"
    with CaseStore(url, attachments_dir=tmp_path / "f", migrate=False) as store, store.read() as s:
        (row,) = fleet_status(s).counters
    assert row.update_failed and row.update_state == "unreachable"
    assert json.loads(row.update_detail)["action"] == "check"


def test_the_scanner_set_up_is_reported(
    counter: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`devices calibrate` learns and saves; doctor reports it, and a problem is a warning."""
    from decoding.calibration import TEST_PAYLOAD

    scan = tmp_path / "scan.txt"
    scan.write_text("]Q1" + TEST_PAYLOAD.translate(str.maketrans("YZ", "ZY")) + "#\n", "utf-8")
    assert main(["devices", "calibrate", "--config", str(counter), "--text-file", str(scan)]) == 0
    learned = json.loads(capsys.readouterr().out)
    assert learned["profile"]["prefix"] == "]Q1" and learned["profile"]["suffix"] == "#"
    scanner = by_id(doctor(capsys, counter)[1])["scanner"]
    assert scanner["status"] == "warn" and "Y→Z" in scanner["detail"] and "']Q1'" in scanner["detail"]
    scan.write_text("]Q1" + TEST_PAYLOAD + "\t\n", "utf-8")
    assert main(["devices", "calibrate", "--config", str(counter), "--text-file", str(scan)]) == 0
    capsys.readouterr()
    scanner = by_id(doctor(capsys, counter)[1])["scanner"]
    assert scanner["status"] == "ok" and "suffix Tab" in scanner["detail"]
    (Path(learned["saved"])).write_text("{broken", encoding="utf-8")
    scanner = by_id(doctor(capsys, counter)[1])["scanner"]
    assert scanner["status"] == "warn" and "calibrate again" in scanner["detail"]
