"""The counter's log: a rotating file in the data folder, the Windows event log, no RRN."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from counter_app import logfile


class Advapi32:
    """The three event-log functions of advapi32.dll, recording their calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def RegisterEventSourceW(self, server: object, source: str) -> int:
        self.calls.append(("register", (server, source)))
        return 42

    def ReportEventW(self, *args: Any) -> int:
        self.calls.append(("report", args))
        return 1

    def DeregisterEventSource(self, handle: int) -> int:
        self.calls.append(("deregister", (handle,)))
        return 1


def test_the_log_file_rotates_in_the_data_folder_and_never_holds_an_rrn(tmp_path: Path) -> None:
    logger = logging.getLogger("test-logfile-a")
    logger.propagate = False
    handlers = logfile.install(tmp_path / "data", system="linux", logger=logger)
    try:
        assert len(handlers) == 1
        assert logfile.install(tmp_path / "data", system="linux", logger=logger) == []  # once
        logger.warning("case for %s refused", "900101-1234568")
        for _ in range(3000):  # more than MAX_BYTES: rotated, five kept at most
            logger.info("x" * 500)
        files = sorted(p.name for p in (tmp_path / "data" / "logs").iterdir())
        assert files[0] == "counter-app.log" and 2 <= len(files) <= 1 + logfile.BACKUPS
        text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "data" / "logs").iterdir())
        assert "1234568" not in text
    finally:
        for h in handlers:
            logger.removeHandler(h)
            h.close()


def test_on_windows_warnings_also_go_to_the_event_log(tmp_path: Path) -> None:
    api = Advapi32()
    logger = logging.getLogger("test-logfile-b")
    logger.propagate = False
    handlers = logfile.install(tmp_path / "data", system="win32", advapi32=api, logger=logger)
    try:
        assert [type(h).__name__ for h in handlers] == ["RotatingFileHandler", "WindowsEventLog"]
        logger.info("started")  # below WARNING: the file only
        logger.error("update failed for 9001011234568")
        reports = [args for name, args in api.calls if name == "report"]
        assert len(reports) == 1
        handle, kind, _cat, _event, _sid, count, _size, strings, _data = reports[0]
        assert (handle, kind, count) == (42, 0x0001, 1)
        assert "update failed" in strings[0] and "1234568" not in strings[0]
    finally:
        for h in handlers:
            logger.removeHandler(h)
            h.close()
    assert ("deregister", (42,)) in api.calls
