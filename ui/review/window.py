"""The supervisor's review window (``counter-app review``).

The day's cases on the left (a date range and filters over a list that pages
from the database: "showing N of M"), on the right the chosen case, or the
day at a glance (charts whose bars filter the list; F6). The daily report
PDF is one button away. Every database
call runs on the window's :class:`ui.widgets.workers.TaskRunner` (one worker thread,
in order); the GUI thread only draws results. A result that arrives for a
day or a case no longer shown is dropped, so quick paging never shows the
wrong case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QEvent, QItemSelection, QLocale, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.review import PAGE_SIZE, CaseBundle, DayData, ReviewService, today_kst
from records.caselist import CaseQuery
from records.check import CheckReport as Verdict  # the one checker's verdict (db check)
from records.daystats import DayStats
from records.views import CaseRow
from ui.counter.attachments import ImageLoader
from ui.printing import day_report as report
from ui.review import dialogs
from ui.review.actions import CaseActions, error_text
from ui.review.charts import DayCharts, day_charts
from ui.review.detail import CaseDetailPane
from ui.review.filterbar import FilterBar
from ui.review.listmodel import PagedCaseModel
from ui.review.table import TITLE_COLUMN, CaseTable
from ui.widgets import Banner, theme
from ui.widgets.i18n import english, pick, tr
from ui.widgets.workers import TaskRunner

if TYPE_CHECKING:  # opened on demand: the access review is a window of its own
    from ui.review.access import AccessWindow

PAGE_LOADING, PAGE_ERROR, PAGE_MAIN = 0, 1, 2




def _centered(text: str, name: str, role: str = "h2") -> QLabel:
    lab = QLabel(text)
    lab.setObjectName(name)
    lab.setProperty("role", role)
    lab.setWordWrap(True)
    lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return lab


class ReviewWindow(CaseActions, QMainWindow):
    """Review of one day's cases; ``opener`` makes the service (it runs on the worker thread).

    ``ask_reason``, ``confirm`` and ``ask_export_path`` are the window's questions
    to the supervisor; tests hand in answers instead of dialogs.
    """

    def __init__(self, opener: Callable[[], ReviewService], day: dt.date | None = None,
                 where: str = "") -> None:
        super().__init__()
        self.setWindowTitle(tr("민원 검토") + " — counter-app")
        self.service: ReviewService | None = None
        self.day = day or today_kst()
        self.last = self.day  # the range's last day
        self.data: DayData | None = None
        self.stats: DayStats | None = None
        self.last_report: Path | None = None
        self.case_id: int | None = None
        self.bundle: CaseBundle | None = None
        self.last_export: Path | None = None
        self.last_verdict: Verdict | None = None
        self.error: str | None = None
        self._closed = False
        self.ask_reason: Callable[[str], str | None] = lambda n: dialogs.ask_reason(self, n)
        self.confirm: Callable[[str, str], bool] = lambda t, x: dialogs.confirm(self, t, x)
        self.ask_export_path: Callable[[dt.date], Path | None] = \
            lambda d: dialogs.ask_export_path(self, d)
        self.ask_report_path: Callable[[dt.date], Path | None] = \
            lambda d: report.ask_report_path(self, d)
        # The KRDS style sheet on this window when the application has none (the counter's
        # commands leave it to each window, for speed).
        theme.style_sheet_on(self)
        self.runner = TaskRunner(self)
        # The signed-in account (issue 13): its rights, the reason and the password again.
        from ui.signin.grant import Authorizer

        self.authz = Authorizer(self, self.runner, self._failed)
        self.access_window: AccessWindow | None = None
        self.loader = ImageLoader(self)
        self._build(where)
        self._shortcuts()
        self.pages.setCurrentIndex(PAGE_LOADING)
        self._set_date_widget()
        self.runner.submit(opener, self._opened, self._open_failed)

    # -- layout -------------------------------------------------------------------

    def _build(self, where: str) -> None:
        root = QWidget()
        lay = QVBoxLayout(root)
        lay.setContentsMargins(16, 10, 16, 6)
        bar = QHBoxLayout()
        title = QLabel(tr("민원 검토"))
        title.setProperty("role", "h1")
        bar.addWidget(title)
        bar.addSpacing(16)
        self.prev_btn = QPushButton("◀")
        self.prev_btn.setToolTip(tr("전날 (Alt+←)"))
        self.prev_btn.setAccessibleName(tr("전날"))
        self.prev_btn.clicked.connect(lambda: self.shift_day(-1))
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("review-date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd (ddd)")
        # Weekday names in the window's language, whatever the PC's locale is.
        if not english():
            self.date_edit.setLocale(QLocale(QLocale.Language.Korean, QLocale.Country.SouthKorea))
        else:
            self.date_edit.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        self.date_edit.dateChanged.connect(self._date_edited)
        self.next_btn = QPushButton("▶")
        self.next_btn.setToolTip(tr("다음날 (Alt+→)"))
        self.next_btn.setAccessibleName(tr("다음날"))
        self.next_btn.clicked.connect(lambda: self.shift_day(1))
        self.date_to = QDateEdit()
        self.date_to.setObjectName("review-date-to")
        self.date_to.setCalendarPopup(True)
        self.date_to.setDisplayFormat("yyyy-MM-dd")
        self.date_to.setToolTip(tr("기간의 마지막 날 (하루만 볼 때는 같은 날)"))
        self.date_to.setAccessibleName(tr("기간의 마지막 날"))
        self.date_to.dateChanged.connect(self._date_to_edited)
        self.today_btn = QPushButton(tr("오늘"))
        self.today_btn.clicked.connect(lambda: self.set_day(today_kst()))
        for w in (self.prev_btn, self.date_edit, self.next_btn, QLabel("~"), self.date_to,
                  self.today_btn):
            bar.addWidget(w)
        bar.addSpacing(12)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("review-filter")
        self.filter_edit.setPlaceholderText(tr("이름·접수번호·서식·담당자로 찾기 (Ctrl+F)"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter_changed)
        bar.addWidget(self.filter_edit, 1)
        self.export_btn = QPushButton(tr("내보내기…"))
        self.export_btn.setObjectName("review-export")
        self.export_btn.setToolTip(tr("이 날의 접수 목록을 엑셀(xlsx) 또는 CSV로 저장합니다 (주민등록번호는 가림)"))
        self.export_btn.clicked.connect(self.request_export)
        self.verify_btn = QPushButton(tr("감사 기록 검증"))
        self.verify_btn.setObjectName("review-verify")
        self.verify_btn.setToolTip(tr("감사 기록의 해시 연결이 온전한지 처음부터 확인합니다"))
        self.verify_btn.clicked.connect(self.verify_chain)
        self.glance_btn = QPushButton(tr("차트"))
        self.glance_btn.setObjectName("review-glance")
        self.glance_btn.setToolTip(tr("한눈에 보기: 이 기간의 차트를 오른쪽에 보입니다 (F6)"))
        self.glance_btn.clicked.connect(self.show_charts)
        self.report_btn = QPushButton(tr("보고서…"))
        self.report_btn.setObjectName("review-report")
        self.report_btn.setToolTip(tr("일일 보고서: 건수, 차트, 반려 사유, 개인정보 열람·내보내기를 PDF로 저장합니다"))
        self.report_btn.clicked.connect(self.request_report)
        self.access_btn = QPushButton(tr("접근 기록"))
        self.access_btn.setObjectName("review-access")
        self.access_btn.setToolTip(tr("누가 누구의 정보를 보고·열람하고·내보냈는지 검토합니다 (Ctrl+L)"))
        self.access_btn.clicked.connect(self.open_access)
        for w in (self.export_btn, self.verify_btn, self.access_btn):
            bar.addWidget(w)
        from ui.review.fleet import fleet_button  # admins/IT: the counters at a glance (issue 14)

        bar.addWidget(fleet_button(self))
        for edit in (self.date_edit, self.date_to):  # a date is never cut short on a narrow screen
            edit.ensurePolished()
            edit.setMinimumWidth(edit.sizeHint().width())
        lay.addLayout(bar)
        self.filter_bar = FilterBar(self._form_title)
        self.filter_bar.changed.connect(lambda: self.reload(charts=False))
        # the same objects as the bar's: what is chosen, read by the query and the charts
        self.filters, self.flags = self.filter_bar.filters, self.filter_bar.flags
        self.combos, self.flag_btns = self.filter_bar.combos, self.filter_bar.flag_btns
        self.clear_filters_btn = self.filter_bar.clear_btn
        for btn in (self.clear_filters_btn, self.glance_btn, self.report_btn):
            btn.ensurePolished()  # the style sheet's padding counts
            btn.setMinimumWidth(btn.sizeHint().width())  # the combos give way first
        self.filter_bar.row.addWidget(self.glance_btn)
        self.filter_bar.row.addWidget(self.report_btn)
        lay.addWidget(self.filter_bar)
        self.summary = QLabel()
        self.summary.setObjectName("review-summary")
        self.summary.setProperty("role", "muted")
        lay.addWidget(self.summary)
        self.banner = Banner(close_text="닫기", text_name="review-banner")  # the counter's banner
        self.banner_text = self.banner.text
        lay.addWidget(self.banner)
        self.pages = QStackedWidget()
        self.pages.addWidget(_centered(tr("데이터베이스를 여는 중…"), "review-loading"))
        error_page = QWidget()
        el = QVBoxLayout(error_page)
        el.addStretch(1)
        el.addWidget(_centered(tr("데이터베이스를 열 수 없습니다"), "review-error-title", "h1"))
        self.error_label = _centered("", "review-error")
        self.error_label.setProperty("severity", "error")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        el.addWidget(self.error_label)
        hint = tr("설정 파일(counter.toml)의 database 항목이나 --db 주소를 확인한 뒤 다시 실행해 주세요.")
        el.addWidget(_centered(hint, "review-error-hint", "muted"))
        el.addStretch(2)
        self.pages.addWidget(error_page)
        self.pages.addWidget(self._main_page())
        lay.addWidget(self.pages, 1)
        self.setCentralWidget(root)
        self.footer = QLabel(where)
        self.footer.setProperty("role", "muted")
        lay.addWidget(self.footer)
        # A fixed floor instead of the layout's own minimum, which changes with every case
        # shown and would resize the window under the supervisor's hands.
        layout = self.layout()
        if layout is not None:
            layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(1024, 600)

    def _main_page(self) -> QWidget:
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.list_stack = QStackedWidget()
        self.model = PagedCaseModel(self._title_of, self._fetch_page)
        self.table = CaseTable()  # rows, not cells: Tab leaves it, Enter goes into the case
        self.table.setObjectName("review-cases")
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setStyleSheet(f"QTableView {{ font-size: 15px; border: 1px solid {theme.BORDER}; }}"
                                 f"QHeaderView::section {{ font-size: 15px; font-weight: 700;"
                                 f" background: {theme.SURFACE}; padding: 4px; border: none;"
                                 f" border-bottom: 1px solid {theme.BORDER}; }}")
        header = self.table.horizontalHeader()
        # Widths measured once per list (see _day_loaded), not on every scroll: ResizeToContents
        # re-measured the rows each time a page arrived and made scrolling a busy day stutter.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(30)
        header.setMinimumSectionSize(48)
        # Widths from the first rows only: measuring every row of a busy day froze the list.
        header.setResizeContentsPrecision(50)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.list_stack.addWidget(self.table)
        self.empty_page = QWidget()
        el = QVBoxLayout(self.empty_page)
        el.addStretch(1)
        self.empty = _centered("", "review-empty")
        self.empty_hint = _centered("", "review-empty-hint", "muted")
        el.addWidget(self.empty)
        el.addWidget(self.empty_hint)
        el.addStretch(2)
        self.list_stack.addWidget(self.empty_page)
        split.addWidget(self.list_stack)
        self.detail_stack = QStackedWidget()
        glance = QWidget()
        gl = QVBoxLayout(glance)
        gl.setContentsMargins(0, 0, 0, 0)
        self.no_case = QLabel()
        self.no_case.setObjectName("review-no-case")
        self.no_case.setProperty("role", "muted")
        self.no_case.setWordWrap(True)
        gl.addWidget(self.no_case)
        self.charts = DayCharts()
        self.charts.chosen.connect(self.filter_by)
        scroll = QScrollArea()  # on a small screen the charts scroll rather than overlap
        scroll.setObjectName("review-charts-scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.charts)
        gl.addWidget(scroll, 1)
        self.detail_stack.addWidget(glance)
        self.detail = CaseDetailPane(self.loader)
        self.detail.reveal_requested.connect(self.request_reveal)
        self.detail.complete_requested.connect(self.request_complete)
        self.detail.return_requested.connect(self.request_return)
        self.table.enter_case.connect(self.detail.enter)
        self.detail.leave.connect(self.table.setFocus)
        self.detail_stack.addWidget(self.detail)
        split.addWidget(self.detail_stack)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        # The list gets a little more than half: its form titles must not be cut short.
        split.setSizes([800, 560])
        return split

    def _shortcuts(self) -> None:
        keys: list[tuple[QKeySequence | QKeySequence.StandardKey | str, Callable[[], Any]]] = [
            ("Alt+Left", lambda: self.shift_day(-1)),
            ("Alt+Right", lambda: self.shift_day(1)),
            (QKeySequence.StandardKey.Find, self._focus_filter),
            ("F5", self.reload),
            ("F6", self.show_charts),
            ("Ctrl+D", self.request_complete),
            ("Ctrl+R", self.request_return),
            ("Ctrl+L", self.open_access),
        ]
        for key, fn in keys:
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(fn)
        esc = QShortcut(QKeySequence("Escape"), self.filter_edit)
        esc.setContext(Qt.ShortcutContext.WidgetShortcut)
        esc.activated.connect(self.filter_edit.clear)

    def _focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def _title_of(self, row: Any) -> str:
        return self.service.form_title(row, english()) if self.service else row.form_code

    def _form_title(self, code: str) -> str:
        fd = self.service.formdef(code) if self.service else None
        if fd is None:
            return code
        return pick(fd.title_ko, fd.title_en or fd.title_ko)

    # -- opening ------------------------------------------------------------------

    def _opened(self, service: ReviewService) -> None:
        if self._closed:  # the window was closed while the database was opening
            service.close()
            return
        self.service = service
        self.pages.setCurrentIndex(PAGE_MAIN)
        self.table.setFocus()  # ↑/↓ walk the cases at once
        self.reload()

    def _open_failed(self, exc: BaseException) -> None:
        self.error = error_text(exc)
        self.error_label.setText(self.error)
        self.pages.setCurrentIndex(PAGE_ERROR)
        for w in (self.export_btn, self.verify_btn, self.filter_edit, self.prev_btn, self.next_btn,
                  self.date_edit, self.date_to, self.today_btn, self.report_btn, self.glance_btn,
                  *self.filter_bar.controls()):
            w.setEnabled(False)

    # -- the day ------------------------------------------------------------------

    def _set_date_widget(self) -> None:
        for edit, day in ((self.date_edit, self.day), (self.date_to, self.last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def _date_edited(self, date: QDate) -> None:
        first = dt.date(date.year(), date.month(), date.day())
        self.set_range(first, max(first, self.last))

    def _date_to_edited(self, date: QDate) -> None:
        last = dt.date(date.year(), date.month(), date.day())
        self.set_range(min(self.day, last), last)

    def shift_day(self, days: int) -> None:
        """Alt+←/→: the range moves by ``days`` (a one-day range is the day before or after)."""
        step = dt.timedelta(days=days)
        self.set_range(self.day + step, self.last + step)

    def set_day(self, day: dt.date) -> None:
        self.set_range(day, day)

    def set_range(self, first: dt.date, last: dt.date) -> None:
        if (first, last) == (self.day, self.last) and self.data is not None:
            return
        self.day, self.last = first, last
        self._set_date_widget()
        self.case_id = None
        self.filters.pop("hour", None)  # an hour of other days means nothing here
        self.reload(charts=True)

    # -- the list and its filters ---------------------------------------------------

    def current_query(self) -> CaseQuery | None:
        if self.service is None:
            return None
        return self.service.query(self.day, self.last, self.filter_edit.text(),
                                  flags=frozenset(self.flags), **self.filters)

    def reload(self, charts: bool = True) -> None:
        """Read the list again (the filters kept); ``charts``: the day's charts too."""
        q = self.current_query()
        if self.service is None or q is None:
            return
        service, keep = self.service, self.case_id
        # only a filter changed: the range's total, counts and filter lists stay as they are
        same = None if charts else self.data
        self.summary.setText(tr("불러오는 중…"))
        self.runner.submit(self.authz.guarded("view", lambda: service.open_list(q, keep, same)),
                           self._day_loaded, self._list_failed)
        if charts:
            first, last = self.day, self.last
            self.runner.submit(self.authz.guarded("view", lambda: service.stats(first, last)),
                               self._stats_loaded, self.authz.failed)

    def _list_failed(self, exc: BaseException) -> None:
        self.summary.setText(tr("목록을 불러오지 못했습니다."))
        self.authz.failed(exc)

    def _fetch_page(self, q: CaseQuery, offset: int) -> None:
        """The model asks for a page it has not got (the list was scrolled)."""
        if self.service is None:
            return
        service, number = self.service, offset // PAGE_SIZE

        def failed(exc: BaseException) -> None:
            self.model.page_failed(number)
            self.authz.failed(exc)

        self.runner.submit(self.authz.guarded("view", lambda: service.page(q, offset)),
                           lambda rows: self._page_loaded(q, number, rows), failed)

    def _page_loaded(self, q: CaseQuery, number: int, rows: list[CaseRow]) -> None:
        self.model.add_page(q, number, rows)
        current = self.table.currentIndex()
        if current.isValid() and current.row() // PAGE_SIZE == number and self.case_id is None:
            self._row_chosen(current.row())

    def _day_loaded(self, data: DayData) -> None:
        if data.query != self.current_query():  # the supervisor has moved on meanwhile
            return
        self.data = data
        keep = self.case_id
        self.model.reset(data)
        self._fit_columns()
        self.filter_bar.fill_choices(data.choices)
        c = data.counts
        text = tr("총 {total}건 · 접수 {received} · 반려 {returned} · 완료 {completed}").format(
            total=data.total, received=c.get("received", 0), returned=c.get("returned", 0),
            completed=c.get("completed", 0))
        if data.query.is_filtered():
            text += " — " + tr("{total}건 중 {shown}건 표시").format(total=data.total, shown=data.shown)
        self.summary.setText(text)
        self.clear_filters_btn.setEnabled(data.query.is_filtered())
        self.charts.set_active(self.filters)
        if data.total == 0:
            self.empty.setText(tr("이 날 접수된 민원이 없습니다.") if self.day == self.last
                               else tr("이 기간에 접수된 민원이 없습니다."))
            self.empty_hint.setText(tr("Alt+← / Alt+→ 로 다른 날을 볼 수 있습니다."))
            self.list_stack.setCurrentWidget(self.empty_page)
        elif data.shown == 0:
            self.empty.setText(tr("찾는 조건에 맞는 민원이 없습니다."))
            self.empty_hint.setText(tr("찾는 말을 지우면 이 날의 민원이 모두 보입니다 (Esc)."))
            self.list_stack.setCurrentWidget(self.empty_page)
        else:
            self.list_stack.setCurrentWidget(self.table)
        self.no_case.setText(tr("목록에서 민원을 고르면 내용이 여기에 보입니다.") if data.total else "")
        if keep is not None and data.position >= 0:
            self.select_row(data.position)
        else:
            self.case_id = None
            self.bundle = None
            self.detail_stack.setCurrentIndex(0)

    def _fit_columns(self) -> None:
        """Each column as wide as the first rows need (the title column takes the rest)."""
        for column in range(self.model.columnCount()):
            if column != TITLE_COLUMN:
                self.table.resizeColumnToContents(column)

    def _stats_loaded(self, stats: DayStats) -> None:
        if (stats.first, stats.last) != (self.day, self.last):
            return
        self.stats = stats
        self.charts.set_charts(day_charts(stats, self._form_title))
        self.charts.set_active(self.filters)

    def filter_by(self, name: str, value: Any) -> None:
        """A chart's bar was clicked: the list keeps only its cases."""
        self.filter_bar.filter_by(name, value)

    def _set_filter(self, name: str, value: Any) -> None:
        self.filter_bar.set_filter(name, value)

    def clear_filters(self) -> None:
        """Every filter and the search words off; the date range stays."""
        self.filter_bar.reset()
        self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(False)
        self.reload(charts=False)

    def _filter_changed(self, _text: str) -> None:
        self.reload(charts=False)

    def show_charts(self) -> None:
        """F6: the day at a glance on the right (choosing a case shows it again)."""
        self.detail_stack.setCurrentIndex(0)
        self.table.clearSelection()
        self.case_id = None
        self.bundle = None
        self.charts.setFocus()

    def select_row(self, row: int) -> None:
        """Select a row of the list; the detail follows."""
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self._row_chosen(indexes[0].row())

    def _row_chosen(self, row: int) -> None:
        r = self.model.case_at(row)  # None until its page arrives (then _page_loaded comes back)
        if r is not None and (r.id != self.case_id or self.bundle is None
                              or self.bundle.detail.row.id != r.id):
            self.case_id = r.id
            self.load_case(r.id)

    # -- one case -----------------------------------------------------------------

    def load_case(self, case_id: int, keep_reveal: bool = False) -> None:
        if self.service is None:
            return
        service = self.service
        self.runner.submit(self.authz.guarded("view", lambda: service.case(case_id)),
                           lambda b: self._case_loaded(b, keep_reveal), self.authz.failed)

    def _case_loaded(self, bundle: CaseBundle, keep_reveal: bool) -> None:
        if bundle.detail.row.id != self.case_id or self.service is None:
            return
        self.bundle = bundle
        self.detail.show_case(bundle, self.service, keep_reveal=keep_reveal)
        self.detail_stack.setCurrentWidget(self.detail)

    def open_access(self) -> None:
        """The access-log review (ui.review.access), for accounts with the right."""
        if self.service is None or not self.authz.allowed("access"):
            return
        from ui.review.access import AccessWindow

        self.access_window = AccessWindow(self.service.store, self.authz, self.day)
        self.access_window.resize(self.size())
        self.access_window.show()

    # -- closing ------------------------------------------------------------------

    def shutdown(self) -> None:
        """Finish the worker's tasks, stop the image threads, close the database."""
        self._closed = True
        if self.access_window is not None:
            self.access_window.shutdown()
            self.access_window.close()
            self.access_window.deleteLater()  # on this thread, not by the garbage collector
            self.access_window = None
        self.authz.shutdown()
        self.detail.media.close_viewer()
        self.runner.shutdown()
        self.loader.shutdown()
        if self.service is not None:
            self.service.close()
            self.service = None

    def changeEvent(self, event: QEvent) -> None:
        # Nobody reads a full number in a window that is not in front: hide it again.
        if event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow():
            self.detail.hide_revealed()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
