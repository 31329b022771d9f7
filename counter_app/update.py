"""Updates that cannot be forged or rolled back (The Update Framework, python-tuf).

The district hosts a plain folder of files on its own web server:
``metadata/`` (TUF's root, targets, snapshot and timestamp, each signed with
Ed25519) and ``targets/`` (``counter-app-VERSION.zip``, the one-folder bundle,
and ``latest.json``, which names the newest version). IT makes it with
``counter-app update init`` and adds a version with ``update publish``.

A counter trusts the repository's root metadata installed with the program
(``district-keys/update-root.json`` beside the executable, or the file named by
``COUNTER_APP_UPDATE_ROOT``); the address is ``district-keys/update-url.txt``
or ``COUNTER_APP_UPDATE_URL``. ``update check`` (also run in the background
when the window starts) refreshes the metadata, downloads ``latest.json`` and
the archive, and TUF checks every signature, hash, length, expiry date and
version number: a tampered file, expired metadata or metadata older than what
the counter has already seen is refused. A version that is not newer than the
running one is refused too. The verified archive is unpacked into
``DATA/versions/VERSION`` and recorded as *staged*.

``update apply`` (run by the program itself at the next start, before the
window) backs the case database up, runs the new version's own migrations
(``NEW/counter-app db upgrade``) and only then makes it current. When the
migrations fail, the SQLite database is put back from the backup (PostgreSQL
runs the migrations in one transaction, which rolls back), the staged version
is marked failed, and the old version goes on working.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from counter_app import __version__
from counter_app.signing import installed_key_dirs
from decoding.errors import CounterError
from records.atomic import atomic_path, atomic_write
from records.fleet import newer, version_problem

log = logging.getLogger(__name__)

ROOT_ENV = "COUNTER_APP_UPDATE_ROOT"
URL_ENV = "COUNTER_APP_UPDATE_URL"
LATEST = "latest.json"
ROLES = ("root", "targets", "snapshot", "timestamp")
EXPIRY_DAYS = {"root": 365, "targets": 90, "snapshot": 7, "timestamp": 1}
EXE_NAME = "counter-app.exe" if sys.platform == "win32" else "counter-app"


class UpdateError(CounterError):
    """An update was refused or failed; ``str()`` is Korean and English for IT."""

    code = "UPDATE"


# -- the district's repository -------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _signer(keys_dir: Path, role: str) -> Any:
    from cryptography.hazmat.primitives import serialization
    from securesystemslib.signer import CryptoSigner, SSlibKey

    path = keys_dir / f"{role}.pem"
    try:
        priv = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise UpdateError(
            f"{path}: 저장소 서명 키를 읽을 수 없습니다 / cannot read the repository key"
        ) from exc
    return CryptoSigner(priv, SSlibKey.from_crypto(priv.public_key()))


def _write(md: Any, path: Path) -> None:
    from tuf.api.serialization.json import JSONSerializer

    with atomic_path(path) as tmp:
        md.to_file(str(tmp), serializer=JSONSerializer(compact=False))


def init_repository(repo: Path, keys_dir: Path) -> Path:
    """Make the four role keys (Ed25519) and the first metadata; returns the root to install."""
    from securesystemslib.signer import CryptoSigner
    from tuf.api.metadata import Metadata, Root, Targets

    if (repo / "metadata" / "root.json").exists():
        raise UpdateError(f"{repo}: 이미 저장소가 있습니다 / a repository exists already")
    keys_dir.mkdir(parents=True, exist_ok=True)
    (repo / "metadata").mkdir(parents=True, exist_ok=True)
    (repo / "targets").mkdir(exist_ok=True)
    root = Root(expires=_now() + dt.timedelta(days=EXPIRY_DAYS["root"]), consistent_snapshot=False)
    signers = {}
    for role in ROLES:
        signer = CryptoSigner.generate_ed25519()
        pem = signer.private_bytes
        fd = os.open(keys_dir / f"{role}.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        root.add_key(signer.public_key, role)
        signers[role] = signer
    md_root = Metadata(root)
    md_root.sign(signers["root"])
    _write(md_root, repo / "metadata" / "1.root.json")
    _write(md_root, repo / "metadata" / "root.json")
    targets = Metadata(Targets(expires=_now() + dt.timedelta(days=EXPIRY_DAYS["targets"])))
    targets.sign(signers["targets"])
    _write(targets, repo / "metadata" / "targets.json")
    _resign_snapshot_timestamp(repo, keys_dir, targets.signed.version)
    return repo / "metadata" / "root.json"


def _resign_snapshot_timestamp(
    repo: Path, keys_dir: Path, targets_version: int, expires: dt.datetime | None = None
) -> None:
    from tuf.api.metadata import Metadata, MetaFile, Snapshot, Timestamp

    meta = repo / "metadata"
    snap_path, ts_path = meta / "snapshot.json", meta / "timestamp.json"
    snap_version = (
        Metadata.from_file(str(snap_path)).signed.version + 1 if snap_path.exists() else 1
    )
    ts_version = Metadata.from_file(str(ts_path)).signed.version + 1 if ts_path.exists() else 1
    snapshot = Metadata(
        Snapshot(
            version=snap_version,
            expires=expires or _now() + dt.timedelta(days=EXPIRY_DAYS["snapshot"]),
            meta={"targets.json": MetaFile(version=targets_version)},
        )
    )
    snapshot.sign(_signer(keys_dir, "snapshot"))
    _write(snapshot, snap_path)
    timestamp = Metadata(
        Timestamp(
            version=ts_version,
            expires=expires or _now() + dt.timedelta(days=EXPIRY_DAYS["timestamp"]),
            snapshot_meta=MetaFile(version=snap_version),
        )
    )
    timestamp.sign(_signer(keys_dir, "timestamp"))
    _write(timestamp, ts_path)


def publish(
    repo: Path,
    keys_dir: Path,
    version: str,
    archive: Path,
    *,
    expires: dt.datetime | None = None,
) -> str:
    """Add ``archive`` (a zip of the bundle folder) as ``version`` and make it the latest.

    Refuses a version that is not newer than the repository's latest.
    ``expires`` overrides the expiry of targets, snapshot and timestamp (tests).
    """
    from tuf.api.metadata import Metadata, TargetFile, Targets

    meta = repo / "metadata"
    from securesystemslib.exceptions import StorageError
    from tuf.api.serialization import DeserializationError

    try:
        targets = Metadata[Targets].from_file(str(meta / "targets.json"))
    except (OSError, ValueError, StorageError, DeserializationError) as exc:
        raise UpdateError(f"{repo}: 저장소가 아닙니다 (update init) / not a repository") from exc
    if not zipfile.is_zipfile(archive):
        raise UpdateError(f"{archive}: zip 파일이 아닙니다 / not a zip archive")
    current = targets.signed.targets.get(LATEST)
    if current is not None:
        latest = json.loads((repo / "targets" / LATEST).read_text(encoding="utf-8"))["version"]
        if not newer(version, latest):
            raise UpdateError(
                f"버전 {version} 은 저장소의 최신 {latest} 보다 새롭지 않습니다 / "
                f"{version} is not newer than the repository's {latest}"
            )
    name = f"counter-app-{version}.zip"
    shutil.copyfile(archive, repo / "targets" / name)
    (repo / "targets" / LATEST).write_text(
        json.dumps({"version": version, "archive": name, "published": _now().isoformat()}),
        encoding="utf-8",
    )
    for target in (name, LATEST):
        targets.signed.targets[target] = TargetFile.from_file(
            target, str(repo / "targets" / target)
        )
    targets.signed.version += 1
    targets.signed.expires = expires or _now() + dt.timedelta(days=EXPIRY_DAYS["targets"])
    targets.signatures.clear()
    targets.sign(_signer(keys_dir, "targets"))
    _write(targets, meta / "targets.json")
    _resign_snapshot_timestamp(repo, keys_dir, targets.signed.version, expires)
    return name


def make_archive(bundle: Path, out: Path) -> Path:
    """Zip a bundle folder (``dist/counter-app``) for :func:`publish`."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(bundle.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(bundle).as_posix())
    return out


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

    @property
    def executable(self) -> Path:
        return self.path / EXE_NAME


def _state_dir(data_dir: Path) -> Path:
    return data_dir / "versions"


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def _write_json(path: Path, data: dict[str, Any]) -> None:
    atomic_write(path, json.dumps(data, ensure_ascii=False), make_parents=True)


def staged(data_dir: Path) -> Staged | None:
    data = _read_json(_state_dir(data_dir) / "staged.json")
    if not data:
        return None
    return Staged(str(data["version"]), Path(data["path"]))


def current(data_dir: Path) -> Staged | None:
    """The version made current by :func:`apply_staged` (None: the installed program)."""
    data = _read_json(_state_dir(data_dir) / "current.json")
    if not data:
        return None
    return Staged(str(data["version"]), Path(data["path"]))


def last_result(data_dir: Path) -> tuple[str, str]:
    """What the updates of this PC last did, for ``doctor`` (and so the fleet and the district):
    ("warn", why) while the last staged version failed to apply, else ("ok", the state)."""
    failed = _read_json(_state_dir(data_dir) / "failed.json")
    if failed:
        version, why = str(failed.get("version", "?")), str(failed.get("reason", ""))[:200]
        return ("warn", f"{version} 적용 실패, 지금 버전 유지 / {version} failed to apply, "
                        f"the running version stays: {why}")  # fmt: skip
    st = staged(data_dir)
    if st is not None:
        return ("ok", f"{st.version} 받음, 다음 시작 때 적용 / {st.version} staged for the next start")
    return ("ok", f"{running_version(data_dir)} 실행 중 / running")


def running_version(data_dir: Path) -> str:
    cur = current(data_dir)
    return cur.version if cur and newer(cur.version, __version__) else __version__


def check(
    data_dir: Path,
    url: str | None = None,
    root: Path | None = None,
    *,
    installed: str | None = None,
) -> Staged | None:
    """Refresh, verify and stage the newest version; None when there is nothing newer.

    Raises :class:`UpdateError` for anything TUF or the version check refuses.
    """
    from tuf.api import exceptions as tuf_errors
    from tuf.ngclient import Updater

    url = url or repository_url()
    root = root or trust_root()
    if not url or root is None:
        raise UpdateError(
            "업데이트 저장소가 설정되지 않았습니다 / no update repository configured "
            f"({URL_ENV}, {ROOT_ENV})"
        )
    installed = installed or running_version(data_dir)
    state = _state_dir(data_dir)
    metadata_dir = state / "metadata"
    downloads = state / "downloads"
    metadata_dir.mkdir(parents=True, exist_ok=True)
    downloads.mkdir(parents=True, exist_ok=True)
    try:
        anchor = json.loads(root.read_text(encoding="utf-8"))
        if anchor.get("signed", {}).get("_type") != "root":
            raise ValueError("not a TUF root")
    except (OSError, ValueError, AttributeError) as exc:
        raise UpdateError(
            f"{root}: 업데이트 신뢰 파일(update-root.json)을 읽을 수 없습니다 / "
            f"cannot read the trusted update root: {exc}"
        ) from exc
    cached = _read_json(metadata_dir / "root.json")
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
        info = updater.get_targetinfo(LATEST)
        if info is None:
            return None
        latest_path = updater.download_target(info, str(downloads / LATEST))
        latest = json.loads(Path(latest_path).read_text(encoding="utf-8"))
        if not isinstance(latest, dict):
            raise ValueError(f"{LATEST} is not an object")
        version, name = str(latest["version"]), str(latest["archive"])
        # Signed, yet still checked: the version names a folder, the archive a file.
        problem = version_problem(version)
        if problem is not None or name != f"counter-app-{version}.zip":
            raise UpdateError(
                f"저장소의 최신 버전 정보가 잘못되었습니다 / the repository's latest entry is not "
                f"a version and its archive: {version[:40]!r}, {name[:60]!r}"
            )
        if not newer(version, installed):
            if version == installed:
                return None
            raise UpdateError(
                f"저장소의 버전 {version} 이 설치된 {installed} 보다 오래되어 설치하지 않습니다 / "
                f"the repository offers {version}, older than the installed {installed}: refused"
            )
        archive_info = updater.get_targetinfo(name)
        if archive_info is None:
            raise UpdateError(f"{name}: 서명된 목록에 없습니다 / not in the signed targets")
        archive = Path(updater.download_target(archive_info, str(downloads / name)))
    except tuf_errors.ExpiredMetadataError as exc:
        raise UpdateError(
            f"업데이트 정보의 유효 기간이 지났습니다(재전송 공격일 수 있음) / expired update metadata: {exc}"
        ) from exc
    except (tuf_errors.BadVersionNumberError, tuf_errors.EqualVersionNumberError) as exc:
        raise UpdateError(
            f"이전에 받은 것보다 오래된 업데이트 정보입니다(되돌리기 공격) / rolled-back update metadata: {exc}"
        ) from exc
    except tuf_errors.LengthOrHashMismatchError as exc:
        raise UpdateError(
            f"내려받은 파일이 서명과 다릅니다(변조) / a downloaded file does not match its signature: {exc}"
        ) from exc
    except tuf_errors.RepositoryError as exc:
        raise UpdateError(
            f"업데이트 정보의 서명이 맞지 않습니다 / bad update metadata: {exc}"
        ) from exc
    except tuf_errors.DownloadError as exc:
        raise UpdateError(
            f"업데이트 저장소에 연결할 수 없습니다 / cannot reach {base}: {exc}"
        ) from exc
    except (OSError, ValueError, KeyError) as exc:
        raise UpdateError(f"업데이트를 받지 못했습니다 / update failed: {exc}") from exc
    target = state / version
    if target.exists():
        shutil.rmtree(target)
    tmp = state / f".{version}.unpacking"
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        with zipfile.ZipFile(archive) as zf:
            for member in zf.namelist():
                if member.startswith("/") or ".." in Path(member).parts:
                    raise UpdateError(f"{name}: 잘못된 경로 {member} / unsafe path in the archive")
            zf.extractall(tmp)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise UpdateError(f"{name}: 압축 파일을 풀 수 없습니다 / cannot unpack the archive: {exc}") from exc
    exe = tmp / EXE_NAME
    if exe.exists():
        exe.chmod(0o755)
    os.replace(tmp, target)
    result = Staged(version, target)
    _write_json(state / "staged.json", {"version": version, "path": str(target)})
    (state / "failed.json").unlink(missing_ok=True)
    return result


def backup_database(url: str, backups: Path, label: str) -> Path | None:
    """A consistent copy of a SQLite database (the online backup API); None for a server."""
    from records.db import sqlite_path

    db_file = sqlite_path(url)
    if db_file is None or not db_file.exists():
        return None
    backups.mkdir(parents=True, exist_ok=True)
    target = backups / f"{db_file.stem}-before-{label}-{_now():%Y%m%dT%H%M%S}.db"
    src = sqlite3.connect(db_file)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def _restore(backup: Path, url: str) -> None:
    from records.db import sqlite_path

    db_file = sqlite_path(url)
    assert db_file is not None
    for suffix in ("-wal", "-shm"):
        Path(str(db_file) + suffix).unlink(missing_ok=True)
    with atomic_path(db_file) as tmp:
        shutil.copyfile(backup, tmp)


@dataclass(frozen=True)
class Applied:
    version: str
    backup: Path | None


def apply_staged(data_dir: Path, database_url: str, *, timeout: float = 600) -> Applied | None:
    """Back up, migrate with the new version, then make it current; None when nothing is staged.

    On a failed migration the database is restored, the staged version is
    marked failed (not tried again until a newer one is staged) and
    :class:`UpdateError` says why; the running version is untouched.
    """
    state = _state_dir(data_dir)
    st = staged(data_dir)
    if st is None:
        return None
    if not newer(st.version, running_version(data_dir)):
        (state / "staged.json").unlink(missing_ok=True)
        return None
    if not st.executable.is_file():
        _fail(state, st, "실행 파일이 없습니다 / the executable is missing")
    backup = backup_database(database_url, data_dir / "backups", st.version)
    env = {**os.environ, "COUNTER_APP_LAUNCHED": "1"}
    try:
        done = subprocess.run(
            [str(st.executable), "db", "upgrade", "--db", database_url],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
        ok, why = done.returncode == 0, (done.stdout + done.stderr).strip()[-500:]
    except (OSError, subprocess.TimeoutExpired) as exc:
        ok, why = False, str(exc)
    if not ok:
        if backup is not None:
            _restore(backup, database_url)
        _fail(state, st, why)
    _write_json(
        state / "current.json",
        {"version": st.version, "path": str(st.path), "backup": str(backup) if backup else None},
    )
    (state / "staged.json").unlink(missing_ok=True)
    return Applied(st.version, backup)


def _fail(state: Path, st: Staged, why: str) -> None:
    _write_json(
        state / "failed.json", {"version": st.version, "reason": why, "at": _now().isoformat()}
    )
    (state / "staged.json").unlink(missing_ok=True)
    raise UpdateError(
        f"새 버전 {st.version} 의 데이터베이스 변환이 실패하여 적용하지 않았습니다. "
        f"데이터베이스는 백업에서 되돌렸고, 지금 버전이 계속 동작합니다 / "
        f"the migrations of {st.version} failed: the database was restored and the current "
        f"version keeps working. {why}"
    )


def handover(argv: list[str]) -> int | None:
    """At the start of the bundled program: apply a staged update, then run the current version.

    Returns the exit code of the newer version when it ran, None to go on in
    this one. Only the window (``run``, or no arguments) applies updates; a
    failure is logged and the installed version starts as before.
    """
    if not getattr(sys, "frozen", False) or os.environ.get("COUNTER_APP_LAUNCHED"):
        return None
    from counter_app.config import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError:
        return None  # the window says what is wrong with the configuration
    if not argv or argv[0] == "run":
        try:
            apply_staged(settings.data_dir, settings.database_url)
        except UpdateError as exc:
            log.error("%s", exc)
            print(f"counter-app: {exc}", file=sys.stderr)
    cur = current(settings.data_dir)
    if cur is None or not newer(cur.version, __version__) or not cur.executable.is_file():
        return None
    env = {**os.environ, "COUNTER_APP_LAUNCHED": "1"}
    return subprocess.call([str(cur.executable), *argv], env=env)
