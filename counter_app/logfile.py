"""The counter's log: a rotating file in the data folder, and the Windows event log.

IT reads what went wrong on a PC after the fact: ``DATA/logs/counter-app.log``
(1 MB, five older files kept), and on Windows the Application event log
(source ``counter-app``) for warnings and errors, where their monitoring
already looks. Every record passes :class:`NoRRN` first: a resident
registration number never reaches a log, whatever a message carries.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import logging.handlers
import sys
from pathlib import Path
from typing import Any

from records.redact import mask_text

LOG_NAME = "counter-app.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
EVENT_SOURCE = "counter-app"
# ReportEventW types
_EVENT_TYPES = {logging.ERROR: 0x0001, logging.WARNING: 0x0002, logging.INFO: 0x0004}
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class NoRRN(logging.Filter):
    """Masks anything shaped like a resident registration number in the final message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class WindowsEventLog(logging.Handler):
    """Warnings and errors into the Application event log (ReportEventW, no pywin32).

    ``advapi32`` is the DLL's ctypes handle; tests hand in an object with the
    same three functions to check the calls on any platform.
    """

    def __init__(self, advapi32: Any = None, source: str = EVENT_SOURCE) -> None:
        super().__init__(logging.WARNING)
        self._api = advapi32 if advapi32 is not None else ctypes.WinDLL("advapi32")  # type: ignore[attr-defined]
        self._handle = self._api.RegisterEventSourceW(None, source)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
            kind = _EVENT_TYPES.get(record.levelno, _EVENT_TYPES[logging.ERROR])
            strings = (ctypes.c_wchar_p * 1)(text)
            self._api.ReportEventW(self._handle, kind, 0, 1000, None, 1, 0, strings, None)
        except Exception:  # a log must never stop the counter
            self.handleError(record)

    def close(self) -> None:
        if self._handle:
            self._api.DeregisterEventSource(self._handle)
            self._handle = None
        super().close()


def install(
    data_dir: Path, *, system: str | None = None, advapi32: Any = None,
    logger: logging.Logger | None = None,
) -> list[logging.Handler]:
    """Add the rotating file (and on Windows the event log) to ``logger`` (the root); once.

    Called when the counter window starts and when an update is applied, never
    by ``doctor`` (which creates nothing). Returns the handlers added.
    """
    target = logger or logging.getLogger()
    if any(getattr(h, "counter_app_log", False) for h in target.handlers):
        return []
    folder = data_dir / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(
            folder / LOG_NAME, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    ]
    if (system or sys.platform) == "win32":
        with contextlib.suppress(OSError, AttributeError):  # no event log: the file is enough
            handlers.append(WindowsEventLog(advapi32))
    for h in handlers:
        h.setFormatter(logging.Formatter(_FORMAT))
        h.addFilter(NoRRN())
        h.counter_app_log = True  # type: ignore[attr-defined]
        target.addHandler(h)
    if target.level == logging.NOTSET or target.level > logging.INFO:
        target.setLevel(logging.INFO)
    return handlers
