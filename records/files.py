"""The attachment store: scanned pages and seal images, named by their SHA-256.

A file is written to a temporary name, flushed and fsynced, renamed to its
hash, and its folder fsynced: only then does the database commit the case
that refers to it. A crash therefore leaves at worst a file with no case (an
orphan), never a case with no file.

Before writing, an intake leaves a small marker in ``pending/`` naming the
files it is about to write, and removes it after its commit. At the next
start, :meth:`records.store.CaseStore.cleanup` reads the markers left behind
by crashed or failed intakes and deletes those of their files no case refers
to, without scanning the whole store. Markers younger than an hour are left
alone: they may belong to another counter's intake still in flight.

Identical content is stored once (the same seal on two cases), so a file is
deleted only when no case refers to it any more.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from records.errors import StorageFull

_CHUNK = 1 << 20
TMP_SUFFIX = ".tmp"
PENDING = "pending"
# An orphan younger than this may belong to another counter's intake that has
# not committed yet; leave it alone.
ORPHAN_GRACE_SECONDS = 3600.0


def content_hash(content: bytes | Path) -> str:
    digest = hashlib.sha256()
    if isinstance(content, bytes):
        digest.update(content)
    else:
        with open(content, "rb") as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (POSIX; Windows has no directory handles to sync)."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _full(exc: OSError) -> StorageFull:
    return StorageFull(
        "디스크가 가득 차서 첨부 파일을 저장하지 못했습니다. 접수는 저장되지 않았고 입력한 내용은 "
        "그대로 있습니다. 전산 담당자에게 연락해 주세요.",
        "The disk is full: the attachments could not be saved. The case was not recorded and "
        "what you entered is kept. Call IT staff.",
        {"errno": exc.errno},
    )


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int


class AttachmentStore:
    """Content-addressed files under ``root/ab/abcdef...``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, content: bytes | Path) -> StoredFile:
        """Store ``content`` durably and return its hash; the same content again is a no-op."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".{os.getpid()}-{secrets.token_hex(8)}{TMP_SUFFIX}"
        digest = hashlib.sha256()
        size = 0
        try:
            with open(tmp, "wb") as out:
                if isinstance(content, bytes):
                    digest.update(content)
                    size = len(content)
                    _write_all(out, content)
                else:
                    with open(content, "rb") as src:
                        while chunk := src.read(_CHUNK):
                            digest.update(chunk)
                            size += len(chunk)
                            _write_all(out, chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            final = self.path_of(sha)
            new_folder = not final.parent.is_dir()
            final.parent.mkdir(exist_ok=True)
            os.replace(tmp, final)
            fsync_dir(final.parent)
            if new_folder:
                fsync_dir(self.root)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise _full(exc) from exc
            raise
        return StoredFile(sha, size)

    def begin(self, shas: list[str]) -> Path:
        """Note the files an intake is about to write (see the module docstring).

        Not fsynced: the marker only has to survive the intake's process being
        killed (the page cache keeps it); after a power cut a lost marker means
        its orphans wait for ``db check --repair`` instead.
        """
        folder = self.root / PENDING
        folder.mkdir(parents=True, exist_ok=True)
        marker = folder / f"{os.getpid()}-{secrets.token_hex(8)}.json"
        tmp = marker.with_suffix(TMP_SUFFIX)
        try:
            with open(tmp, "w", encoding="ascii") as f:
                json.dump(shas, f)
            os.replace(tmp, marker)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise _full(exc) from exc
            raise
        return marker

    def end(self, marker: Path) -> None:
        """The intake committed: its files are referenced, the marker can go."""
        marker.unlink(missing_ok=True)

    def stale_markers(self, grace: float) -> list[tuple[Path, list[str]]]:
        """Markers older than ``grace`` seconds, with the hashes each names."""
        folder = self.root / PENDING
        if not folder.is_dir():
            return []
        cutoff = time.time() - grace
        out = []
        for marker in folder.iterdir():
            try:
                if marker.stat().st_mtime > cutoff:
                    continue
                if marker.suffix != ".json":
                    marker.unlink()  # a marker whose writing was cut short names nothing
                    continue
                shas = json.loads(marker.read_text(encoding="ascii"))
            except (OSError, ValueError):
                continue
            if isinstance(shas, list):
                out.append((marker, [str(x) for x in shas]))
        return out

    def remove_if_older(self, sha256: str, grace: float) -> bool:
        """Remove an unreferenced file unless it was (re)written in the last ``grace`` seconds."""
        try:
            if self.path_of(sha256).stat().st_mtime > time.time() - grace:
                return False
        except FileNotFoundError:
            return False
        self.remove(sha256)
        return True

    def check(self, sha256: str, size: int) -> str | None:
        """None when the file is there and intact, else ``"missing"`` or ``"altered"``."""
        path = self.path_of(sha256)
        try:
            digest = hashlib.sha256()
            actual = 0
            with open(path, "rb") as f:
                while chunk := f.read(_CHUNK):
                    digest.update(chunk)
                    actual += len(chunk)
        except FileNotFoundError:
            return "missing"
        if actual != size or digest.hexdigest() != sha256:
            return "altered"
        return None

    def hashes(self) -> Iterator[str]:
        """Every stored file's name (its hash)."""
        if not self.root.is_dir():
            return
        for sub in self.root.iterdir():
            if sub.is_dir() and len(sub.name) == 2:
                for f in sub.iterdir():
                    if len(f.name) == 64 and not f.name.startswith("."):
                        yield f.name

    def temp_files(self) -> Iterator[Path]:
        if self.root.is_dir():
            yield from self.root.glob(f".*{TMP_SUFFIX}")

    def remove(self, sha256: str) -> None:
        """Overwrite with zeros, sync, then unlink: deletion meant to be unrecoverable.

        (On SSDs and copy-on-write file systems the old blocks may survive the
        overwrite; full-disk encryption of the counter PC covers that case.)
        """
        path = self.path_of(sha256)
        try:
            size = path.stat().st_size
            with open(path, "r+b") as f:
                zeros = bytes(min(size, _CHUNK))
                left = size
                while left > 0:
                    n = min(left, len(zeros))
                    f.write(zeros[:n])
                    left -= n
                f.flush()
                os.fsync(f.fileno())
            path.unlink()
        except FileNotFoundError:
            return
        fsync_dir(path.parent)

    def remove_orphans(self, referenced: set[str], grace: float = ORPHAN_GRACE_SECONDS) -> list[str]:
        """Delete files no case refers to, and stale temp files, older than ``grace`` seconds."""
        cutoff = time.time() - grace
        removed: list[str] = []
        for sha in list(self.hashes()):
            if sha in referenced:
                continue
            path = self.path_of(sha)
            try:
                if path.stat().st_mtime > cutoff:
                    continue
            except FileNotFoundError:
                continue
            self.remove(sha)
            removed.append(sha)
        return removed + self.remove_stale_temp_files(grace)

    def remove_stale_temp_files(self, grace: float = ORPHAN_GRACE_SECONDS) -> list[str]:
        """Delete temp files (writes a crash cut short) older than ``grace`` seconds."""
        cutoff = time.time() - grace
        removed: list[str] = []
        for tmp in list(self.temp_files()):
            try:
                if tmp.stat().st_mtime <= cutoff:
                    tmp.unlink()
                    removed.append(tmp.name)
            except FileNotFoundError:
                continue
        return removed

    def free_bytes(self) -> int:
        self.root.mkdir(parents=True, exist_ok=True)
        return shutil.disk_usage(self.root).free


def _write_all(out: BinaryIO, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = out.write(view)
        view = view[n:]
