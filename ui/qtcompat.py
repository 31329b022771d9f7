"""Work-around for a reference-count bug of PySide6 6.12.0: ``SignalInstance.emit()``
returns ``True`` without taking a reference, so every ``emit()`` made from Python
takes one reference away from ``True``. On Python 3.11 (where ``True`` is not
immortal) the program aborts after some thousands of emits
(``Fatal Python error: bool_dealloc``) — for the counter window, after a few
hundred scans.

:func:`emit` emits and gives the reference back, only when a probe at import
shows that this PySide6 has the bug, so a fixed PySide6 is left alone. All
signals in ``ui/`` are emitted through it.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    ping = Signal()


def _emit_loses_a_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(10):
        probe.ping.emit()
    return sys.getrefcount(True) < before


_INCREF = ctypes.pythonapi.Py_IncRef
_INCREF.argtypes = [ctypes.py_object]
_INCREF.restype = None
EMIT_NEEDS_FIX = sys.version_info < (3, 12) and _emit_loses_a_reference()
if EMIT_NEEDS_FIX:  # give back the 10 references the probe took
    for _ in range(10):
        _INCREF(True)


def emit(signal: Any, *args: Any) -> None:
    """``signal.emit(*args)``, compensating the PySide6 6.12.0 reference bug when present."""
    result = signal.emit(*args)
    if EMIT_NEEDS_FIX and isinstance(result, bool):
        _INCREF(result)
