"""``counter-app district review``: the review charts and the fleet across offices.

The window reads through :mod:`counter_app.district` only (so a supervisor
viewer sees only the office, by the same rule as ``district fleet``), on a
worker thread (:class:`ui.widgets.workers.TaskRunner`). The six charts are the review
window's (:func:`ui.review.charts.day_charts`), with "by clerk" drawn as "by
office": the district holds no clerk names. Clicking a bar of the form,
origin, reasons or office chart filters the rest, as in the review window.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import Engine

from counter_app import district as service
from records.daystats import DayStats
from records.district import RETURN_CATEGORIES
from records.views import KST
from ui.review.charts import Bar, Chart, DayCharts, day_charts
from ui.widgets.i18n import english, tr
from ui.widgets.workers import TaskRunner

COUNT_COLUMNS = ("office", "total", "received", "returned", "completed", "qr", "paper", "proxy",
                 "warnings", "corrected", "documents_missing")
COUNT_HEADERS = ("기관", "총", "처리 중", "반려", "완료", "QR", "종이", "대리", "경고", "수정",
                 "서류 누락")
FLEET_HEADERS = ("기관", "창구", "버전", "설정", "마지막 신호", "문제")


def issue_label(issue: str) -> str:
    """A fleet issue (records.district_stats.district_fleet) in the window's language."""
    labels = {"stale": tr("응답 없음"), "outdated": tr("구버전"), "failing": tr("점검 실패"),
              "config_refused": tr("설정 거부"), "config_differs": tr("설정 다름"),
              "update_fail": tr("업데이트 실패"), "update_warn": tr("업데이트 주의")}
    return labels.get(issue, issue)


def kst(iso: str | None) -> str:
    if not iso:
        return "-"
    return dt.datetime.fromisoformat(iso).astimezone(KST).strftime("%m-%d %H:%M")


def _day(d: QDate) -> dt.date:
    return dt.date(d.year(), d.month(), d.day())


def office_charts(stats: DayStats) -> list[Chart]:
    """The review window's six charts, the clerks' chart standing for the offices."""
    charts = day_charts(stats, lambda code: service.form_title(code, english()))
    out = []
    for c in charts:
        if c.name == "clerk":
            bars = [Bar(b.label, b.value, b.key) for b in c.bars]
            c = Chart("office", tr("기관별"), bars, field="office")
        out.append(c)
    return out


class DistrictWindow(QMainWindow):
    """The district's day (or days): filters, six charts, counts per office, the fleet."""

    def __init__(self, engine: Engine, viewer: service.Viewer, day: dt.date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine, self.viewer = engine, viewer
        self.filters: dict[str, Any] = {}
        self.runner = TaskRunner(self, "district worker")
        scope = (tr("모든 기관") if viewer.role == "district"
                 else tr("기관 {office}").format(office=viewer.office))
        self.setWindowTitle(f"{tr('지구 민원 현황')} — {viewer.name} ({scope})")
        body = QWidget()
        lay = QVBoxLayout(body)
        bar = QHBoxLayout()
        self.first, self.last = QDateEdit(), QDateEdit()
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.dateChanged.connect(self.reload)
        self.office = QComboBox()
        self.office.setObjectName("district-office")
        self.office.addItem(tr("모든 기관") if viewer.role == "district" else viewer.office or "", None)
        self.office.currentIndexChanged.connect(self.reload)
        self.clear = QPushButton(tr("거르기 해제"))
        self.clear.clicked.connect(self.clear_filters)
        self.status = QLabel()
        self.status.setObjectName("district-status")
        for w in (QLabel(tr("기간")), self.first, QLabel("~"), self.last, QLabel(tr("기관")),
                  self.office, self.clear):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.status)
        lay.addLayout(bar)
        self.tabs = QTabWidget()
        counts_page = QWidget()
        cl = QVBoxLayout(counts_page)
        self.charts = DayCharts()
        self.charts.chosen.connect(self.choose)
        cl.addWidget(self.charts, 2)
        self.counts = QTableWidget(0, len(COUNT_COLUMNS))
        self.counts.setObjectName("district-counts")
        self.counts.setHorizontalHeaderLabels([tr(h) for h in COUNT_HEADERS])
        cl.addWidget(self.counts, 1)
        self.tabs.addTab(counts_page, tr("접수 현황"))
        self.fleet = QTableWidget(0, len(FLEET_HEADERS))
        self.fleet.setObjectName("district-fleet")
        self.fleet.setHorizontalHeaderLabels([tr(h) for h in FLEET_HEADERS])
        for table in (self.counts, self.fleet):
            table.verticalHeader().setVisible(False)
            table.verticalHeader().setDefaultSectionSize(26)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.fleet.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.fleet.horizontalHeader().setStretchLastSection(True)
        self.tabs.addTab(self.fleet, tr("창구 상태"))
        lay.addWidget(self.tabs)
        self.setCentralWidget(body)
        self.loaded = 0  # loads finished (tests wait on it)
        self.reload()

    def query(self) -> dict[str, Any]:
        first = _day(self.first.date())
        last = max(first, _day(self.last.date()))
        office = self.filters.get("office") or self.office.currentData()
        return {"first": first, "last": last, "office": office,
                "form": self.filters.get("form"), "origin": self.filters.get("source"),
                "category": self.filters.get("reason")}

    def reload(self) -> None:
        q = self.query()
        self.status.setText(tr("읽는 중…"))

        def work() -> tuple[DayStats, list[Any], dict[str, Any]]:
            stats, counts = service.review(self.engine, self.viewer, q["first"], q["last"],
                                           office=q["office"], form=q["form"],
                                           origin=q["origin"], category=q["category"])
            return stats, counts, service.fleet(self.engine, self.viewer, q["office"])

        self.runner.submit(work, self.show_data, self.show_error)

    def show_data(self, data: tuple[DayStats, list[Any], dict[str, Any]]) -> None:
        stats, counts, fleet = data
        self.charts.set_charts(office_charts(stats))
        self.charts.set_active(self.filters)
        if self.office.count() == 1 and self.viewer.role == "district":
            for c in counts[:-1]:
                self.office.blockSignals(True)
                self.office.addItem(c.office, c.office)
                self.office.blockSignals(False)
        # The total first, so that it shows without scrolling; then each office.
        ordered = [counts[-1], *counts[:-1]]
        self.counts.setRowCount(len(ordered))
        for r, c in enumerate(ordered):
            values = c.as_json()
            for k, col in enumerate(COUNT_COLUMNS):
                item = QTableWidgetItem(str(values[col]) if values[col] != "" else tr("합계"))
                if r == 0:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.counts.setItem(r, k, item)
        rows = fleet["counters"]
        self.fleet.setRowCount(len(rows))
        for r, x in enumerate(rows):
            cells = (x["office"], x["counter"], x["version"], x["config_hash"][:12],
                     kst(x["seen_at"]), ", ".join(issue_label(i) for i in x["issues"]) or "✓")
            for k, v in enumerate(cells):
                self.fleet.setItem(r, k, QTableWidgetItem(str(v)))
        shown = ", ".join(f"{k}={v}" for k, v in self.filters.items())
        self.status.setText(tr("총 {n}건").format(n=stats.total) + (f" · {shown}" if shown else ""))
        self.loaded += 1

    def show_error(self, exc: BaseException) -> None:
        message = getattr(exc, "message", None) or str(exc).splitlines()[0]
        self.status.setText(message)
        self.loaded += 1

    def choose(self, field: str, key: object) -> None:
        """A bar was clicked: filter by it (clicking the active bar again clears it). The
        district filters by one office, form, origin or return category; an hour, a wait
        or a "그 외 N" bar only shows its count."""
        if field == "reason":  # the bar names the category (its Korean label)
            key = next((code for code, label in RETURN_CATEGORIES.items() if label == key), None)
        if field not in ("office", "form", "source", "reason") or not isinstance(key, str):
            return
        self.filters[field] = None if self.filters.get(field) == key else key
        self.filters = {k: v for k, v in self.filters.items() if v is not None}
        self.reload()

    def clear_filters(self) -> None:
        self.filters = {}
        self.reload()

    def closeEvent(self, event: Any) -> None:
        self.runner.shutdown(5000)
        super().closeEvent(event)
