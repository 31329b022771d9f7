"""Bounded input: the one way the program reads a file it was handed, and a secret line.

Every file argument (keys, passwords, checkpoints, QR text, configuration,
images) is read through :func:`read_bounded`: at most ``limit`` bytes, so
``/dev/zero`` or a 40 GB file is a clear refusal instead of a MemoryError or
a read that never returns. A file over the bound raises :class:`TooLarge`, an
:class:`OSError` (``EFBIG``), so every caller's existing "cannot read FILE:
why" message says it without a new branch.

:func:`secret_line` is how a password or passphrase file is read: the whole
file is the secret, only one final line end is taken off. ``str.splitlines``
also cuts at U+2028, U+0085, ``\\v`` and ``\\f``: a password file holding
``pass\\u2028word`` would then sign in with ``pass``.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

KIB = 1024
MIB = 1024 * KIB

# Bounds by kind of file, each far above any genuine one.
SECRET_BYTES = 4 * KIB  # a password or passphrase file
KEY_BYTES = 64 * KIB  # a PEM key file, a checkpoint file
TEXT_BYTES = 16 * MIB  # QR text, a configuration, a JSON document, a CSV
IMAGE_BYTES = 64 * MIB  # a photo or a scanned page
IMAGE_PIXELS = 60_000_000  # about 60 megapixels: an A3 page at 600 dpi is 70 MB of RGB
ATTACHMENT_BYTES = 64 * MIB  # a scanned page or a PDF of a few pages


class TooLarge(OSError):
    """A file over its bound (or endless, like ``/dev/zero``)."""

    def __init__(self, path: Path | str, limit: int) -> None:
        super().__init__(
            errno.EFBIG,
            f"파일이 너무 큽니다 (최대 {_size(limit)}) / file too large (at most {_size(limit)})",
            str(path),
        )
        self.limit = limit


def _size(n: int) -> str:
    return f"{n // MIB} MiB" if n >= MIB else f"{n // KIB} KiB"


def read_bounded(path: Path | str, limit: int) -> bytes:
    """The bytes of ``path``, at most ``limit`` of them; :class:`TooLarge` if there are more.

    A folder or a missing file raises the usual :class:`OSError`. Reading stops
    after ``limit + 1`` bytes, so a device or an endless pipe cannot hold it.
    """
    p = Path(path)
    with p.open("rb") as f:
        st = os.fstat(f.fileno())
        if stat.S_ISREG(st.st_mode) and st.st_size > limit:
            raise TooLarge(p, limit)
        data = f.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(p, limit)
    return data


def secret_line(data: bytes) -> bytes:
    """A password file's content without its final line end ("\\n" or "\\r\\n"), nothing else cut.

    Raises :class:`ValueError` when more than one line is left: a second line is
    a mistake (two passwords, a note), not part of the password.
    """
    if data.endswith(b"\r\n"):
        data = data[:-2]
    elif data.endswith(b"\n"):
        data = data[:-1]
    if b"\n" in data or b"\r" in data:
        raise ValueError("more than one line")
    return data


class NotPlainFile(OSError):
    """A symbolic link, a folder, a device or a pipe where a plain file was asked for."""

    def __init__(self, path: Path | str, what: str) -> None:
        super().__init__(errno.EINVAL, f"보통 파일이 아닙니다 ({what}) / not a plain file ({what})",
                         str(path))


def read_plain_file(path: Path | str, limit: int) -> bytes:
    """Like :func:`read_bounded`, but only a plain file, never through a symbolic link.

    For what is stored and kept (attachments, seal images): a link could make
    the store copy a file its user did not mean to hand over.
    """
    p = Path(path)
    if p.is_symlink():  # also where O_NOFOLLOW does not exist (Windows)
        raise NotPlainFile(p, "symbolic link")
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotPlainFile(p, "symbolic link") from None
        raise
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise NotPlainFile(p, "folder" if stat.S_ISDIR(st.st_mode) else "device or pipe")
        if st.st_size > limit:
            raise TooLarge(p, limit)
        data = f.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(p, limit)
    return data
