"""The day at a glance: bar charts drawn with QPainter (PySide6-Essentials has no QtCharts).

:func:`day_charts` turns the day's statistics into :class:`Chart` values;
:func:`paint_chart` draws one on any painter, so the review window's
widgets and the daily report's PDF pages show the same picture. A bar that
stands for a filter (an hour, a form, a clerk, QR or paper, returned cases)
carries it; clicking the bar, or choosing it with the arrow keys and Enter,
filters the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QWidget

from records.caselist import WAIT_BUCKETS
from records.daystats import DayStats
from ui.widgets import theme
from ui.widgets.i18n import pick, tr

MAX_BARS = 7  # a horizontal chart shows the biggest; the rest are one "그 외" bar


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    key: Any = None  # the filter value this bar stands for (None: not a filter)
    field: str | None = None  # its own filter, where it is not the chart's ("그 외": the rest)


@dataclass(frozen=True)
class Chart:
    name: str  # "hour", "form", "clerk", "source", "wait", "reason"
    title: str
    bars: list[Bar]
    vertical: bool = False
    field: str | None = None  # the list filter a bar sets ("hour", "form", …)
    note: str = ""  # under the title: a total, a median

    @property
    def clickable(self) -> bool:
        return self.field is not None


def _top(bars: list[Bar], rest_field: str | None = None) -> list[Bar]:
    """The biggest bars; the rest as one "그 외 N" bar that filters the list to all of them."""
    if len(bars) <= MAX_BARS:
        return bars
    rest = bars[MAX_BARS - 1:]
    return [*bars[:MAX_BARS - 1], Bar(tr("그 외 {n}").format(n=len(rest)), sum(b.value for b in rest),
                                      tuple(b.key for b in rest), rest_field)]


def day_charts(stats: DayStats, form_title: Callable[[str], str]) -> list[Chart]:
    """The six charts of a day (or a range of days)."""
    hours = [Bar(f"{h}", n, h) for h, n in stats.by_hour]
    forms = _top([Bar(form_title(code), n, code) for code, n in stats.by_form], "forms")
    clerks = _top([Bar(clerk, n, clerk) for clerk, n in stats.by_clerk], "clerks")
    source = [Bar("QR", stats.by_source.get("qr", 0), "qr"),
              Bar(tr("종이"), stats.by_source.get("paper", 0), "paper")]
    waits = [Bar(pick(ko, en), n, i)
             for i, ((_, ko, en), n) in enumerate(zip(WAIT_BUCKETS, stats.waits, strict=True))]
    median = stats.wait_median_s
    wait_note = (tr("중앙값 {s}초").format(s=f"{median:.0f}") if median is not None
                 else tr("기록 없음"))
    # a reason's bar keeps the returned cases of that reason: its count is the list's
    reasons = _top([Bar(reason, n, reason) for reason, n in stats.reasons])
    returned = stats.by_status.get("returned", 0)
    qr_share = (100 * stats.by_source.get("qr", 0) / stats.total) if stats.total else 0
    return [
        Chart("hour", tr("시간대별 접수"), hours, vertical=True, field="hour",
              note=tr("총 {n}건").format(n=stats.total)),
        Chart("form", tr("서식별"), forms, field="form"),
        Chart("clerk", tr("담당자별"), clerks, field="clerk"),
        Chart("source", tr("QR · 종이"), source, field="source",
              note=tr("QR {p}%").format(p=f"{qr_share:.0f}")),
        Chart("wait", tr("스캔에서 접수까지"), waits, field="wait", note=wait_note),
        Chart("reason", tr("반려 사유"), reasons, field="reason",
              note=tr("반려 {n}건").format(n=returned)),
    ]


def _font(base: QFont, px: float, bold: bool = False) -> QFont:
    f = QFont(base)
    f.setPixelSize(max(1, round(px)))
    f.setBold(bold)
    return f


def paint_chart(p: QPainter, rect: QRectF, chart: Chart, base: QFont, *, scale: float = 1.0,
                current: int = -1, focused: bool = False, active: Any = None) -> list[QRectF]:
    """Draw ``chart`` in ``rect``; the rectangles of its bars (for clicks) are returned.

    ``scale`` multiplies the pixel sizes (the PDF draws at a higher resolution);
    ``current`` is the bar chosen with the keyboard; ``active`` the key the list is
    filtered by (its bar stays coloured, the others pale).
    """
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    pad = 8 * scale
    title_font, text_font, small = _font(base, 15 * scale, True), _font(base, 13 * scale), _font(base, 12 * scale)
    p.setPen(QPen(QColor(theme.PRIMARY if focused else theme.BORDER), (2 if focused else 1) * scale))
    p.setBrush(QColor(theme.WHITE))
    p.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 6 * scale, 6 * scale)
    p.setFont(title_font)
    p.setPen(QColor(theme.TEXT))
    tm = QFontMetricsF(title_font)
    top = rect.top() + pad
    p.drawText(QRectF(rect.left() + pad, top, rect.width() - 2 * pad, tm.height()),
               Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, chart.title)
    if chart.note:
        p.setFont(small)
        p.setPen(QColor(theme.TEXT_SUBTLE))
        p.drawText(QRectF(rect.left() + pad, top, rect.width() - 2 * pad, tm.height()),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, chart.note)
    area = QRectF(rect.left() + pad, top + tm.height() + pad / 2, rect.width() - 2 * pad,
                  rect.bottom() - pad - (top + tm.height() + pad / 2))
    if not chart.bars or not any(b.value for b in chart.bars):
        p.setFont(text_font)
        p.setPen(QColor(theme.TEXT_SUBTLE))
        p.drawText(area, Qt.AlignmentFlag.AlignCenter, tr("없음"))
        p.restore()
        return [QRectF() for _ in chart.bars]
    # The scale is set by the bars themselves; a "그 외" bar (many clerks together) is cut at
    # the full width rather than squashing every other bar into a sliver.
    own = [b.value for b in chart.bars if b.key is not None or not chart.clickable]
    peak = max(own or [b.value for b in chart.bars])
    fill = QColor(theme.PRIMARY if chart.clickable else theme.TEXT_SUBTLE)
    if chart.name == "reason":
        fill = QColor(theme.ERROR)
    pale = QColor(fill)
    pale.setAlpha(70)

    def colour(b: Bar) -> QColor:
        if chart.clickable and b.key is None:
            return QColor(theme.BORDER)  # "그 외": not a filter
        return pale if active is not None and b.key != active else fill

    rects: list[QRectF] = []
    fm = QFontMetricsF(small)
    if chart.vertical:
        label_h = fm.height()
        plot = area.adjusted(0, label_h, 0, -label_h)  # values above, labels below
        step = plot.width() / len(chart.bars)
        for i, b in enumerate(chart.bars):
            h = plot.height() * min(1.0, b.value / peak) if peak else 0
            r = QRectF(plot.left() + i * step + step * 0.15, plot.bottom() - h, step * 0.7, h)
            hit = QRectF(plot.left() + i * step, area.top(), step, area.height())
            rects.append(hit)
            if i == current:
                p.fillRect(hit, QColor(theme.PRIMARY_LIGHT))
            p.fillRect(r, colour(b))
            p.setFont(small)
            p.setPen(QColor(theme.TEXT_SUBTLE))
            p.drawText(QRectF(hit.left(), plot.bottom(), step, label_h), Qt.AlignmentFlag.AlignCenter, b.label)
            if b.value:
                p.setPen(QColor(theme.TEXT))
                p.drawText(QRectF(hit.left() - step, r.top() - label_h, 3 * step, label_h),
                           Qt.AlignmentFlag.AlignCenter, str(b.value))
    else:
        row_h = min(area.height() / len(chart.bars), 30 * scale)
        label_w = area.width() * 0.38
        value_w = fm.horizontalAdvance(str(peak)) + 6 * scale
        bar_w = area.width() - label_w - value_w - 6 * scale
        p.setFont(small)
        for i, b in enumerate(chart.bars):
            y = area.top() + i * row_h
            hit = QRectF(area.left(), y, area.width(), row_h)
            rects.append(hit)
            if i == current:
                p.fillRect(hit, QColor(theme.PRIMARY_LIGHT))
            p.setPen(QColor(theme.TEXT))
            label = fm.elidedText(b.label, Qt.TextElideMode.ElideRight, label_w - 6 * scale)
            p.drawText(QRectF(area.left(), y, label_w - 6 * scale, row_h),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
            w = bar_w * min(1.0, b.value / peak) if peak else 0
            p.fillRect(QRectF(area.left() + label_w, y + row_h * 0.2, max(w, 1 * scale if b.value else 0),
                              row_h * 0.6), colour(b))
            p.drawText(QRectF(area.left() + label_w + w + 4 * scale, y, value_w, row_h),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, str(b.value))
    p.restore()
    return rects


class ChartView(QWidget):
    """One chart; a click on a bar (or ←/→/↑/↓ then Enter) emits ``chosen(field, key)``."""

    chosen = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart: Chart | None = None
        self.rects: list[QRectF] = []
        self.current = -1
        self.active: Any = None  # the key the list is filtered by
        self.setMinimumSize(QSize(180, 150))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def set_chart(self, chart: Chart) -> None:
        self.chart = chart
        self.current = -1
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if chart.clickable else Qt.FocusPolicy.NoFocus)
        self.setObjectName(f"chart-{chart.name}")
        self.setAccessibleName(chart.title)
        self.setAccessibleDescription(", ".join(f"{b.label} {b.value}" for b in chart.bars))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.chart is None:
            return
        p = QPainter(self)
        self.rects = paint_chart(p, QRectF(self.rect()), self.chart, self.font(),
                                 current=self.current if self.hasFocus() else -1,
                                 focused=self.hasFocus(), active=self.active)
        p.end()

    def bar_at(self, point: QPointF) -> int:
        return next((i for i, r in enumerate(self.rects) if r.contains(point)), -1)

    def choose(self, i: int) -> None:
        """Filter the list by bar ``i`` (a click does this)."""
        if self.chart is None or self.chart.field is None or not 0 <= i < len(self.chart.bars):
            return
        bar = self.chart.bars[i]
        if bar.key is not None and bar.value:
            self.chosen.emit(bar.field or self.chart.field, bar.key)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        i = self.bar_at(event.position())
        ok = self.chart is not None and self.chart.clickable and i >= 0 and \
            self.chart.bars[i].key is not None and self.chart.bars[i].value > 0
        self.setCursor(Qt.CursorShape.PointingHandCursor if ok else Qt.CursorShape.ArrowCursor)
        if ok and self.chart is not None:
            bar = self.chart.bars[i]
            self.setToolTip(f"{bar.label}: {bar.value} — " + tr("눌러서 목록 거르기"))
        else:
            self.setToolTip("")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.choose(self.bar_at(event.position()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.chart is None or not self.chart.bars:
            return super().keyPressEvent(event)
        key = event.key()
        n = len(self.chart.bars)
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.current = (self.current + 1) % n
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.current = (self.current - 1) % n
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.choose(self.current)
        else:
            return super().keyPressEvent(event)
        self.update()

    def focusInEvent(self, event: QFocusEvent) -> None:
        if self.current < 0:
            self.current = 0
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)


class DayCharts(QWidget):
    """The six charts in a grid of two columns; ``chosen(field, key)`` from any of them."""

    chosen = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review-charts")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        self.views: list[ChartView] = []
        for i in range(6):
            v = ChartView(self)
            v.chosen.connect(self.chosen)
            grid.addWidget(v, i // 2, i % 2)
            self.views.append(v)
        self.charts: list[Chart] = []

    def set_charts(self, charts: list[Chart]) -> None:
        self.charts = charts
        for v, c in zip(self.views, charts, strict=True):
            v.set_chart(c)

    def set_active(self, filters: dict[str, Any]) -> None:
        """The bars of the list's filters stay coloured, the rest of their chart pale."""
        for v in self.views:
            field = v.chart.field if v.chart is not None else None
            active = filters.get(field) if field else None
            rest = {"form": "forms", "clerk": "clerks"}.get(field or "")
            if active is None and rest and filters.get(rest):
                active = tuple(filters[rest])  # the "그 외" bar
            if active != v.active:
                v.active = active
                v.update()

    def view(self, name: str) -> ChartView:
        return next(v for v in self.views if v.chart is not None and v.chart.name == name)
