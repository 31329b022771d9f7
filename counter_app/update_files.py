"""Where releases live on a counter PC, and the small files of the update state.

Releases are program files: on Windows (the installed bundle) they are
unpacked into the machine's program folder, ``%ProgramData%\\counter-app\\releases``,
which the installer makes writable by administrators only; the machine's
update task (``counter-app update check``, run as SYSTEM by the scheduled task
the MSI registers, see the README) stages them there, and every user of the PC
runs the same verified release. A clerk's own folders hold data only. Running
from source (and on Linux) the state stays in ``DATA/versions``.
``COUNTER_APP_RELEASES`` names another folder (tests, a locked-down image).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import zipfile
from pathlib import Path
from typing import Any

from records.atomic import atomic_write

RELEASES_ENV = "COUNTER_APP_RELEASES"


def releases_dir(
    data_dir: Path, *, system: str | None = None, frozen: bool | None = None,
    program_data: str | None = None,
) -> Path:
    """The folder of the releases and the update state (see the module docstring).

    ``system``, ``frozen`` and ``program_data`` default to this PC's (tests switch them).
    """
    env = os.environ.get(RELEASES_ENV)
    if env:
        return Path(env)
    system = system or sys.platform
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    if system == "win32" and frozen:
        base = program_data or os.environ.get("PROGRAMDATA") or r"C:\ProgramData"
        return Path(base) / "counter-app" / "releases"
    return data_dir / "versions"


def read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def write_json(path: Path, data: dict[str, Any]) -> None:
    atomic_write(path, json.dumps(data, ensure_ascii=False), make_parents=True)


def unpack(state_dir: Path, version: str, archive: Path, exe_name: str = "") -> Path:
    """Unpack a verified archive into ``state_dir/version``; ValueError when it cannot be."""
    from counter_app.update import EXE_NAME

    target = state_dir / version
    tmp = state_dir / f".{version}.unpacking"
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        with zipfile.ZipFile(archive) as zf:
            for member in zf.namelist():
                if member.startswith("/") or ".." in Path(member).parts:
                    raise ValueError(f"unsafe path {member} / 잘못된 경로")
            zf.extractall(tmp)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ValueError(str(exc)) from exc
    exe = tmp / (exe_name or EXE_NAME)
    if exe.exists():
        exe.chmod(0o755)
    if target.exists():
        shutil.rmtree(target)
    os.replace(tmp, target)
    return target


def hash_tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (POSIX relative names) with its SHA-256."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            out[p.relative_to(folder).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out
