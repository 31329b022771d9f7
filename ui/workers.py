"""Running slow work (decrypting, validating, the database) off the GUI thread.

A :class:`TaskRunner` owns one QThreadPool with a single thread, so tasks run
in the order they were submitted (a scan, then the clerk's accept) and the
database sees one writer per window. Results come back as a signal of a
QObject living in the GUI thread, so the callbacks run there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ui.qtcompat import emit

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Carries one task's outcome to the GUI thread.

    Signals:
        done(object): the task's return value.
        failed(object): the exception it raised.
    """

    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # every failure goes back to the window, none is lost
            emit(self.relay.failed, exc)
        else:
            emit(self.relay.done, result)


class TaskRunner(QObject):
    """Queue of background tasks with callbacks on the GUI thread.

    Signals:
        busy_changed(bool): work is pending / all done.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.pool.setExpiryTimeout(2000)
        self._pending = 0
        self._relays: set[_Relay] = set()

    @property
    def pending(self) -> int:
        return self._pending

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        relay = _Relay()  # created here, so it lives in the GUI thread
        self._relays.add(relay)

        # The count drops before the callback runs, so the callback sees the queue as it
        # will be (the window decides whether Accept is enabled from it).
        def finish() -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            self._pending -= 1

        def idle() -> None:
            if self._pending == 0:
                emit(self.busy_changed, False)

        def done(result: object) -> None:
            finish()
            try:
                on_done(result)
            finally:
                idle()

        def failed(exc: object) -> None:
            finish()
            try:
                on_error(exc if isinstance(exc, BaseException) else RuntimeError(str(exc)))
            finally:
                idle()

        relay.done.connect(done)
        relay.failed.connect(failed)
        self._pending += 1
        if self._pending == 1:
            emit(self.busy_changed, True)
        self.pool.start(_Task(fn, relay))

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Wait for the tasks already started; True when the pool is idle."""
        self.pool.clear()
        ok = self.pool.waitForDone(timeout_ms)
        if not ok:
            log.error("background tasks did not finish within %d ms", timeout_ms)
        return ok
