"""Running slow work (decrypting, validating, the database) off the GUI thread.

A :class:`TaskRunner` runs tasks on one worker thread, in the order they were
submitted (a scan, then the clerk's accept), so the database sees one writer
per window. The outcome comes back through a signal of the runner, which
lives in the GUI thread, so the callbacks run there.

Plain Python threads (``concurrent.futures``), not QRunnable: a Python
QRunnable is owned by both Python and Qt, and the garbage collector on the GUI
thread could free one while its worker still ran it (a crash seen under load).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

from ui.qtcompat import emit

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class TaskRunner(QObject):
    """Queue of background tasks with callbacks on the GUI thread.

    Signals:
        busy_changed(bool): work is pending / all done.
    """

    busy_changed = Signal(bool)
    _finished = Signal(int, object, object)  # task number, result, exception

    def __init__(self, parent: QObject | None = None, name: str = "window worker",
                 threads: int = 1) -> None:  # fmt: skip
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=name)
        self._callbacks: dict[int, tuple[Done, Failed]] = {}
        self._numbers = itertools.count()
        self._finished.connect(self._deliver)

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def submit(self, fn: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        number = next(self._numbers)
        self._callbacks[number] = (on_done, on_error)
        if len(self._callbacks) == 1:
            emit(self.busy_changed, True)
        self._executor.submit(self._run, number, fn)

    def _run(self, number: int, fn: Callable[[], Any]) -> None:  # on the worker thread
        try:
            result = fn()
        except BaseException as exc:  # every failure goes back to the window, none is lost
            emit(self._finished, number, None, exc)
        else:
            emit(self._finished, number, result, None)

    def _deliver(self, number: int, result: object, exc: object) -> None:  # on the GUI thread
        # Removed before the callback runs, so the callback sees the queue as it will be
        # (the window decides whether Accept is enabled from it).
        callbacks = self._callbacks.pop(number, None)
        if callbacks is None:
            return
        on_done, on_error = callbacks
        try:
            if isinstance(exc, BaseException):
                on_error(exc)
            else:
                on_done(result)
        finally:
            if not self._callbacks:
                emit(self.busy_changed, False)

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Wait for the task running now; tasks not started yet are dropped."""
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._callbacks.clear()
        return True
