"""The terminal as a keyboard-wedge scanner's input, for ``devices watch keyboard``:
keys as they are typed (cbreak mode).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def terminal_keys(wanted: bool = True) -> Iterator[int | None]:
    """stdin's descriptor, a terminal set to pass keys as typed (no line editing, no echo);
    None when not ``wanted`` or there is no stdin. Not a terminal (a pipe, a file), or not
    POSIX: the descriptor as it is. The terminal's settings are restored on the way out,
    however that is left (an error, Ctrl+C)."""
    try:
        fd: int | None = sys.stdin.fileno() if wanted and sys.stdin is not None else None
    except (OSError, ValueError):  # no real stdin (a service, a test harness)
        fd = None
    if fd is None or not os.isatty(fd) or os.name != "posix":
        yield fd
        return
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield fd
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)

