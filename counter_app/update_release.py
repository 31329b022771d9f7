"""Is the release handed over to at start what the signed update installed?

:func:`verify_release` is the one check, for the bundle's start
(:func:`counter_app.update.handover`), ``doctor`` and ``update status``: the
release folder against the manifest written when its archive had passed
TUF's checks, and the manifest's archive hash against the cached targets
metadata, whose signatures are checked against the installed root.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from counter_app.update import Staged, UpdateError, read_current, trust_root
from counter_app.update_files import hash_tree, read_json
from counter_app.update_files import releases_dir as state_dir_of
from decoding.limits import TEXT_BYTES, read_bounded


@dataclass(frozen=True)
class ReleaseCheck:
    """:func:`verify_release`: ``ok``, the version, and what is wrong (Korean / English)."""

    version: str | None
    path: Path | None
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def _signed_targets(metadata_dir: Path) -> Any:
    """The cached targets metadata, its signatures checked against the root installed with
    the program (or a newer root that one signed)."""
    from tuf.api.metadata import Metadata, Root, Targets

    # the root installed with the program; else the one TUF verified into the release folder
    # (the machine's, which only administrators and the update task may write)
    anchor_path = trust_root() or metadata_dir / "root.json"
    anchor = Metadata[Root].from_bytes(read_bounded(anchor_path, TEXT_BYTES))
    cached = Metadata[Root].from_bytes(read_bounded(metadata_dir / "root.json", TEXT_BYTES))
    root = anchor
    if cached.signed.version > anchor.signed.version:
        anchor.verify_delegate("root", cached)  # a newer root the installed one signed
        root = cached
    targets = Metadata[Targets].from_bytes(read_bounded(metadata_dir / "targets.json", TEXT_BYTES))
    root.verify_delegate("targets", targets)
    return targets.signed


def verify_release(data_dir: Path, release: Staged | None = None) -> ReleaseCheck:
    """Is the release handed over to at start (``current.json``) what the signed update installed?

    Compares the release folder with the manifest written when the archive
    had passed TUF's checks (every file's SHA-256, none missing or added), and
    the manifest's archive hash with the signed targets the counter holds. A
    counter with no handed-over release (``current.json`` absent) is fine:
    the installed program runs. The one rule for every start (the bundle's
    entry point, ``doctor``, the trust checks of the program started).
    """
    if release is None:
        try:
            release = read_current(data_dir)
        except UpdateError as exc:  # a damaged current.json is a problem of the start itself
            return ReleaseCheck(None, None, [exc.message])
    rel = release
    if rel is None:
        return ReleaseCheck(None, None, [])
    problems: list[str] = []
    state_dir = state_dir_of(data_dir)
    manifest = read_json(state_dir / f"{rel.version}.manifest.json")
    expected = (state_dir / rel.version).resolve()
    if manifest is None or not isinstance(manifest.get("files"), dict):
        problems.append("설치 기록 없음 / no record of a signed installation")
        return ReleaseCheck(rel.version, rel.path, problems)
    if rel.path.resolve() != expected or Path(str(manifest.get("path"))).resolve() != expected:
        problems.append(f"다른 폴더를 가리킵니다 / points elsewhere: {rel.path}")
    try:  # the cached targets, their signatures checked against the installed root
        signed = _signed_targets(state_dir / "metadata")
        target = signed.targets.get(str(manifest.get("archive")))
        sha = target.hashes.get("sha256") if target is not None else None
    except Exception as exc:  # TUF's and the OS's errors alike: not a signed installation
        problems.append(f"서명 확인 실패 / the signed list cannot be trusted: {str(exc)[:120]}")
        return ReleaseCheck(rel.version, rel.path, problems)
    if sha != manifest.get("archive_sha256"):
        problems.append("서명된 목록과 다른 압축 파일 / archive not the signed one")
    if not problems:
        actual = hash_tree(expected) if expected.is_dir() else {}
        files: dict[str, str] = manifest["files"]
        missing = sorted(set(files) - set(actual))
        changed = sorted(f for f in files if f in actual and actual[f] != files[f])
        added = sorted(set(actual) - set(files))
        for label, names in (("없음 / missing", missing), ("변경 / changed", changed),
                             ("추가됨 / added", added)):
            if names:
                problems.append(f"{label}: {', '.join(names[:5])}")
    return ReleaseCheck(rel.version, rel.path, problems)


# -- apply: back up, migrate, switch -------------------------------------------------
