"""One rule for what the clerk has seen: the guard every path to the screen restarts.

A petition may be accepted (Ctrl+Enter) only once it has been on screen,
unobstructed, for :data:`ACCEPT_GUARD` seconds. Whatever makes a petition
visible restarts that time: a scan, the next one waiting coming up by itself,
a restore after a crash, and also whatever *uncovers* it — a dialog closing,
the screen being unlocked, the window becoming active again. While something
covers it (a modal dialog, the lock screen, another window in front) the
time does not run at all.

The guard does not know what covers the window; it is told, by name
(:meth:`SeenGuard.cover` / :meth:`SeenGuard.uncover`): the counter window
reports its activation, the idle lock its state. Because every cover ends
in an uncover, and an uncover restarts the time, a petition revealed by
closing a dialog or by an unlock is never accepted by a key pressed a moment
later (the defect this module exists for: Esc then Ctrl+Enter 0.15 s apart
accepted a petition that had come up behind the paper-petition dialog).

Signals:
    ready_changed(): the guard was restarted, covered or uncovered.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, Signal

# Seconds a petition must be on screen, unobstructed, before it can be accepted: a second
# Ctrl+Enter meant for the one before lands inside it, and a key pressed as a dialog closes
# or the lock opens is not a look (a person can look in less than two seconds).
ACCEPT_GUARD = 1.2

# What may cover the petition (the names the guard is told, and the words for the clerk).
COVERS_KO = {
    "inactive": "다른 창이 앞에 있습니다",
    "dialog": "대화상자가 열려 있습니다",
    "locked": "화면이 잠겨 있습니다",
}
COVERS_EN = {
    "inactive": "another window is in front",
    "dialog": "a dialog is open",
    "locked": "the screen is locked",
}


class SeenGuard(QObject):
    """How long the petition on screen has been seen, unobstructed.

    ``clock`` is the monotonic clock (a test hands in its own).

    Signals:
        ready_changed(): restarted, covered or uncovered.
    """

    ready_changed = Signal()

    def __init__(self, seconds: float = ACCEPT_GUARD, clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.seconds = seconds
        self.clock = clock
        self._covers: set[str] = set()
        self._since: float | None = None  # when the petition was last uncovered or came up
        self.restarts: list[str] = []  # why the time was restarted (newest last; for the tests)
        self._own = 0  # inside a dialog about the petition on screen (see :meth:`own_dialog`)

    @property
    def covers(self) -> frozenset[str]:
        return frozenset(self._covers)

    def restart(self, why: str) -> None:
        """A petition became visible (a scan, the next in the queue, a restore): its time starts
        now, or when whatever covers the window goes."""
        self.restarts = [*self.restarts[-19:], why]
        self._since = None if self._covers else self.clock()
        self.ready_changed.emit()

    @contextmanager
    def own_dialog(self) -> Iterator[None]:
        """A dialog about the petition on screen (its warnings, a missing document's reason, a
        field's correction, its pages): it shows or asks about this petition, so the window
        losing and regaining activation for it does not restart the time. Any other dialog
        (the paper petition, a file dialog) does."""
        self._own += 1
        try:
            yield
        finally:
            self._own -= 1

    def cover(self, what: str) -> None:
        """Something (``inactive``, ``dialog``, ``locked``) now covers the petition."""
        if self._own and what == "inactive":
            return
        self._covers.add(what)
        self._since = None
        self.ready_changed.emit()

    def uncover(self, what: str) -> None:
        """``what`` no longer covers it: once nothing does, the time starts again from zero."""
        if what not in self._covers:
            return
        self._covers.discard(what)
        if not self._covers:
            self.restart(f"uncovered:{what}")
        else:
            self.ready_changed.emit()

    def remaining(self) -> float:
        """Seconds until the petition on screen may be accepted (0: now)."""
        if self._since is None:
            return self.seconds if self.seconds > 0 else 1.0  # covered: never ready
        return max(0.0, self.seconds - (self.clock() - self._since))

    def ready(self) -> bool:
        return self.remaining() == 0.0

    def why_not(self) -> tuple[str, str]:
        """Why the petition may not be accepted yet, Korean and English ("" when it may)."""
        if self._covers:
            names = sorted(self._covers)
            return ("; ".join(COVERS_KO.get(n, n) for n in names),
                    "; ".join(COVERS_EN.get(n, n) for n in names))
        if not self.ready():
            return ("방금 화면에 나타난 민원입니다. 내용을 확인한 뒤 접수하세요 (Ctrl+Enter).",
                    "This petition has just come into view: look at it, then accept (Ctrl+Enter).")
        return ("", "")
