"""Building a counter window for a test (same wiring as the program)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLineEdit, QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.compose import CounterParts, build_counter, make_opener
from app.review_demo import DemoDay
from counter_app.demo import DemoKit
from decoding.forms.catalogue import Catalogue
from records.models import AuditEvent
from ui.counter.devices import DeviceAdapter
from ui.review.window import ReviewWindow


def make_counter(
    tmp_path: Path,
    kit: DemoKit,
    catalogue: Catalogue,
    *,
    scanners: list[str] | None = None,
    extra: list[DeviceAdapter] | None = None,
    restore: bool = True,
    **more: Any,
) -> CounterParts:
    parts = build_counter(
        data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'cases.db'}",
        key_files=[kit.private_key], office="3210000", counter="민원1", clerk="tester",
        scanners=scanners if scanners is not None else ["keyboard"], extra_devices=extra,
        seal_capture=lambda: str(kit.seals[0]), catalogue=catalogue, sound=False,
        restore=restore, **more,
    )
    parts.window.resize(1366, 768)
    parts.session.seen.clock = LookClock()
    # The clerk's answers to the accept's questions (no modal dialog in a test): accept
    # without a required document's page, with this reason; warnings are not confirmed by
    # a question (a test ticks 경고 확인함, or expects the accept to stop).
    parts.window.flow.ask_reason = lambda missing: TEST_REASON
    parts.window.flow.confirm_warnings = lambda warnings: False
    return parts


TEST_REASON = "원본 신분증 확인 (test)"


class LookClock:
    """The seen guard's clock in a window test: the monotonic clock, plus the time the clerk
    spent looking (:func:`look`), so a test need not sleep through the guard."""

    def __init__(self) -> None:
        self.looked = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.looked


def look(parts: CounterParts) -> None:
    """The clerk looks at the petition on screen for the guard's whole time."""
    clock = parts.session.seen.clock
    assert isinstance(clock, LookClock)
    clock.looked += parts.session.seen.seconds


# The start of a script that runs a counter window in a child process (crash and kill
# tests): argv[1] is the data folder, argv[2] the demo kit's folder.
CHILD_COUNTER = r"""
import os, signal, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from ui.widgets.qtapp import make_app
from app.demo import wait_for
from tests.ui.helpers import make_counter
from counter_app.demo import build_demo
from decoding.forms.catalogue import default_catalogue
app = make_app("ko")
tmp, kit_dir = Path(sys.argv[1]), Path(sys.argv[2])
cat = default_catalogue()
kit = build_demo(kit_dir, cat)
parts = make_counter(tmp, kit, cat)
s = parts.session
"""


def run_child(script: str, tmp_path: Path, kit: DemoKit) -> subprocess.CompletedProcess[str]:
    """Run ``CHILD_COUNTER + script`` in a fresh Python; it is expected to be killed."""
    repo = Path(__file__).resolve().parents[2]
    return subprocess.run(
        [sys.executable, "-c", CHILD_COUNTER + script, str(tmp_path), str(kit.folder)],
        cwd=repo, capture_output=True, text=True, timeout=90,
        env={**os.environ, "PYTHONPATH": str(repo)},
    )


def focused_edit(qtbot: QtBot) -> QLineEdit:
    """An empty line edit, shown and focused: where a scanner's keys land in the wedge tests."""
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    return edit


# -- the supervisor's review window ---------------------------------------------------

WAIT = 10_000  # ms: every wait in the review tests is bounded


def open_window(qtbot: QtBot, opener: object, day: dt.date | None = None) -> ReviewWindow:
    w = ReviewWindow(opener, day)  # type: ignore[arg-type]
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def open_review(qtbot: QtBot, day: DemoDay, catalogue: Catalogue) -> ReviewWindow:
    """The review window on ``day``'s database, its first page loaded and nothing pending."""
    w = open_window(qtbot, make_opener(day.settings, catalogue=catalogue))
    qtbot.wait_until(lambda: w.data is not None, timeout=WAIT)
    idle(qtbot, w)
    return w


def idle(qtbot: QtBot, w: ReviewWindow) -> None:
    qtbot.wait_until(lambda: not w.runner.pending, timeout=WAIT)


def select_case(qtbot: QtBot, w: ReviewWindow, case_id: int) -> None:
    row = w.model.row_of(case_id)
    assert row >= 0
    w.select_row(row)
    qtbot.wait_until(lambda: w.bundle is not None and w.bundle.detail.row.id == case_id,
                     timeout=WAIT)
    idle(qtbot, w)


def table_rows(table: QTableWidget) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def audit_actions(day: DemoDay, case_number: str | None = None) -> list[str]:
    from counter_app.intake import open_store

    store = open_store(day.settings, migrate=False)
    try:
        with store.read() as s:
            q = select(AuditEvent.action).order_by(AuditEvent.seq)
            if case_number:
                q = q.where(AuditEvent.case_number == case_number)
            return list(s.execute(q).scalars())
    finally:
        store.close()


def audit_details(day: DemoDay) -> list[tuple[str, dict[str, Any]]]:
    """Every audit event's action and detail, oldest first."""
    import json

    from counter_app.intake import open_store

    store = open_store(day.settings, migrate=False)
    try:
        with store.read() as s:
            rows = s.execute(select(AuditEvent.action, AuditEvent.detail).order_by(AuditEvent.seq))
            return [(action, json.loads(detail)) for action, detail in rows]
    finally:
        store.close()
