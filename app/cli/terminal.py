"""The terminal as a keyboard-wedge scanner's input, for ``devices watch keyboard`` and
``devices calibrate``: keys as they are typed (cbreak mode), and a scan read key by key
with the time each key came.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import select
import sys
import time
from collections.abc import Iterator

ENTER = ("\r", "\n")


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


def read_timed_scan(fd: int, timeout: float, silence: float = 1.0,
                    limit: int = 4096) -> tuple[str, list[float]]:
    """One scan typed into ``fd`` and the time of each of its characters (milliseconds,
    ``time.monotonic()``'s clock).

    It ends at Enter (kept, as the scanner's suffix), after ``silence`` seconds without a
    key once something came (a Tab suffix, none, a custom one), at ``limit`` characters,
    at the end of input, or after ``timeout`` seconds in all; ``("", [])`` when nothing
    came. Characters that arrive in one read share its time: a scanner faster than the
    terminal is read shows gaps of 0 there (a median that is, if anything, too fast).
    Raises ``UnicodeDecodeError`` for bytes that are not UTF-8, ``OSError`` from reading.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    chars: list[str] = []
    times: list[float] = []
    deadline = time.monotonic() + timeout
    last = 0.0
    while len(chars) < limit:
        now = time.monotonic()
        wait = (min(deadline, last + silence) if chars else deadline) - now
        if wait <= 0:
            break
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            continue
        data = os.read(fd, 4096)
        last = time.monotonic()
        if not data:  # end of input (the terminal hung up)
            break
        for ch in decoder.decode(data):
            chars.append(ch)
            times.append(last * 1000.0)
            if ch in ENTER or len(chars) >= limit:
                return "".join(chars), times
    return "".join(chars), times
