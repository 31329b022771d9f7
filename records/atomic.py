"""The one way the program writes a file: whole or not at all.

:func:`atomic_path` hands out a temporary name beside the target; what is
written there replaces the target in one rename, after it is on disk, and the
rename itself is made durable. A failure (a full disk, an exception of the
writer) leaves the old file as it was and removes the temporary one. A reader
never sees half a file: a key, a draft, an export, a signed manifest, a PDF.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (POSIX; Windows has no directory handles to sync)."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


@contextmanager
def atomic_path(path: Path, *, make_parents: bool = False) -> Iterator[Path]:
    """A temporary path to write; on leaving the block it becomes ``path`` (atomically).

    The writer may be anything that takes a file name (openpyxl, QPdfWriter,
    ``shutil.copyfile``). An empty result is still moved: the caller checks
    what it needs first.
    """
    if make_parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        yield tmp
        _fsync_file(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(path.parent)


def atomic_write(path: Path, data: bytes | str, *, make_parents: bool = False) -> None:
    """Write ``data`` (text as UTF-8) so that ``path`` holds the old or the new content, never a torn one."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(path, make_parents=make_parents) as tmp:
        tmp.write_bytes(raw)
