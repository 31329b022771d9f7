"""The daily report (일일 민원 보고서) as a PDF: QPdfWriter with the shipped Pretendard GOV font.

Page one: the day's counts and the six charts of the review window (drawn
by the same :func:`ui.review.charts.paint_chart`). Then the returned cases
with their reasons, and every reveal, print and export of personal data
that day (who, when, at which counter, which case). The font is embedded
(Qt subsets it with a ToUnicode map), so the text can be searched and
copied: ``pdftotext`` reads the counts back in Korean.

No personal data is printed: case numbers, forms, clerks, reasons, counts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPdfWriter,
    QPen,
)
from PySide6.QtWidgets import QFileDialog, QWidget

from records.audit import ACTION_EN, ACTION_KO
from records.daystats import DayStats
from records.views import KST
from ui.printing.pdf import pdf_file
from ui.review.charts import day_charts, paint_chart
from ui.widgets import theme
from ui.widgets.i18n import pick, tr
from ui.widgets.qtapp import load_fonts

DPI = 300
# Qt's PDF writer maps Pretendard GOV's ASCII hyphen glyph back to a space in the text layer
# (the page looks right; copied or searched text loses it). U+2010 HYPHEN looks the same and
# keeps case numbers and dates findable in the PDF.
PDF_TEXT = str.maketrans({"-": "\u2010"})
UNIT = DPI / 96  # the layout below is in CSS pixels of an A4 page (794 x 1123)
WEEKDAYS_KO = "월화수목금토일"


KINDS = {"day": ("일일 민원 보고서", "Daily petition report"),
         "week": ("주간 민원 보고서", "Weekly petition report"),
         "month": ("월간 민원 보고서", "Monthly petition report")}
APPROVERS = ("담당", "팀장", "과장")  # the 결재란: who signs the report, in order


@dataclass(frozen=True)
class ReportInfo:
    office: str  # the office code (기관 코드)
    made_by: str  # the account (clerk name) and counter that made it
    made_at: dt.datetime
    office_name: str = ""  # as the office calls itself; the code when not configured
    checkpoint: str = ""  # the audit chain's checkpoint after the report's own event (CP1-…)
    kind: str = "day"  # day, week or month

    @property
    def title(self) -> str:
        ko, en = KINDS[self.kind]
        return pick(ko, en)

    @property
    def office_line(self) -> str:
        return f"{self.office_name} ({self.office})" if self.office_name else self.office


def day_title(first: dt.date, last: dt.date) -> str:
    def one(d: dt.date) -> str:
        return f"{d.isoformat()} ({pick(WEEKDAYS_KO[d.weekday()], d.strftime('%a'))})"

    return one(first) if first == last else f"{one(first)} ~ {one(last)}"


class _Pages:
    """A painter on the PDF with a cursor: text lines and tables that continue on new pages."""

    def __init__(self, writer: QPdfWriter, family: str, footer: str) -> None:
        self.writer = writer
        self.p = QPainter(writer)
        self.family = family
        self.footer = footer
        self.page = 1
        rect = writer.pageLayout().paintRectPixels(DPI)
        self.width = rect.width() / UNIT
        self.height = rect.height() / UNIT
        self.y = 0.0
        self.p.scale(UNIT, UNIT)

    def font(self, px: float, bold: bool = False) -> QFont:
        f = QFont(self.family)
        f.setPixelSize(max(1, round(px)))  # the painter is scaled: CSS pixels
        f.setBold(bold)
        return f

    def _draw_footer(self) -> None:
        self.p.setFont(self.font(9))
        self.p.setPen(QColor(theme.TEXT_SUBTLE))
        rect = QRectF(0, self.height - 14, self.width, 14)
        self.p.drawText(rect, Qt.AlignmentFlag.AlignLeft, self.footer.translate(PDF_TEXT))
        self.p.drawText(rect, Qt.AlignmentFlag.AlignRight, f"- {self.page} -")

    def new_page(self) -> None:
        self._draw_footer()
        self.writer.newPage()
        self.page += 1
        self.y = 0.0

    def room(self, h: float) -> None:
        if self.y + h > self.height - 24:
            self.new_page()

    def text(self, text: str, px: float = 11, bold: bool = False, colour: str = theme.TEXT,
             gap: float = 4) -> None:
        f = self.font(px, bold)
        h = QFontMetricsF(f).height()
        self.room(h)
        self.p.setFont(f)
        self.p.setPen(QColor(colour))
        self.p.drawText(QRectF(0, self.y, self.width, h), Qt.AlignmentFlag.AlignLeft,
                        text.translate(PDF_TEXT))
        self.y += h + gap

    def table(self, headers: list[str], widths: list[float], rows: list[list[str]],
              empty: str) -> None:
        """Rows of cells; long cells are cut with "…"; the header repeats on each page."""
        f, fb = self.font(9.5), self.font(9.5, True)
        fm = QFontMetricsF(f)
        h = fm.height() + 6
        xs = [sum(widths[:i]) * self.width for i in range(len(widths))]

        def header() -> None:
            self.p.fillRect(QRectF(0, self.y, self.width, h), QColor(theme.SURFACE))
            self.p.setFont(fb)
            self.p.setPen(QColor(theme.TEXT))
            for x, w, t in zip(xs, widths, headers, strict=True):
                self.p.drawText(QRectF(x + 4, self.y, w * self.width - 8, h),
                                Qt.AlignmentFlag.AlignVCenter, t)
            self.y += h

        self.room(2 * h)
        header()
        if not rows:
            self.p.setFont(f)
            self.p.setPen(QColor(theme.TEXT_SUBTLE))
            self.p.drawText(QRectF(4, self.y, self.width, h), Qt.AlignmentFlag.AlignVCenter, empty)
            self.y += h + 8
            return
        for row in rows:
            if self.y + h > self.height - 24:
                self.new_page()
                header()
            self.p.setFont(f)
            self.p.setPen(QColor(theme.TEXT))
            for x, w, t in zip(xs, widths, row, strict=True):
                room = w * self.width - 8
                shown = fm.elidedText(t.translate(PDF_TEXT), Qt.TextElideMode.ElideRight, room)
                self.p.drawText(QRectF(x + 4, self.y, room, h), Qt.AlignmentFlag.AlignVCenter, shown)
            self.p.setPen(QPen(QColor(theme.SURFACE), 0.5))
            self.p.drawLine(0, round(self.y + h), round(self.width), round(self.y + h))
            self.y += h
        self.y += 8

    def finish(self) -> None:
        self._draw_footer()
        self.p.end()


def write_day_report(stats: DayStats, out: Path, info: ReportInfo,
                     form_title: Callable[[str], str]) -> int:
    """Write the report; the number of pages. Raises OSError when ``out`` cannot be written."""
    family = load_fonts() or theme.FONT_FAMILY
    title = info.title
    with pdf_file(out, f"{title} {day_title(stats.first, stats.last)}", resolution=DPI) as writer:
        return _write_pages(writer, stats, info, form_title, family, title)


def _write_pages(writer: QPdfWriter, stats: DayStats, info: ReportInfo,
                 form_title: Callable[[str], str], family: str, title: str) -> int:
    made_at = info.made_at.astimezone(KST).strftime("%Y-%m-%d %H:%M")
    pages = _Pages(writer, family, f"{title} · {info.office_line} · {made_at}")
    _approval_box(pages)
    pages.text(title, 22, bold=True, gap=2)
    pages.text(info.office_line, 14, bold=True, gap=2)
    pages.text(tr("기간 {period}").format(period=day_title(stats.first, stats.last)), 11, gap=2)
    pages.text(tr("작성 {who} · {at}").format(who=info.made_by, at=made_at), 10,
               colour=theme.TEXT_SUBTLE, gap=16)
    pages.y = max(pages.y, APPROVAL_HEIGHT + 12)
    _counts(pages, stats)
    _checkpoint(pages, info.checkpoint)
    _charts(pages, stats, form_title)
    pages.new_page()
    pages.text(tr("반려 사유별 {n}건").format(n=len(stats.returned)), 14, bold=True, gap=6)
    pages.table([tr("반려 사유"), tr("건수")], [0.8, 0.2],
                [[reason, tr("{n}건").format(n=n)] for reason, n in stats.reasons],
                tr("반려된 민원이 없습니다."))
    returned_by = Counter(r.clerk for r in stats.returned)
    pages.text(tr("담당자별 접수 {n}명").format(n=len(stats.by_clerk)), 14, bold=True, gap=6)
    pages.table([tr("담당자"), tr("접수 건수"), tr("반려 건수")], [0.4, 0.3, 0.3],
                [[clerk, str(n), str(returned_by.get(clerk, 0))] for clerk, n in stats.by_clerk],
                tr("접수된 민원이 없습니다."))
    pages.text(tr("반려 민원 {n}건").format(n=len(stats.returned)), 14, bold=True, gap=6)
    pages.table([tr("접수번호"), tr("서식"), tr("담당자 (창구)"), tr("반려 사유")], [0.2, 0.22, 0.16, 0.42],
                [[r.case_number, form_title(r.form_code), f"{r.clerk} ({r.counter})", r.reason]
                 for r in stats.returned], tr("반려된 민원이 없습니다."))
    actions = ACTION_EN if pick("ko", "en") == "en" else ACTION_KO
    pages.text(tr("개인정보 열람·출력·내보내기 {n}건").format(n=len(stats.access)), 14, bold=True, gap=6)
    pages.table([tr("시각"), tr("계정"), tr("창구"), tr("행위"), tr("접수번호"), tr("내용")],
                [0.1, 0.14, 0.12, 0.18, 0.2, 0.26],
                [[a.at.astimezone(KST).strftime("%H:%M:%S"), a.actor, a.counter,
                  actions.get(a.action, a.action), a.case_number or "—", _access_detail(a.detail)]
                 for a in stats.access], tr("이 날 열람·출력·내보내기가 없습니다."))
    pages.finish()
    return pages.page


def _access_detail(d: dict[str, object]) -> str:
    """What was revealed, printed or exported, in words (never the raw audit detail)."""
    person = {"applicant": tr("신청인"), "delegate": tr("대리인")}
    if "person" in d:
        return person.get(str(d["person"]), str(d["person"]))
    fields = d.get("fields")
    if isinstance(fields, list):  # F8 at the counter, on the petition in hand
        who = ", ".join(person.get(str(f), str(f)) for f in fields)
        return tr("창구에서 확인") + f" ({who})"
    if "what" in d:
        return {"receipt": tr("접수증"), "daily_report": tr("보고서"), "form": tr("신청서"),
                "power_of_attorney": tr("위임장")}.get(str(d["what"]), str(d["what"]))
    if "cases" in d:
        return tr("{n}건").format(n=d["cases"])
    return ""


APPROVAL_WIDTH, APPROVAL_HEAD, APPROVAL_SIGN = 68.0, 20.0, 50.0
APPROVAL_HEIGHT = APPROVAL_HEAD + APPROVAL_SIGN


def _approval_box(pages: _Pages) -> None:
    """The 결재란 at the top right: 담당 · 팀장 · 과장, each with a box to sign."""
    p = pages.p
    x0 = pages.width - APPROVAL_WIDTH * len(APPROVERS)
    p.setPen(QPen(QColor(theme.TEXT), 0.8))
    p.setBrush(QColor(theme.WHITE))
    p.setFont(pages.font(10, bold=True))
    for i, who in enumerate(APPROVERS):
        x = x0 + i * APPROVAL_WIDTH
        p.drawRect(QRectF(x, 0, APPROVAL_WIDTH, APPROVAL_HEAD))
        p.drawRect(QRectF(x, APPROVAL_HEAD, APPROVAL_WIDTH, APPROVAL_SIGN))
        p.drawText(QRectF(x, 0, APPROVAL_WIDTH, APPROVAL_HEAD), Qt.AlignmentFlag.AlignCenter, tr(who))


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 120:
        return f"{seconds:.0f}" + tr("초")
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f}" + tr("분")
    return f"{seconds / 3600:.1f}" + tr("시간")


def _checkpoint(pages: _Pages, checkpoint: str) -> None:
    """The audit chain's checkpoint, so anyone can check later that nothing before it changed."""
    pages.text(tr("감사 기록 확인점") + ": " + (checkpoint or tr("없음 (기관 키 없이 작성)")), 10, bold=True, gap=1)
    pages.text(tr("counter-app audit verify --checkpoint-file (이 PDF) 로 이 보고서 이전의 기록이 바뀌지 않았는지 확인합니다."),
               8.5, colour=theme.TEXT_SUBTLE, gap=12)


def _counts(pages: _Pages, stats: DayStats) -> None:
    c = stats.by_status
    cells = [
        (tr("총 접수"), tr("{n}건").format(n=stats.total)),
        (tr("처리 중"), tr("{n}건").format(n=c.get("received", 0))),
        (tr("완료"), tr("{n}건").format(n=c.get("completed", 0))),
        (tr("반려"), tr("{n}건").format(n=c.get("returned", 0))),
        (tr("QR 접수"), tr("{n}건").format(n=stats.by_source.get("qr", 0))),
        (tr("종이 접수"), tr("{n}건").format(n=stats.by_source.get("paper", 0))),
        (tr("수정 후 접수"), tr("{n}건").format(n=stats.corrected)),
        (tr("경고 확인 후 접수"), tr("{n}건").format(n=stats.warnings_accepted)),
        (tr("구비서류 누락 접수"), tr("{n}건").format(n=stats.documents_missing)),
        (tr("스캔부터 접수까지 (중앙값)"), _duration(stats.wait_median_s)),
        (tr("접수부터 완료까지 (중앙값)"), _duration(stats.complete_median_s)),
    ]
    p = pages.p
    cols, box_h, gap = 4, 52.0, 8.0
    w = (pages.width - gap * (cols - 1)) / cols
    for i, (label, value) in enumerate(cells):
        x = (i % cols) * (w + gap)
        y = pages.y + (i // cols) * (box_h + gap)
        p.setPen(QPen(QColor(theme.BORDER), 0.8))
        p.setBrush(QColor(theme.PRIMARY_LIGHT if i == 0 else theme.WHITE))
        p.drawRoundedRect(QRectF(x, y, w, box_h), 4, 4)
        p.setFont(pages.font(9.5))
        p.setPen(QColor(theme.TEXT_SUBTLE))
        p.drawText(QRectF(x + 8, y + 5, w - 16, 16), Qt.AlignmentFlag.AlignLeft, label)
        p.setFont(pages.font(17, bold=True))
        p.setPen(QColor(theme.TEXT))
        p.drawText(QRectF(x + 8, y + 22, w - 16, 26), Qt.AlignmentFlag.AlignLeft, value)
    rows = (len(cells) + cols - 1) // cols
    pages.y += rows * box_h + (rows - 1) * gap + 16


def _charts(pages: _Pages, stats: DayStats, form_title: Callable[[str], str]) -> None:
    charts = day_charts(stats, form_title)
    gap = 10.0
    w = (pages.width - gap) / 2
    h = min(250.0, (pages.height - 24 - pages.y - 2 * gap) / 3)
    for i, chart in enumerate(charts):
        x = (i % 2) * (w + gap)
        y = pages.y + (i // 2) * (h + gap)
        paint_chart(pages.p, QRectF(x, y, w, h), chart, QFont(pages.family), scale=0.85)
    pages.y += 3 * (h + gap)


def ask_report_path(parent: QWidget, first: dt.date) -> Path | None:
    default = str(Path.home() / f"민원-일일보고서-{first.isoformat()}.pdf")
    name, _ = QFileDialog.getSaveFileName(parent, tr("일일 보고서 저장"), default, "PDF (*.pdf)")
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")
