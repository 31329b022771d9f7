"""The version handed over to at start: checked against what the signed update installed.

``DATA/versions/current.json`` names the version the bundle starts instead of
itself. Anyone who can write the data folder can write that file, so at every
hand-over it is checked, not trusted:

* it is a JSON object naming a version (a clear :class:`UpdateError`
  otherwise, never a traceback), and its folder is ``DATA/versions/VERSION``,
  the folder :func:`counter_app.update.check` unpacked into, not any path;
* the archive that version came from (``versions/downloads``) is still the
  one the district signed: its length and hashes are checked against the
  cached TUF targets metadata, whose signatures are checked against the root
  installed with the program (or a newer root that one signed);
* the executable about to run is byte for byte the one in that archive.

A check that fails is logged and the installed program starts instead.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from counter_app.update import EXE_NAME, Staged, UpdateError, _state_dir, trust_root
from decoding.limits import TEXT_BYTES, read_bounded
from records.fleet import version_problem


def _refuse(ko: str, en: str) -> UpdateError:
    return UpdateError(f"{ko} 설치된 버전으로 시작합니다 / {en}; starting the installed version")


def read_current(data_dir: Path) -> Staged | None:
    """``current.json`` as a version and its folder; None when there is none."""
    path = _state_dir(data_dir) / "current.json"
    if not path.exists():
        return None
    try:
        data = json.loads(read_bounded(path, TEXT_BYTES).decode("utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise _refuse(f"{path} 파일이 손상되었습니다.", f"{path} is damaged ({exc})") from None
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, str) or version_problem(version) is not None:
        raise _refuse(f"{path} 에 올바른 버전이 없습니다.", f"{path} names no valid version")
    folder = _state_dir(data_dir) / version
    named = data.get("path")
    if not isinstance(named, str) or Path(named).resolve() != folder.resolve():
        raise _refuse(f"{path} 이(가) 업데이트 폴더가 아닌 곳을 가리킵니다.",
                      f"{path} points outside the update folder")  # fmt: skip
    return Staged(version, folder)


def _signed_targets(metadata_dir: Path) -> Any:
    """The cached targets metadata, its signatures checked against the installed root."""
    from tuf.api.metadata import Metadata, Root, Targets

    anchor_path = trust_root()
    if anchor_path is None:
        raise ValueError("no trusted update root is installed")
    anchor = Metadata[Root].from_bytes(read_bounded(anchor_path, TEXT_BYTES))
    cached = Metadata[Root].from_bytes(read_bounded(metadata_dir / "root.json", TEXT_BYTES))
    root = anchor
    if cached.signed.version > anchor.signed.version:
        anchor.verify_delegate("root", cached)  # a newer root the installed one signed
        root = cached
    targets = Metadata[Targets].from_bytes(read_bounded(metadata_dir / "targets.json", TEXT_BYTES))
    root.verify_delegate("targets", targets)
    return targets.signed


def verified_current(data_dir: Path) -> Staged | None:
    """The version to hand over to, checked as the module says; None: the installed one."""
    cur = read_current(data_dir)
    if cur is None:
        return None
    state = _state_dir(data_dir)
    name = f"counter-app-{cur.version}.zip"
    archive = state / "downloads" / name
    try:
        targets = _signed_targets(state / "metadata")
        info = targets.targets.get(name)
        if info is None:
            raise ValueError(f"{name} is not in the signed targets")
        with archive.open("rb") as f:
            info.verify_length_and_hashes(f)
        with zipfile.ZipFile(archive) as zf:
            signed_exe = zf.read(EXE_NAME)
        if read_bounded(cur.executable, max(len(signed_exe), 1)) != signed_exe:
            raise ValueError(f"{cur.executable} is not the one in the signed archive")
    except Exception as exc:  # TUF's, zipfile's and the OS's errors alike: never hand over
        raise _refuse(
            f"버전 {cur.version} 이(가) 서명된 업데이트와 맞지 않습니다.",
            f"version {cur.version} does not match the signed update ({exc})",
        ) from None
    return cur
