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
import re
import secrets
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from records.atomic import atomic_write, fsync_dir
from records.errors import AttachmentFolderError, BadStoredName, RecordsError, StorageFull

_CHUNK = 1 << 20
TMP_SUFFIX = ".tmp"
PENDING = "pending"
# An orphan younger than this may belong to another counter's intake that has
# not committed yet; leave it alone.
ORPHAN_GRACE_SECONDS = 3600.0


_HEX64 = re.compile(r"[0-9a-f]{64}")


def is_content_hash(name: object) -> bool:
    """64 lower-case hex digits: the only names the store gives its files."""
    return isinstance(name, str) and _HEX64.fullmatch(name) is not None


def content_hash(content: bytes | Path) -> str:
    digest = hashlib.sha256()
    if isinstance(content, bytes):
        digest.update(content)
    else:
        with open(content, "rb") as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


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
        """The file of a content hash; anything but 64 hex digits is refused, so a
        name taken from the database (which someone may have edited) can never
        lead outside the store (``../../etc/passwd``)."""
        if not is_content_hash(sha256):
            raise BadStoredName(
                f"첨부 파일 이름이 해시가 아닙니다 (데이터베이스가 변조되었을 수 있습니다): "
                f"{sha256[:80]!r}",
                f"an attachment name is not a content hash (the database may have been "
                f"tampered with): {sha256[:80]!r}",
                {"name": sha256[:80]},
            )
        return self.root / sha256[:2] / sha256

    def _regular(self, path: Path) -> bool:
        """Is ``path`` a plain file inside the store (no symbolic link, no folder)?"""
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return False
        return stat.S_ISREG(st.st_mode)

    def put(self, content: bytes | Path) -> StoredFile:
        """Store ``content`` durably and return its hash; the same content again is a no-op."""
        self.ensure_root()
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
            raise self.unusable(exc) from exc
        return StoredFile(sha, size)

    def begin(self, shas: list[str]) -> Path:
        """Note the files an intake is about to write (see the module docstring).

        Not fsynced: the marker only has to survive the intake's process being
        killed (the page cache keeps it); after a power cut a lost marker means
        its orphans wait for ``db check --repair`` instead.
        """
        self.ensure_root()
        folder = self.root / PENDING
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self.unusable(exc) from exc
        marker = folder / f"{os.getpid()}-{secrets.token_hex(8)}.json"
        try:
            atomic_write(marker, json.dumps(shas))
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise _full(exc) from exc
            raise self.unusable(exc) from exc
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
                out.append((marker, [x for x in shas if is_content_hash(x)]))
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
        """None when the file is there and intact, else ``"missing"``, ``"altered"`` or
        ``"bad_name"`` (the database names something that is no content hash)."""
        if not is_content_hash(sha256):
            return "bad_name"
        path = self.path_of(sha256)
        if os.path.lexists(path) and not self._regular(path):
            return "altered"  # a link or a folder where the file should be: never followed
        try:
            digest = hashlib.sha256()
            actual = 0
            with open(path, "rb") as f:
                while chunk := f.read(_CHUNK):
                    digest.update(chunk)
                    actual += len(chunk)
        except FileNotFoundError:
            return "missing"
        except OSError:
            return "unreadable"
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
        if os.path.lexists(path) and not self._regular(path):
            path.unlink()  # a link planted in the store: remove the link, never its target
            return
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

    def ensure_root(self) -> None:
        """Create the folder; one that is a file, read-only or unreachable is a clear error."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if not self.root.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(self.root))
            if not os.access(self.root, os.W_OK | os.X_OK):
                raise PermissionError(errno.EACCES, "read-only", str(self.root))
        except OSError as exc:
            raise self.unusable(exc) from exc

    def unusable(self, exc: OSError) -> RecordsError:
        """An OS error of the attachment folder as a message for the clerk and IT."""
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return _full(exc)
        if isinstance(exc, FileExistsError | NotADirectoryError) or exc.errno == errno.ENOTDIR:
            why_ko, why_en = "폴더가 아니라 파일입니다", "it is a file, not a folder"
        elif isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EROFS):
            why_ko, why_en = "쓰기 권한이 없습니다 (읽기 전용)", "it is read-only (no permission)"
        else:
            why_ko, why_en = exc.strerror or str(exc), exc.strerror or str(exc)
        return AttachmentFolderError(
            f"첨부 파일 폴더를 쓸 수 없습니다: {self.root} — {why_ko}. 접수는 저장되지 않았고 "
            "입력한 내용은 그대로 있습니다. 전산 담당자에게 연락해 주세요.",
            f"The attachment folder {self.root} cannot be written: {why_en}. The case was not "
            "recorded and what you entered is kept. Call IT staff.",
            {"folder": str(self.root), "errno": exc.errno},
        )


def _write_all(out: BinaryIO, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = out.write(view)
        view = view[n:]


def media_type(content: bytes | Path) -> str:
    """The media type of a page or seal, from its first bytes (PNG, JPEG, PDF, TIFF)."""
    head = content[:16] if isinstance(content, bytes) else _head(content)
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if head.startswith(b"%PDF"):
        return "application/pdf"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    return "application/octet-stream"


def _head(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(16)
