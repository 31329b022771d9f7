"""Updates that cannot be forged, lost or stop an office (The Update Framework, python-tuf).

The district serves a TUF repository (:mod:`counter_app.update_district`):
``metadata/`` and ``targets/`` with the releases (``counter-app-VERSION.zip``)
and one signed entry per channel (``latest.json`` for the office,
``latest-pilot.json`` for the pilot counters). A counter trusts the root
metadata installed with the program (``district-keys/update-root.json``, or
``COUNTER_APP_UPDATE_ROOT``) at ``district-keys/update-url.txt`` or
``COUNTER_APP_UPDATE_URL``; its channel is ``district-keys/update-channel.txt``
or ``COUNTER_APP_UPDATE_CHANNEL`` (default ``office``).

``update check`` refreshes the metadata; TUF checks every signature, hash,
length, expiry and version, and each refusal is named (:data:`KINDS`:
expired, tampered, unreachable, rolled back...). A release newer than the
running one, or an older one the district signed as a rollback, is unpacked
into the machine's releases folder (:func:`counter_app.update_files.releases_dir`)
with a manifest of its files and *staged*.

``update apply`` (the program itself, at the next start) backs the database
up and has the new release migrate it (``NEW/counter-app db upgrade``: one
transaction, see :func:`records.db.upgrade`); a failure is undone without
losing a case (:mod:`counter_app.update_db`). :func:`verify_release` checks
the release handed over to at every start against its signed installation.
The last outcome is kept for ``update status``, ``doctor`` and the fleet.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import subprocess
import sys
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from counter_app import __version__
from counter_app.signing import installed_key_dirs
from counter_app.update_files import hash_tree, read_json, unpack, write_json
from counter_app.update_files import releases_dir as _state_dir
from decoding.errors import CounterError
from records.fleet import newer, version_problem

log = logging.getLogger(__name__)

ROOT_ENV = "COUNTER_APP_UPDATE_ROOT"
URL_ENV = "COUNTER_APP_UPDATE_URL"
CHANNEL_ENV = "COUNTER_APP_UPDATE_CHANNEL"
LATEST = "latest.json"
CHANNELS = ("pilot", "office")
ROLES = ("root", "targets", "snapshot", "timestamp")
# The timestamp is re-signed daily by ``update refresh``; a week without it is the
# most a counter goes on trusting the last one (an attacker replaying old metadata
# can hide new releases for at most that long).
EXPIRY_DAYS = {"root": 365, "targets": 90, "snapshot": 30, "timestamp": 7}
EXE_NAME = "counter-app.exe" if sys.platform == "win32" else "counter-app"

# Every way an update fails, named for IT (``update status``, ``doctor``, the fleet).
KINDS = {
    "expired": "유효 기간 만료 (update refresh)",
    "tampered": "변조",
    "unreachable": "저장소 연결 안 됨",
    "rolled-back": "오래된 정보 재전송 (되돌리기 공격)",
    "bad-signature": "서명 불일치",
    "refused": "거부",
    "not-configured": "설정 안 됨",
    "migration": "데이터베이스 변환 실패",
    "blocked": "정지: 데이터베이스 확인 필요",
}


class UpdateError(CounterError):
    """An update was refused or failed, in Korean and English for IT.

    ``kind`` is one of :data:`KINDS` (``code``: ``UPDATE_`` and the kind).
    """

    def __init__(self, message: str, *, kind: str = "refused") -> None:
        self.kind = kind
        self.code = "UPDATE_" + kind.upper().replace("-", "_")
        super().__init__(message)


def latest_name(channel: str) -> str:
    """The channel's signed entry: ``latest.json`` (office) or ``latest-pilot.json``."""
    return LATEST if channel == "office" else f"latest-{channel}.json"


def update_channel() -> str:
    """``pilot`` or ``office`` (default): COUNTER_APP_UPDATE_CHANNEL or district-keys/update-channel.txt."""
    value = os.environ.get(CHANNEL_ENV)
    if not value:
        for folder in installed_key_dirs():
            if (folder / "update-channel.txt").is_file():
                value = (folder / "update-channel.txt").read_text(encoding="utf-8").strip()
                break
    return value if value in CHANNELS else "office"


# -- the counter ----------------------------------------------------------------


def trust_root() -> Path | None:
    """The installed root wins over ``COUNTER_APP_UPDATE_ROOT`` (as the district keys do)."""
    for folder in installed_key_dirs():
        if (folder / "update-root.json").is_file():
            return folder / "update-root.json"
    env = os.environ.get(ROOT_ENV)
    return Path(env) if env else None


def repository_url() -> str | None:
    env = os.environ.get(URL_ENV)
    if env:
        return env
    for folder in installed_key_dirs():
        if (folder / "update-url.txt").is_file():
            return (folder / "update-url.txt").read_text(encoding="utf-8").strip() or None
    return None


@dataclass(frozen=True)
class Staged:
    version: str
    path: Path
    rollback: bool = False  # the district sent counters back to this (older) release

    @property
    def executable(self) -> Path:
        return self.path / EXE_NAME


def staged(data_dir: Path) -> Staged | None:
    data = read_json(_state_dir(data_dir) / "staged.json")
    if not data:
        return None
    return Staged(str(data["version"]), Path(data["path"]), bool(data.get("rollback")))


def read_current(data_dir: Path) -> Staged | None:
    """``current.json``: the version made current by :func:`apply_staged` (None: the
    installed program). Anyone who can write the data folder can write it, so it is
    checked, not trusted: a JSON object naming a valid version whose folder is the one
    the update unpacked into; else :class:`UpdateError`, never a traceback."""
    path = _state_dir(data_dir) / "current.json"
    if not path.exists():
        return None
    data = read_json(path)
    if data is None:
        raise UpdateError(f"{path} 파일이 손상되었습니다. 설치된 버전으로 시작합니다 / "
                          f"{path} is damaged; starting the installed version", kind="tampered")
    version = data.get("version")
    if not isinstance(version, str) or version_problem(version) is not None:
        raise UpdateError(f"{path} 에 올바른 버전이 없습니다. 설치된 버전으로 시작합니다 / "
                          f"{path} names no valid version; starting the installed version",
                          kind="tampered")
    folder = _state_dir(data_dir) / version
    named = data.get("path")
    if not isinstance(named, str) or Path(named).resolve() != folder.resolve():
        raise UpdateError(f"{path} 이(가) 업데이트 폴더가 아닌 곳을 가리킵니다. 설치된 버전으로 시작합니다 / "
                          f"{path} points outside the update folder; starting the installed version",
                          kind="tampered")
    return Staged(version, folder, bool(data.get("rollback")))


def current(data_dir: Path) -> Staged | None:
    """The version made current (None: the installed program, also when current.json is
    damaged: :func:`handover` says so at start)."""
    try:
        return read_current(data_dir)
    except UpdateError:
        return None


def _runs(cur: Staged | None) -> bool:
    """A current.json that is not the installed program: newer, or a signed rollback."""
    return cur is not None and cur.version != __version__ and (
        cur.rollback or newer(cur.version, __version__)
    )


def running_version(data_dir: Path) -> str:
    cur = current(data_dir)
    return cur.version if cur is not None and _runs(cur) else __version__


# -- what happened last: ``update status``, ``doctor`` and the fleet read it --------


def _record(data_dir: Path, action: str, error: UpdateError | None, version: str | None) -> None:
    with suppress(OSError):
        write_json(_state_dir(data_dir) / "last.json", {
            "action": action, "ok": error is None, "kind": error.kind if error else None,
            "message": str(error)[:500] if error else "", "version": version,
            "at": _now().isoformat(),
        })


def last_result(data_dir: Path) -> dict[str, Any] | None:
    """The last check or apply: action, ok, kind (see :data:`KINDS`), message, version, at."""
    return read_json(_state_dir(data_dir) / "last.json")


def blocked(data_dir: Path) -> dict[str, Any] | None:
    """Set when a failed migration could not be undone without losing what was written since."""
    return read_json(_state_dir(data_dir) / "blocked.json")


def state(data_dir: Path) -> dict[str, Any]:
    """The update state of this counter, one dict for ``update status``, doctor and the heartbeat."""
    st, stop = staged(data_dir), blocked(data_dir)
    failed = read_json(_state_dir(data_dir) / "failed.json")
    return {
        "installed": __version__,
        "running": running_version(data_dir),
        "staged": st.version if st else None,
        "channel": update_channel(),
        "last": last_result(data_dir),
        "failed": failed,
        "blocked": stop,
    }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


# -- check: download, verify, stage ------------------------------------------------


def check(
    data_dir: Path,
    url: str | None = None,
    root: Path | None = None,
    *,
    installed: str | None = None,
    channel: str | None = None,
) -> Staged | None:
    """Refresh, verify and stage the channel's release; None when there is nothing to do.

    A newer release is staged; an older one only when the district signed it as
    a rollback. Raises :class:`UpdateError` (with its ``kind``) for anything TUF
    or the version check refuses; the outcome is kept for ``update status``.
    """
    try:
        result = _check(data_dir, url, root, installed or running_version(data_dir),
                        channel or update_channel())
    except UpdateError as exc:
        _record(data_dir, "check", exc, None)
        raise
    _record(data_dir, "check", None, result.version if result else None)
    return result


def _fetch(updater: Any, name: str, downloads: Path) -> Path:
    info = updater.get_targetinfo(name)
    if info is None:
        raise UpdateError(f"{name}: 서명된 목록에 없습니다 / not in the signed targets")
    return Path(updater.download_target(info, str(downloads / name)))


def _check(
    data_dir: Path, url: str | None, root: Path | None, installed: str, channel: str
) -> Staged | None:
    from tuf.api import exceptions as tuf_errors
    from tuf.ngclient import Updater

    url = url or repository_url()
    root = root or trust_root()
    if not url or root is None:
        raise UpdateError(
            "업데이트 저장소가 설정되지 않았습니다 / no update repository configured "
            f"({URL_ENV}, {ROOT_ENV})",
            kind="not-configured",
        )
    state_dir = _state_dir(data_dir)
    metadata_dir, downloads = state_dir / "metadata", state_dir / "downloads"
    metadata_dir.mkdir(parents=True, exist_ok=True)
    downloads.mkdir(parents=True, exist_ok=True)
    try:
        anchor = json.loads(root.read_text(encoding="utf-8"))
        if anchor.get("signed", {}).get("_type") != "root":
            raise ValueError("not a TUF root")
    except (OSError, ValueError, AttributeError) as exc:
        raise UpdateError(
            f"{root}: 업데이트 신뢰 파일(update-root.json)을 읽을 수 없습니다 / "
            f"cannot read the trusted update root: {exc}",
            kind="not-configured",
        ) from exc
    cached = read_json(metadata_dir / "root.json")
    if not cached or cached.get("signed", {}).get("_type") != "root":
        shutil.copyfile(root, metadata_dir / "root.json")  # first run, or a damaged copy
    base = url.rstrip("/")
    try:
        updater = Updater(
            metadata_dir=str(metadata_dir),
            metadata_base_url=f"{base}/metadata/",
            target_dir=str(downloads),
            target_base_url=f"{base}/targets/",
            bootstrap=None,
        )
        updater.refresh()
        entry_name = latest_name(channel)
        if updater.get_targetinfo(entry_name) is None:
            if channel == "office" or updater.get_targetinfo(LATEST) is None:
                return None
            entry_name = LATEST  # nothing for the pilots alone: the office's release
        latest = json.loads(_fetch(updater, entry_name, downloads).read_text(encoding="utf-8"))
        if not isinstance(latest, dict):
            raise ValueError(f"{entry_name} is not an object")
        version, name = str(latest["version"]), str(latest["archive"])
        rollback = latest.get("rollback") is True
        # Signed, yet still checked: the version names a folder, the archive a file.
        problem = version_problem(version)
        if problem is not None or name != f"counter-app-{version}.zip":
            raise UpdateError(
                f"저장소의 최신 버전 정보가 잘못되었습니다 / the repository's latest entry is not "
                f"a version and its archive: {version[:40]!r}, {name[:60]!r}"
            )
        if version == installed:
            return None
        if not newer(version, installed) and not rollback:
            raise UpdateError(
                f"저장소의 버전 {version} 이 설치된 {installed} 보다 오래되어 설치하지 않습니다 / "
                f"the repository offers {version}, older than the installed {installed}: refused"
            )
        archive = _fetch(updater, name, downloads)
        signed = updater.get_targetinfo(name)
    except tuf_errors.ExpiredMetadataError as exc:
        raise UpdateError(
            "업데이트 정보의 유효 기간이 지났습니다 (저장소에서 update refresh 필요, 재전송 공격일 수 "
            f"있음) / expired update metadata (the district must run update refresh): {exc}",
            kind="expired",
        ) from exc
    except tuf_errors.BadVersionNumberError as exc:  # also EqualVersionNumberError
        raise UpdateError(
            "이전에 받은 것보다 오래된 업데이트 정보입니다(되돌리기 공격) / rolled-back update "
            f"metadata: {exc}",
            kind="rolled-back",
        ) from exc
    except (tuf_errors.LengthOrHashMismatchError, tuf_errors.DownloadLengthMismatchError) as exc:
        # A byte appended to a file is a length mismatch *while downloading*: tampering too.
        raise UpdateError(
            "내려받은 파일이 서명과 다릅니다(변조) / a downloaded file does not match its "
            f"signature (tampered): {exc}",
            kind="tampered",
        ) from exc
    except tuf_errors.RepositoryError as exc:
        raise UpdateError(
            f"업데이트 정보의 서명이 맞지 않습니다(변조) / bad update metadata (tampered): {exc}",
            kind="bad-signature",
        ) from exc
    except tuf_errors.DownloadError as exc:
        raise UpdateError(
            f"업데이트 저장소에 연결할 수 없습니다 / cannot reach {base}: {exc}",
            kind="unreachable",
        ) from exc
    except (OSError, ValueError, KeyError) as exc:
        raise UpdateError(f"업데이트를 받지 못했습니다 / update failed: {exc}") from exc
    try:
        target = unpack(state_dir, version, archive)
    except ValueError as exc:
        raise UpdateError(
            f"{name}: 압축 파일을 풀 수 없습니다 / cannot unpack the archive: {exc}",
            kind="tampered" if "unsafe" in str(exc) else "refused",
        ) from exc
    write_json(state_dir / f"{version}.manifest.json", {
        "version": version, "archive": name, "path": str(target),
        "archive_sha256": signed.hashes.get("sha256") if signed else None,
        "files": hash_tree(target),
    })
    result = Staged(version, target, rollback)
    write_json(
        state_dir / "staged.json", {"version": version, "path": str(target), "rollback": rollback}
    )
    (state_dir / "failed.json").unlink(missing_ok=True)
    return result


# -- the release handed over to at start ------------------------------------------


@dataclass(frozen=True)
class Applied:
    version: str
    backup: Path | None


def apply_staged(data_dir: Path, database_url: str, *, timeout: float = 600) -> Applied | None:
    """Back up, migrate with the staged release, then make it current; None when nothing is staged.

    A failed migration is undone by the database's own transaction; the backup
    is put back only when nothing was written since (:mod:`counter_app.update_db`).
    When it cannot be, nothing is restored, the update is *blocked* and
    :class:`UpdateError` (kind ``blocked``) says so: the program must stop.
    """
    try:
        applied = _apply(data_dir, database_url, timeout)
    except UpdateError as exc:
        _record(data_dir, "apply", exc, None)
        raise
    if applied is not None:
        _record(data_dir, "apply", None, applied.version)
    return applied


def _apply(data_dir: Path, database_url: str, timeout: float) -> Applied | None:
    from counter_app.update_db import after_failed_migration, backup_database

    state_dir = _state_dir(data_dir)
    stop = blocked(data_dir)
    if stop is not None:
        raise UpdateError(str(stop.get("message")), kind="blocked")
    st = staged(data_dir)
    if st is None:
        return None
    running = running_version(data_dir)
    if st.version == running or (not st.rollback and not newer(st.version, running)):
        (state_dir / "staged.json").unlink(missing_ok=True)
        return None
    from counter_app.update_release import verify_release  # it reads this module's state

    verdict = verify_release(data_dir, st)
    if not verdict.ok or not st.executable.is_file():
        _fail(state_dir, st, "; ".join(verdict.problems) or "실행 파일이 없습니다 / no executable")
    backup = backup_database(database_url, data_dir / "backups", st.version)
    env = {**os.environ, "COUNTER_APP_LAUNCHED": "1"}
    try:
        done = subprocess.run(
            [str(st.executable), "db", "upgrade", "--db", database_url],
            capture_output=True, text=True, timeout=timeout, env=env, check=False,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),  # no console flashes up
        )
        ok, why = done.returncode == 0, (done.stdout + done.stderr).strip()[-500:]
    except (OSError, subprocess.TimeoutExpired) as exc:
        ok, why = False, str(exc)
    if not ok:
        undo = after_failed_migration(database_url, backup) if backup is not None else None
        if undo is not None and undo.kind == "blocked":
            message = (
                f"새 버전 {st.version} 의 데이터베이스 변환이 중간에 실패했고, 그 뒤 다른 창구가 "
                f"기록했습니다. 백업({backup})으로 되돌리면 그 기록이 사라지므로 되돌리지 않았습니다. "
                "프로그램을 멈춥니다: 전산 담당자가 데이터베이스를 확인한 뒤 "
                "'counter-app update unblock' 을 실행하세요 / "
                f"the migration of {st.version} failed half-way and other counters wrote since "
                f"the backup {backup}: restoring it would erase their cases, so nothing was "
                "restored. The program stops: IT must check the database, then run "
                f"'counter-app update unblock'. ({undo.detail}) {why}"
            )
            write_json(state_dir / "blocked.json", {"version": st.version, "message": message,
                        "backup": str(backup), "at": _now().isoformat()})
            (state_dir / "staged.json").unlink(missing_ok=True)
            raise UpdateError(message, kind="blocked")
        _fail(state_dir, st, why, undo.kind if undo is not None else "untouched")
    write_json(state_dir / "current.json", {
        "version": st.version, "path": str(st.path), "rollback": st.rollback,
        "backup": str(backup) if backup else None,
    })
    (state_dir / "staged.json").unlink(missing_ok=True)
    return Applied(st.version, backup)


def _fail(state_dir: Path, st: Staged, why: str, undo: str = "untouched") -> NoReturn:
    write_json(
        state_dir / "failed.json", {"version": st.version, "reason": why, "at": _now().isoformat()}
    )
    (state_dir / "staged.json").unlink(missing_ok=True)
    done = (
        ("데이터베이스는 백업에서 되돌렸고", "the database was restored from its backup")
        if undo == "restored"
        else ("데이터베이스는 바뀌지 않았고", "the database was left unchanged")
    )
    raise UpdateError(
        f"새 버전 {st.version} 을 적용하지 않았습니다. {done[0]}, 지금 버전이 계속 동작합니다 / "
        f"{st.version} was not applied: {done[1]} and the current version keeps working. {why}",
        kind="migration",
    )


def unblock(data_dir: Path) -> dict[str, Any] | None:
    """IT has checked the database after a blocked update: let the counter start again."""
    stop = blocked(data_dir)
    (_state_dir(data_dir) / "blocked.json").unlink(missing_ok=True)
    return stop


def handover(argv: list[str]) -> int | None:
    """At the start of the bundled program: apply a staged update, then run the current version.

    Returns the exit code of the release that ran (or of the refusal), None to
    go on in this one. Only the window (``run``, or no arguments) applies
    updates; a failure is logged and the installed version starts as before,
    except a *blocked* update, which stops the window until IT unblocks it. The
    release handed over to is checked against its signed installation first.
    """
    if not getattr(sys, "frozen", False) or os.environ.get("COUNTER_APP_LAUNCHED"):
        return None
    from counter_app.config import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError:
        return None  # the window says what is wrong with the configuration
    window = not argv or argv[0] == "run"
    if window:
        from counter_app import logfile

        with suppress(OSError):
            logfile.install(settings.data_dir)
        try:
            apply_staged(settings.data_dir, settings.database_url)
        except UpdateError as exc:
            log.error("%s", exc)
            print(f"counter-app: {exc}", file=sys.stderr)
            if exc.kind == "blocked":
                return 3
    try:
        cur = read_current(settings.data_dir)
    except UpdateError as exc:  # a damaged or edited current.json: said, the installed one starts
        log.error("%s", exc)
        print(f"counter-app: {exc}", file=sys.stderr)
        return None
    if cur is None or not _runs(cur) or not cur.executable.is_file():
        return None
    from counter_app.update_release import verify_release  # it reads this module's state

    verdict = verify_release(settings.data_dir, cur)
    if not verdict.ok:
        log.error("release %s refused at start: %s", cur.version, "; ".join(verdict.problems))
        print(f"counter-app: {cur.version} 이(가) 서명된 업데이트와 맞지 않습니다 / does not match "
              f"the signed update: {'; '.join(verdict.problems)}", file=sys.stderr)
        return None  # the installed program starts; doctor and the fleet show why
    env = {**os.environ, "COUNTER_APP_LAUNCHED": "1"}
    # counter-window.exe hands over to the release's counter-window.exe: no console appears.
    same = cur.path / Path(sys.executable).name
    program = same if same.is_file() and same.name != EXE_NAME else cur.executable
    return subprocess.call([str(program), *argv], env=env)
