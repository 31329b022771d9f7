"""One SQLite file, one counter PC: a database shared by several PCs is refused at start.

SQLite keeps a case safe on the PC's own disk, with its own locks. Shared by
several counters over a network drive its locks do not hold (SMB and NFS
break them) and one PC's update or crash can cost another's cases; an office
with several counters runs PostgreSQL (README: "여러 창구 / several counters").
:func:`shared_sqlite` says why a database is refused: its file is on a
network drive (a UNC path, a mapped drive that Windows reports as remote, an
NFS or SMB mount), or another PC sent a heartbeat into it within a day.
"""

from __future__ import annotations

import ctypes
import platform
import sys
from pathlib import Path, PurePath, PureWindowsPath

from records.fleet import SharedDatabase

NETWORK_FS = ("nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "afs", "ncpfs")
DRIVE_REMOTE = 4  # GetDriveTypeW


def _windows_drive_is_remote(root: str) -> bool:  # pragma: no cover - Windows only
    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return False
    return int(windll.kernel32.GetDriveTypeW(root)) == DRIVE_REMOTE


def network_location(path: PurePath, system: str | None = None, mounts: str | None = None) -> str:
    """Why ``path`` is on a network drive ("" when it is local).

    ``system`` (``sys.platform``) and ``mounts`` (``/proc/mounts``) are there so
    both platforms' rules are tested on either.
    """
    system = system or sys.platform
    if system == "win32":
        win = PureWindowsPath(path)
        if win.drive.startswith(("\\\\", "//")):
            return f"네트워크 경로 / a network path ({win.drive})"
        if win.drive and _windows_drive_is_remote(win.drive + "\\"):
            return f"네트워크 드라이브 / a network drive ({win.drive})"
        return ""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8")
        except OSError:
            return ""
    best, fs = "", ""
    text = str(path)
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = text == point or text.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, fs = point, parts[2]
    if fs in NETWORK_FS:
        return f"네트워크 파일 시스템 / a network file system ({fs} at {best})"
    return ""


def shared_sqlite(url: str, host: str | None = None) -> SharedDatabase | None:
    """The refusal for a SQLite ``url`` several counters share, or None (also for a server)."""
    from records import db
    from records.errors import RecordsError
    from records.fleet import other_hosts

    db_file = db.sqlite_path(url)
    if db_file is None:
        return None
    where = network_location(db_file.absolute())
    others: list[str] = []
    if not where:
        if not db_file.is_file():
            return None  # made at the first start, on this PC
        engine = db.make_engine(url, busy_timeout=5)
        try:
            with db.read_session(engine, url) as session:
                others = other_hosts(session, host or platform.node() or "?")
        except RecordsError:
            others = []  # no fleet table yet (an old schema): nobody else has been here
        finally:
            engine.dispose()
        if not others:
            return None
        where = "다른 PC도 사용 중 / also used by " + ", ".join(others[:5])
    return SharedDatabase(
        f"SQLite 데이터베이스 {db_file} 는 한 PC에서만 써야 합니다: {where}. 여러 창구가 "
        "함께 쓰면 잠금이 지켜지지 않아 접수가 사라질 수 있습니다. PostgreSQL 서버를 쓰도록 "
        "설정하세요 (README: 여러 창구).",
        f"The SQLite database {db_file} is for one PC only: {where.split(' / ')[-1]}. Shared "
        "by several counters its locks do not hold and cases can be lost: configure the "
        "office's PostgreSQL server instead (README: several counters).",
        {"database": str(db_file), "others": others},
    )
