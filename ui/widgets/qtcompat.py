"""Guarding against a reference-count bug of PySide6 6.12.0 under Python 3.11.

PySide6 6.12.0 hands back ``None`` from every void method, and ``True`` from
``SignalInstance.emit()``, without taking a reference. Python 3.12 made those
objects immortal, so nothing happens there; on Python 3.11 every call takes a
reference away and the program aborts after a while (``Fatal Python error:
none_dealloc`` / ``bool_dealloc``) — for the counter window, after some
hundreds of scans. ``pyproject.toml`` therefore asks for ``PySide6-Essentials<6.12``.

:func:`check_pyside` finds the bug at start (the window refuses to run with it
rather than crash in front of a queue); :func:`emit` is how ``ui/`` emits
signals, and gives back the reference ``emit()`` took when the bug is present.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    ping = Signal()


def _loses(obj: object, call: Any) -> bool:
    before = sys.getrefcount(obj)
    for _ in range(10):
        call()
    return sys.getrefcount(obj) < before


_INCREF = ctypes.pythonapi.Py_IncRef
_INCREF.argtypes = [ctypes.py_object]
_INCREF.restype = None
_probe = _Probe()
EMIT_NEEDS_FIX = sys.version_info < (3, 12) and _loses(True, _probe.ping.emit)
VOID_CALLS_BROKEN = sys.version_info < (3, 12) and _loses(None, lambda: _probe.setObjectName("p"))
for _obj, _broken in ((True, EMIT_NEEDS_FIX), (None, VOID_CALLS_BROKEN)):
    if _broken:  # give back the references the probe took
        for _ in range(10):
            _INCREF(_obj)


class BrokenPySide(RuntimeError):
    """This PySide6 cannot run the window on this Python (see the module docstring)."""


def check_pyside() -> None:
    if VOID_CALLS_BROKEN:
        raise BrokenPySide(
            f"PySide6 {PYSIDE_VERSION} 은(는) Python {sys.version_info.major}.{sys.version_info.minor}"
            "에서 참조 계산 오류로 멈춥니다. PySide6-Essentials<6.12 를 설치하세요. / "
            f"PySide6 {PYSIDE_VERSION} loses references on Python "
            f"{sys.version_info.major}.{sys.version_info.minor} and would abort: "
            "install PySide6-Essentials<6.12 (or use Python 3.12+)."
        )


def emit(signal: Any, *args: Any) -> None:
    """``signal.emit(*args)``, compensating the PySide6 6.12.0 reference bug when present."""
    result = signal.emit(*args)
    if EMIT_NEEDS_FIX and isinstance(result, bool):
        _INCREF(result)
