"""The fleet at a glance (창구 현황): every counter PC's heartbeat, problems first.

A panel of the review window for admins and IT: for each counter its status
(✓ fine, ! stale or outdated, ✗ a doctor check failed), PC name, version,
last heartbeat, last scan and what is wrong. The list is read on the window's
worker thread (:func:`records.fleet.fleet_status`); F5 in the panel reloads it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from records.fleet import ISSUE_LABELS, CounterStatus, Fleet, fleet_status
from records.views import KST
from ui.widgets import theme
from ui.widgets.i18n import pick

ISSUES = ISSUE_LABELS
COLUMNS = (
    ("상태", "State"),
    ("기관", "Office"),
    ("창구", "Counter"),
    ("PC", "PC"),
    ("버전", "Version"),
    ("마지막 신호", "Last heartbeat"),
    ("마지막 스캔", "Last scan"),
    ("문제", "Problems"),
)


def _when(value: dt.datetime | None) -> str:
    return value.astimezone(KST).strftime("%m-%d %H:%M") if value else "—"


def _problems(c: CounterStatus) -> str:
    parts = [pick(*ISSUES[i]) for i in c.issues()]
    parts += [p.get("detail", "") for p in c.problems if p.get("status") == "fail"]
    return " · ".join(parts)


class FleetPanel(QDialog):
    """The counters of the office database; ``load`` is the blocking read (worker thread)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window_ = window
        self.fleet: Fleet | None = None
        self.setObjectName("fleet-panel")
        self.setWindowTitle(pick("창구 현황", "Counters at a glance") + " — counter-app")
        theme.style_sheet_on(self)
        lay = QVBoxLayout(self)
        title = QLabel(pick("창구 현황", "Counters at a glance"))
        title.setProperty("role", "h1")
        lay.addWidget(title)
        self.summary = QLabel(pick("불러오는 중…", "Loading…"))
        self.summary.setObjectName("fleet-summary")
        self.summary.setProperty("role", "muted")
        lay.addWidget(self.summary)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("fleet-table")
        self.table.setHorizontalHeaderLabels([pick(ko, en) for ko, en in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        lay.addWidget(self.table, 1)
        close = QPushButton(pick("닫기", "Close"))
        close.clicked.connect(self.accept)
        lay.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        sc = QShortcut(QKeySequence("F5"), self)
        sc.activated.connect(self.reload)
        self.resize(1100, 560)

    def reload(self) -> None:
        service = self.window_.service
        if service is None:
            self.summary.setText(pick("데이터베이스가 열리지 않았습니다", "The database is not open"))
            return
        store = service.store

        def load() -> Fleet:
            with store.read() as s:
                return fleet_status(s)

        authz = self.window_.authz

        def failed(exc: BaseException) -> None:
            authz.lock_if_over(exc)
            self._failed(exc)

        self.window_.runner.submit(authz.guarded("fleet", load), self.show_fleet, failed)

    def _failed(self, exc: BaseException) -> None:
        text = getattr(exc, "message_ko", None) or str(exc)
        self.summary.setText(pick("불러오지 못했습니다: ", "Could not load: ") + text)

    def show_fleet(self, fleet: Fleet) -> None:
        self.fleet = fleet
        problems = len(fleet.problems)
        self.summary.setText(
            pick(
                f"창구 {len(fleet.counters)}대 · 문제 {problems}대 · 최신 버전 {fleet.latest_version or '—'}",
                f"{len(fleet.counters)} counters · {problems} with problems · "
                f"latest version {fleet.latest_version or '—'}",
            )
        )
        self.table.setRowCount(len(fleet.counters))
        for row, c in enumerate(fleet.counters):
            mark, colour = (
                ("✓", theme.SUCCESS) if c.ok else ("✗", theme.ERROR) if c.failing else ("!", theme.WARNING)
            )
            values = (mark, c.office, c.counter, c.host, c.version, _when(c.seen_at),
                      _when(c.last_scan_at), _problems(c))
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col in (0, 7) and not c.ok:
                    item.setForeground(QColor(colour))
                if col == 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    item.setForeground(QColor(colour))
                self.table.setItem(row, col, item)


def fleet_button(window: Any) -> QWidget:
    """The review window's "창구 현황" button (F12): opens the panel and loads it.

    For accounts with the "fleet" right (admins and supervisors); a refusal is
    audited like any other.
    """
    button = QPushButton(pick("창구 현황", "Counters"))
    button.setObjectName("review-fleet")
    button.setToolTip(pick("창구 PC의 버전·점검 결과·마지막 신호 (F12)",
                           "Each counter PC's version, checks and last heartbeat (F12)"))

    def open_panel() -> None:
        if not window.authz.allowed("fleet"):
            return
        panel = FleetPanel(window)
        window.fleet_panel = panel
        panel.show()
        panel.reload()

    button.clicked.connect(open_panel)
    sc = QShortcut(QKeySequence("F12"), window)
    sc.activated.connect(open_panel)
    return button
