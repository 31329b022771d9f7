"""One PC per SQLite file: a shared database is refused at start and by doctor; doctor creates nothing."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from app.cli import main
from counter_app.config import Settings
from counter_app.doctor import run_doctor
from counter_app.intake import open_store
from counter_app.shared_db import network_location, shared_sqlite
from records.fleet import Beat, SharedDatabase, write_heartbeat
from tests.counter_app.test_doctor import by_id, counter, doctor

__all__ = ["counter"]  # fixture

MOUNTS = """/dev/sda1 / ext4 rw 0 0
//nas/민원 /mnt/office cifs rw 0 0
nas:/export /srv/nfs nfs4 rw 0 0
tmpfs /mnt/office/local tmpfs rw 0 0
"""


@pytest.mark.parametrize(("path", "system", "network"), [
    (PureWindowsPath(r"\\nas\민원\cases.db"), "win32", True),
    (PureWindowsPath("//nas/share/cases.db"), "win32", True),
    (PureWindowsPath(r"C:\ProgramData\counter-app\cases.db"), "win32", False),
    (PurePosixPath("/mnt/office/cases.db"), "linux", True),
    (PurePosixPath("/srv/nfs/a/cases.db"), "linux", True),
    (PurePosixPath("/mnt/office/local/cases.db"), "linux", False),  # a local mount inside
    (PurePosixPath("/mnt/officer/cases.db"), "linux", False),  # not the same folder
    (PurePosixPath("/home/clerk/cases.db"), "linux", False),
])
def test_network_drives_are_recognised(path: Path, system: str, network: bool) -> None:
    assert bool(network_location(path, system, MOUNTS)) is network


def _beat(host: str) -> Beat:
    return Beat(office="3210000", counter="민원2", host=host, version="0.1.0", config_hash="ab")


def test_a_sqlite_file_another_pc_uses_is_refused_at_start_and_by_doctor(
    counter: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'db' / 'cases.db'}"
    settings = Settings(data_dir=tmp_path / "data", database=url)
    assert shared_sqlite(url) is None
    with open_store(settings) as store:  # this PC's own heartbeat does not count
        store.write(lambda s: write_heartbeat(s, _beat(__import__("platform").node())))
    assert shared_sqlite(url) is None
    code, report = doctor(capsys, counter)
    assert by_id(report)["sharing"]["status"] == "ok"
    with open_store(settings) as store:
        store.write(lambda s: write_heartbeat(s, _beat("PC-민원2")))
    refusal = shared_sqlite(url)
    assert isinstance(refusal, SharedDatabase) and refusal.code == "DB_SHARED"
    assert "민원2@PC-민원2" in refusal.message_ko and "PostgreSQL" in refusal.message_en
    with pytest.raises(SharedDatabase):
        open_store(settings, refuse_shared=True)  # the counter window starting
    code, report = doctor(capsys, counter)
    sharing = by_id(report)["sharing"]
    assert code == 1 and sharing["status"] == "fail" and "PostgreSQL" in sharing["action"]


def test_doctor_creates_nothing_it_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    config = tmp_path / "counter.toml"
    config.write_text(f'data_dir = "{data.as_posix()}"\noffice = "3210000"\ncounter = "민원1"\n')
    report = run_doctor(config)
    assert not data.exists(), sorted(p.name for p in data.rglob("*"))
    assert by_id({"checks": [c.as_json() for c in report.checks]})["database"]["status"] == "warn"
    assert main(["update", "status", "--config", str(config)]) == 0
    capsys.readouterr()
    assert not data.exists()


def test_doctor_compares_the_msi_properties_with_the_signed_configuration(tmp_path: Path) -> None:
    from counter_app.doctor_updates import check_install

    settings = Settings(data_dir=tmp_path, office="3210000", database="postgresql+psycopg://db/cases")
    registry = {"office": "3210000", "database": "postgresql+psycopg://db/cases", "keys": "\\\\srv\\p\\"}
    assert check_install(settings, "linux", registry.get) is None  # no MSI there
    assert check_install(settings, "win32", lambda name: "") is None  # installed otherwise
    ok = check_install(settings, "win32", lambda name: registry.get(name, ""))
    assert ok is not None and ok.status == "ok"
    registry["office"] = "3220000"
    wrong = check_install(settings, "win32", lambda name: registry.get(name, ""))
    assert wrong is not None and wrong.status == "fail" and "OFFICE=3220000" in wrong.detail


def test_a_database_not_made_yet_is_not_refused(tmp_path: Path) -> None:
    assert shared_sqlite(f"sqlite:///{tmp_path / 'new' / 'cases.db'}") is None
    assert not (tmp_path / "new").exists()
