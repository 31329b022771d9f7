"""Running slow work (decrypting, validating, the database) off the GUI thread.

A :class:`TaskRunner` runs tasks on its own worker thread(s), in the order
they were submitted (a scan, then the clerk's accept), so the database sees
one writer per window. The outcome comes back through a signal of the runner,
which lives in the GUI thread, so the callbacks run there, typed: ``submit(fn,
on_done, on_error)`` hands ``on_done`` what ``fn`` returned.

Plain Python threads, not QRunnable: a Python QRunnable is owned by both
Python and Qt, and the garbage collector on the GUI thread could free one
while its worker still ran it (a crash seen under load). The threads are
daemon threads: :meth:`TaskRunner.shutdown` waits for the running task only
as long as it is told, so a hung database never hangs the window on close.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from ui.widgets.qtcompat import emit

log = logging.getLogger(__name__)

T = TypeVar("T")
Failed = Callable[[BaseException], None]
_Task = tuple[int, Callable[[], object]] | None  # None: stop


class TaskRunner(QObject):
    """Queue of background tasks with callbacks on the GUI thread.

    Signals:
        busy_changed(bool): work is pending / all done.
    """

    busy_changed = Signal(bool)
    _finished = Signal(int, object, object)  # task number, result, exception

    def __init__(self, parent: QObject | None = None, name: str = "window worker",
                 threads: int = 1) -> None:
        super().__init__(parent)
        self._name = name
        self._size = threads
        self._tasks: queue.SimpleQueue[_Task] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._callbacks: dict[int, tuple[Callable[[Any], None], Failed]] = {}
        self._numbers = itertools.count()
        self._closed = False
        self._finished.connect(self._deliver)

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def submit(self, fn: Callable[[], T], on_done: Callable[[T], None], on_error: Failed) -> None:
        """Run ``fn`` on the worker; ``on_done(result)`` or ``on_error(exc)`` on the GUI thread."""
        if self._closed:
            return
        number = next(self._numbers)
        self._callbacks[number] = (on_done, on_error)
        if len(self._callbacks) == 1:
            emit(self.busy_changed, True)
        if len(self._threads) < self._size:
            t = threading.Thread(target=self._loop, name=f"{self._name}_{len(self._threads)}",
                                 daemon=True)
            self._threads.append(t)
            t.start()
        self._tasks.put((number, fn))

    def _loop(self) -> None:  # on a worker thread
        while True:
            task = self._tasks.get()
            if task is None:
                return
            self._run(*task)

    def _run(self, number: int, fn: Callable[[], object]) -> None:  # on the worker thread
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
        """Drop the tasks not started yet and wait up to ``timeout_ms`` for the running one.

        True when every worker thread has ended; False when one is still
        running (a hung database): it is a daemon thread and is left behind.
        """
        self._closed = True
        while True:
            try:
                self._tasks.get_nowait()
            except queue.Empty:
                break
        for _ in self._threads:
            self._tasks.put(None)
        self._callbacks.clear()
        deadline = time.monotonic() + timeout_ms / 1000
        for t in self._threads:
            t.join(max(0.0, deadline - time.monotonic()))
        alive = [t.name for t in self._threads if t.is_alive()]
        if alive:
            log.warning("worker threads still running after %d ms: %s", timeout_ms, alive)
        return not alive
