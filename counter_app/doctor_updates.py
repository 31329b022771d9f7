"""Doctor checks for IT's side of a counter: one PC per SQLite file, and the update state.

Kept beside :mod:`counter_app.doctor` (which runs them); like every check they
never raise and never create what they look at.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from counter_app.config import Settings
from counter_app.doctor import FAIL, OK, WARN, Check


def check_sharing(settings: Settings) -> Check:
    from counter_app.shared_db import shared_sqlite
    from records.db import sqlite_path

    title = "데이터베이스 공유 / one PC per SQLite file"
    if sqlite_path(settings.database_url) is None:
        return Check("sharing", title, OK, "PostgreSQL 서버 / an office server")
    refusal = shared_sqlite(settings.database_url)
    if refusal is not None:
        return Check(
            "sharing", title, FAIL, f"{refusal.message_ko} / {refusal.message_en}",
            "여러 창구는 PostgreSQL 서버를 쓰세요 (README: 여러 창구) / "
            "several counters need PostgreSQL (README: several counters)",
        )
    return Check("sharing", title, OK, "이 PC만 사용 / used by this PC only")


def check_updates(settings: Settings) -> Check:
    from counter_app import update, update_release

    title = "업데이트 / updates"
    st = update.state(settings.data_dir)
    release = update_release.verify_release(settings.data_dir)
    running = f"{st['running']} ({st['channel']})"
    if st["blocked"]:
        return Check(
            "updates", title, FAIL, str(st["blocked"].get("message", ""))[:400],
            "데이터베이스를 확인한 뒤 counter-app update unblock / check the database, "
            "then run counter-app update unblock",
        )
    if not release.ok:
        return Check(
            "updates", title, FAIL,
            f"{release.version}: 서명된 설치와 다릅니다 / not the signed installation: "
            + "; ".join(release.problems),
            "counter-app update check 로 다시 받으세요 / run counter-app update check again",
        )
    last = st["last"] or {}
    if last and not last.get("ok"):
        kind = str(last.get("kind"))
        return Check(
            "updates", title, WARN,
            f"{running}: 마지막 {last.get('action')} 실패 — {update.KINDS.get(kind, kind)} / "
            f"last {last.get('action')} failed ({kind}) at {last.get('at')}",
            "counter-app update status 를 보세요 / see counter-app update status",
        )
    staged = f", 다음 시작 때 {st['staged']} 적용 / {st['staged']} applied at the next start" \
        if st["staged"] else ""
    if not last:
        return Check("updates", title, OK, f"{running}: 아직 확인 안 함 / not checked yet{staged}")
    return Check("updates", title, OK, f"{running}: {last.get('action')} ok {last.get('at')}{staged}")


def _read_hklm(name: str) -> str:  # pragma: no cover - Windows only
    import importlib

    winreg: Any = importlib.import_module("winreg")
    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"Software\counter-app") as key:
            value, _kind = winreg.QueryValueEx(key, name)
    except OSError:
        return ""
    return str(value or "")


def check_install(
    settings: Settings, system: str | None = None, read: Callable[[str], str] | None = None
) -> Check | None:
    """What the MSI was told (OFFICE, DATABASE under HKLM\\Software\\counter-app) against the
    signed configuration; None where there is no MSI (not Windows, or installed otherwise)."""
    if (system or sys.platform) != "win32":
        return None
    read = read or _read_hklm
    given = {name: read(name) for name in ("office", "database", "keys")}
    if not any(given.values()):
        return None
    title = "설치 속성 / MSI properties"
    differ = []
    if given["office"] and given["office"] != settings.office:
        differ.append(f"OFFICE={given['office']} ≠ {settings.office}")
    if given["database"] and given["database"] != settings.database_url:
        differ.append("DATABASE ≠ database")
    if differ:
        return Check(
            "install", title, FAIL,
            "설치 때 준 값과 서명된 설정이 다릅니다 / the MSI's properties and the signed "
            "configuration differ: " + "; ".join(differ),
            "올바른 KEYS 폴더로 다시 설치하거나 설정을 다시 받으세요 / reinstall with the right "
            "KEYS folder, or get the right signed configuration",
        )
    return Check("install", title, OK, "설치 속성과 설정 일치 / the MSI's properties match")
