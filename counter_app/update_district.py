"""The district's side of signed updates: the TUF repository it serves to its counters.

``update init`` makes the repository (``metadata/`` and ``targets/``) and the
four Ed25519 role keys; ``update publish`` adds a release to a *channel*;
``update rollback --to VERSION`` points a channel back at an older release,
signed like any release; ``update refresh`` re-signs the short-lived metadata
so counters keep updating (run it daily: a scheduled task, see the README).

Channels: ``pilot`` (``latest-pilot.json``, read by the pilot counters only)
and ``office`` (``latest.json``, every counter). A release goes to the pilots
first, then the same signed archive is published to the office. Each entry
names the release's schema (``schema``) and the oldest schema revision its
database still runs older releases on (``oldest_reader``), when given.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

from counter_app.update import CHANNELS, EXPIRY_DAYS, ROLES, UpdateError, latest_name
from records.atomic import atomic_path
from records.fleet import newer, release_problem


def _release(version: str) -> None:
    problem = release_problem(version)
    if problem is not None:
        raise UpdateError(f"{problem[0]} / {problem[1]}")

# ``update refresh`` re-signs the targets when they expire within this many days
# (snapshot and timestamp it re-signs every time).
TARGETS_REFRESH_DAYS = 30


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
            f"{path}: 저장소 서명 키를 읽을 수 없습니다 / cannot read the repository key",
            kind="not-configured",
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
    repo: Path,
    keys_dir: Path,
    targets_version: int,
    expires: dt.datetime | None = None,
    now: dt.datetime | None = None,
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
            expires=expires or (now or _now()) + dt.timedelta(days=EXPIRY_DAYS["snapshot"]),
            meta={"targets.json": MetaFile(version=targets_version)},
        )
    )
    snapshot.sign(_signer(keys_dir, "snapshot"))
    _write(snapshot, snap_path)
    timestamp = Metadata(
        Timestamp(
            version=ts_version,
            expires=expires or (now or _now()) + dt.timedelta(days=EXPIRY_DAYS["timestamp"]),
            snapshot_meta=MetaFile(version=snap_version),
        )
    )
    timestamp.sign(_signer(keys_dir, "timestamp"))
    _write(timestamp, ts_path)


def _targets(repo: Path) -> Any:
    from securesystemslib.exceptions import StorageError
    from tuf.api.metadata import Metadata, Targets
    from tuf.api.serialization import DeserializationError

    try:
        return Metadata[Targets].from_file(str(repo / "metadata" / "targets.json"))
    except (OSError, ValueError, StorageError, DeserializationError) as exc:
        raise UpdateError(f"{repo}: 저장소가 아닙니다 (update init) / not a repository") from exc


def channel_entry(repo: Path, channel: str) -> dict[str, Any] | None:
    """The channel's signed entry as the repository holds it (None: nothing published)."""
    try:
        data = json.loads((repo / "targets" / latest_name(channel)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _sign_entries(
    repo: Path,
    keys_dir: Path,
    entries: dict[str, dict[str, Any]],
    archive: str,
    expires: dt.datetime | None,
) -> None:
    """Write the channel entries, add them and the archive to the signed targets, re-sign."""
    from tuf.api.metadata import TargetFile

    targets = _targets(repo)
    names = [archive]
    for channel, entry in entries.items():
        (repo / "targets" / latest_name(channel)).write_text(json.dumps(entry), encoding="utf-8")
        names.append(latest_name(channel))
    for target in names:
        targets.signed.targets[target] = TargetFile.from_file(
            target, str(repo / "targets" / target)
        )
    targets.signed.version += 1
    targets.signed.expires = expires or _now() + dt.timedelta(days=EXPIRY_DAYS["targets"])
    targets.signatures.clear()
    targets.sign(_signer(keys_dir, "targets"))
    _write(targets, repo / "metadata" / "targets.json")
    _resign_snapshot_timestamp(repo, keys_dir, targets.signed.version, expires)


def publish(
    repo: Path,
    keys_dir: Path,
    version: str,
    archive: Path | None,
    *,
    channel: str = "office",
    schema: tuple[str, str] | None = None,
    expires: dt.datetime | None = None,
) -> str:
    """Make ``version`` the newest release of ``channel``; returns the archive's target name.

    ``archive`` (a zip of the bundle folder) may be None when the release is in
    the repository already (pilot first, then the office: the same bytes).
    Publishing to the office publishes to the pilots too. A version that is not
    newer than the channel's is refused: going back is :func:`rollback`.
    ``schema``: (the release's schema revision, the oldest reader it leaves).
    ``expires`` overrides the expiry of targets, snapshot and timestamp (tests).
    """
    _release(version)
    if channel not in CHANNELS:
        raise UpdateError(f"채널은 {', '.join(CHANNELS)} 중 하나입니다 / unknown channel {channel!r}")
    _targets(repo)  # a repository at all
    name = f"counter-app-{version}.zip"
    target = repo / "targets" / name
    if archive is not None:
        if not zipfile.is_zipfile(archive):
            raise UpdateError(f"{archive}: zip 파일이 아닙니다 / not a zip archive")
    elif not target.is_file():
        raise UpdateError(
            f"{name}: 저장소에 없습니다 (--archive 필요) / not in the repository: give --archive"
        )
    channels = ("pilot", "office") if channel == "office" else ("pilot",)
    for ch in channels:
        entry = channel_entry(repo, ch)
        if entry is not None and not newer(version, str(entry.get("version"))):
            if ch == "pilot" and channel == "office" and entry.get("version") == version:
                continue  # promoting the pilots' release to the office
            raise UpdateError(
                f"버전 {version} 은 {ch} 채널의 {entry.get('version')} 보다 새롭지 않습니다 "
                f"(되돌리기는 update rollback) / {version} is not newer than the {ch} channel's "
                f"{entry.get('version')} (to go back: update rollback --to)"
            )
    if archive is not None:
        shutil.copyfile(archive, target)
    entry = {"version": version, "archive": name, "published": _now().isoformat()}
    if schema is not None:
        entry.update(schema=schema[0], oldest_reader=schema[1])
    _sign_entries(repo, keys_dir, {ch: entry for ch in channels}, name, expires)
    return name


def rollback(repo: Path, keys_dir: Path, version: str, *, channel: str = "office") -> str:
    """Point ``channel`` (office: also the pilots) back at the published ``version``.

    Signed by the district like a release (the metadata versions go up, so TUF
    accepts it); counters install it although it is older than what they run.
    """
    _release(version)
    name = f"counter-app-{version}.zip"
    targets = _targets(repo)
    if name not in targets.signed.targets or not (repo / "targets" / name).is_file():
        raise UpdateError(
            f"{version}: 저장소에 서명되어 있는 버전이 아닙니다 / not a release of this repository"
        )
    channels = ("pilot", "office") if channel == "office" else ("pilot",)
    entry = {"version": version, "archive": name, "published": _now().isoformat(),
             "rollback": True}
    _sign_entries(repo, keys_dir, {ch: entry for ch in channels}, name, None)
    return name


def refresh(repo: Path, keys_dir: Path, *, now: dt.datetime | None = None) -> dict[str, str]:
    """Re-sign what expires soon (timestamp always); returns each role's new expiry.

    Run daily by a scheduled task on the district's server: counters refuse
    expired metadata, so without it updates stop a week after the last release.
    """
    from tuf.api.metadata import Metadata

    now = now or _now()
    targets = _targets(repo)
    margin = dt.timedelta(days=TARGETS_REFRESH_DAYS)
    if targets.signed.expires - now < margin:
        targets.signed.version += 1
        targets.signed.expires = now + dt.timedelta(days=EXPIRY_DAYS["targets"])
        targets.signatures.clear()
        targets.sign(_signer(keys_dir, "targets"))
        _write(targets, repo / "metadata" / "targets.json")
    _resign_snapshot_timestamp(repo, keys_dir, targets.signed.version, now=now)
    out = {}
    for role in ("targets", "snapshot", "timestamp"):
        md = Metadata.from_file(str(repo / "metadata" / f"{role}.json"))
        out[role] = md.signed.expires.isoformat()
    return out


def make_archive(bundle: Path, out: Path) -> Path:
    """Zip a bundle folder (``dist/counter-app``) for :func:`publish`."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(bundle.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(bundle).as_posix())
    return out
