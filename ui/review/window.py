"""The supervisor's review window (``counter-app review``).

The day's cases on the left, the chosen case on the right. Every database
call runs on the window's :class:`ui.workers.TaskRunner` (one worker thread,
in order); the GUI thread only draws results. A result that arrives for a
day or a case no longer shown is dropped, so quick paging never shows the
wrong case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QEvent, QItemSelection, QLocale, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from records.audit import Verdict
from records.errors import RecordsError
from ui import theme
from ui.attachments import ImageLoader
from ui.i18n import pick, tr
from ui.review import dialogs
from ui.review.detail import CaseDetailPane
from ui.review.model import CaseBundle, DayData, ReviewService, today_kst
from ui.review.table import CASE_ID_ROLE, TITLE_COLUMN, CaseFilter, CaseTableModel
from ui.workers import TaskRunner

PAGE_LOADING, PAGE_ERROR, PAGE_MAIN = 0, 1, 2


def error_text(exc: BaseException) -> str:
    """Korean first, then English, for the errors of this program; the type for anything else."""
    message = getattr(exc, "message", None)
    if isinstance(message, str) and message:
        return message
    return f"{type(exc).__name__}: {exc}"


def _centered(text: str, name: str, role: str = "h2") -> QLabel:
    lab = QLabel(text)
    lab.setObjectName(name)
    lab.setProperty("role", role)
    lab.setWordWrap(True)
    lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return lab


class ReviewWindow(QMainWindow):
    """Review of one day's cases; ``opener`` makes the service (it runs on the worker thread).

    ``ask_reason``, ``confirm`` and ``ask_export_path`` are the window's questions
    to the supervisor; tests hand in answers instead of dialogs.
    """

    def __init__(self, opener: Callable[[], ReviewService], day: dt.date | None = None,
                 where: str = "") -> None:  # fmt: skip
        super().__init__()
        self.setWindowTitle(tr("민원 검토") + " — counter-app")
        self.service: ReviewService | None = None
        self.day = day or today_kst()
        self.data: DayData | None = None
        self.case_id: int | None = None
        self.bundle: CaseBundle | None = None
        self.last_export: Path | None = None
        self.last_verdict: Verdict | None = None
        self.error: str | None = None
        self._closed = False
        self.ask_reason: Callable[[str], str | None] = lambda n: dialogs.ask_reason(self, n)
        self.confirm: Callable[[str, str], bool] = lambda t, x: dialogs.confirm(self, t, x)
        self.ask_export_path: Callable[[dt.date], Path | None] = \
            lambda d: dialogs.ask_export_path(self, d)  # fmt: skip
        # The KRDS style sheet on this window when the application has none (the counter's
        # commands leave it to each window, for speed).
        theme.style_sheet_on(self)
        self.runner = TaskRunner(self)
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
        if pick("ko", "en") == "ko":
            self.date_edit.setLocale(QLocale(QLocale.Language.Korean, QLocale.Country.SouthKorea))
        else:
            self.date_edit.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        self.date_edit.dateChanged.connect(self._date_edited)
        self.next_btn = QPushButton("▶")
        self.next_btn.setToolTip(tr("다음날 (Alt+→)"))
        self.next_btn.setAccessibleName(tr("다음날"))
        self.next_btn.clicked.connect(lambda: self.shift_day(1))
        self.today_btn = QPushButton(tr("오늘"))
        self.today_btn.clicked.connect(lambda: self.set_day(today_kst()))
        for w in (self.prev_btn, self.date_edit, self.next_btn, self.today_btn):
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
        bar.addWidget(self.export_btn)
        bar.addWidget(self.verify_btn)
        from ui.review.fleet import fleet_button  # admins/IT: the counters at a glance (issue 14)

        bar.addWidget(fleet_button(self))
        lay.addLayout(bar)
        self.summary = QLabel()
        self.summary.setObjectName("review-summary")
        self.summary.setProperty("role", "muted")
        lay.addWidget(self.summary)
        self.banner = QFrame()
        self.banner.setObjectName("banner")
        banner_lay = QHBoxLayout(self.banner)
        banner_lay.setContentsMargins(12, 6, 6, 6)
        self.banner_text = QLabel()
        self.banner_text.setObjectName("review-banner")
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        banner_lay.addWidget(self.banner_text, 1)
        close = QPushButton(tr("닫기"))
        close.clicked.connect(self.banner.hide)
        banner_lay.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.banner.hide()
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
        self.model = CaseTableModel(self._title_of)
        self.proxy = CaseFilter()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("review-cases")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setStyleSheet(f"QTableView {{ font-size: 15px; border: 1px solid {theme.BORDER}; }}"
                                 f"QHeaderView::section {{ font-size: 15px; font-weight: 700;"
                                 f" background: {theme.SURFACE}; padding: 4px; border: none;"
                                 f" border-bottom: 1px solid {theme.BORDER}; }}")  # fmt: skip
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
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
        self.no_case = _centered("", "review-no-case", "muted")
        self.detail_stack.addWidget(self.no_case)
        self.detail = CaseDetailPane(self.loader)
        self.detail.reveal_requested.connect(self.request_reveal)
        self.detail.complete_requested.connect(self.request_complete)
        self.detail.return_requested.connect(self.request_return)
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
            ("Ctrl+D", self.request_complete),
            ("Ctrl+R", self.request_return),
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
        return self.service.form_title(row, pick("", "en") == "en") if self.service else row.form_code

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
                  self.date_edit, self.today_btn):
            w.setEnabled(False)

    def _failed(self, exc: BaseException) -> None:
        self.show_banner("error", error_text(exc))

    def show_banner(self, kind: str, text: str) -> None:
        self.banner.setProperty("kind", kind)
        theme.repolish(self.banner)
        self.banner_text.setText(text)
        self.banner.show()

    # -- the day ------------------------------------------------------------------

    def _set_date_widget(self) -> None:
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(self.day.year, self.day.month, self.day.day))
        self.date_edit.blockSignals(False)

    def _date_edited(self, date: QDate) -> None:
        self.set_day(dt.date(date.year(), date.month(), date.day()))

    def shift_day(self, days: int) -> None:
        self.set_day(self.day + dt.timedelta(days=days))

    def set_day(self, day: dt.date) -> None:
        if day == self.day and self.data is not None:
            return
        self.day = day
        self._set_date_widget()
        self.case_id = None
        self.reload()

    def reload(self) -> None:
        if self.service is None:
            return
        service, day = self.service, self.day
        self.summary.setText(tr("불러오는 중…"))
        self.runner.submit(lambda: service.day(day), self._day_loaded, self._failed)

    def _day_loaded(self, data: DayData) -> None:
        if data.day != self.day:  # the supervisor has moved on to another day
            return
        self.data = data
        keep = self.case_id
        self.model.set_rows(data.rows)
        c = data.counts
        total = len(data.rows)
        self.summary.setText(tr("총 {total}건 · 접수 {received} · 반려 {returned} · 완료 {completed}").format(
            total=total, received=c.get("received", 0), returned=c.get("returned", 0),
            completed=c.get("completed", 0)))  # fmt: skip
        self.no_case.setText(tr("목록에서 민원을 고르면 내용이 여기에 보입니다.") if data.rows else "")
        if not data.rows:
            self.empty.setText(tr("이 날 접수된 민원이 없습니다."))
            self.empty_hint.setText(tr("Alt+← / Alt+→ 로 다른 날을 볼 수 있습니다."))
            self.list_stack.setCurrentWidget(self.empty_page)
        else:
            self.list_stack.setCurrentWidget(self.table)
        self._apply_filter_state()
        row = self.model.row_of(keep) if keep is not None else -1
        if row >= 0:
            self.select_row(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        else:
            self.case_id = None
            self.detail_stack.setCurrentIndex(0)

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._apply_filter_state()

    def _apply_filter_state(self) -> None:
        if self.model.rows and self.proxy.rowCount() == 0:
            self.empty.setText(tr("찾는 조건에 맞는 민원이 없습니다."))
            self.empty_hint.setText(tr("찾는 말을 지우면 이 날의 민원이 모두 보입니다 (Esc)."))
            self.list_stack.setCurrentWidget(self.empty_page)
        elif self.model.rows:
            self.list_stack.setCurrentWidget(self.table)

    def select_row(self, row: int) -> None:
        """Select a row of the (filtered) table; the detail follows."""
        if 0 <= row < self.proxy.rowCount():
            self.table.selectRow(row)

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        case_id = self.proxy.data(indexes[0], CASE_ID_ROLE)
        if isinstance(case_id, int) and (case_id != self.case_id or self.bundle is None
                                         or self.bundle.detail.row.id != case_id):  # fmt: skip
            self.case_id = case_id
            self.load_case(case_id)

    # -- one case -----------------------------------------------------------------

    def load_case(self, case_id: int, keep_reveal: bool = False) -> None:
        if self.service is None:
            return
        service = self.service
        self.runner.submit(lambda: service.case(case_id),
                           lambda b: self._case_loaded(b, keep_reveal), self._failed)  # fmt: skip

    def _case_loaded(self, bundle: CaseBundle, keep_reveal: bool) -> None:
        if bundle.detail.row.id != self.case_id or self.service is None:
            return
        self.bundle = bundle
        self.detail.show_case(bundle, self.service, keep_reveal=keep_reveal)
        self.detail_stack.setCurrentWidget(self.detail)

    def request_reveal(self, person: str) -> None:
        if self.service is None or self.bundle is None:
            return
        who = tr("신청인") if person == "applicant" else tr("대리인")
        question = tr("{number} {who}의 주민등록번호 전체를 봅니다.\n열람한 사람과 시각이 감사 기록에 남습니다.")
        if not self.confirm(tr("주민등록번호 열람"),
                            question.format(number=self.bundle.detail.row.case_number, who=who)):
            return
        service, case_id = self.service, self.bundle.detail.row.id

        def done(rrn: str | None) -> None:
            if case_id == self.case_id:
                self.detail.set_revealed(person, rrn)
                if rrn is None:
                    self.show_banner("warning", tr("저장된 주민등록번호가 없습니다."))
            self.load_case(case_id, keep_reveal=True)  # the audit tab shows the reveal

        self.runner.submit(lambda: service.reveal(case_id, person), done, self._failed)

    def _open_case(self) -> tuple[ReviewService, int, str] | None:
        if self.service is None or self.bundle is None or self.bundle.detail.row.status != "received":
            return None
        return self.service, self.bundle.detail.row.id, self.bundle.detail.row.case_number

    def request_complete(self) -> None:
        found = self._open_case()
        if found is None:
            return
        service, case_id, number = found
        if not self.confirm(tr("완료 처리"), tr("{number}을(를) 완료로 표시합니다.").format(number=number)):
            return
        self.runner.submit(lambda: service.complete(case_id),
                           lambda _: self._status_changed(number, tr("완료")), self._failed)  # fmt: skip

    def request_return(self) -> None:
        found = self._open_case()
        if found is None:
            return
        service, case_id, number = found
        reason = self.ask_reason(number)
        if not reason or not reason.strip():
            return
        self.runner.submit(lambda: service.return_case(case_id, reason),
                           lambda _: self._status_changed(number, tr("반려")), self._failed)  # fmt: skip

    def _status_changed(self, number: str, what: str) -> None:
        self.show_banner("success", tr("{number}: {what} 처리했습니다.").format(number=number, what=what))
        if self.case_id is not None:
            self.load_case(self.case_id, keep_reveal=True)
        self.reload()

    # -- the whole day / database -------------------------------------------------

    def request_export(self) -> None:
        if self.service is None:
            return
        out = self.ask_export_path(self.day)
        if out is not None:
            self.export_to(out)

    def export_to(self, out: Path) -> None:
        if self.service is None:
            return
        service, day = self.service, self.day
        # records.export imports openpyxl on first use; do that here, not on the worker
        # (see ui.review._import_driver for why imports stay on the GUI thread).
        import openpyxl  # noqa: F401

        def work() -> int:
            try:
                return service.export_day(day, out)
            except OSError as exc:
                raise RecordsError(f"파일을 쓸 수 없습니다: {out} ({exc.strerror})",
                                   f"cannot write {out}: {exc.strerror}") from exc  # fmt: skip

        def done(count: int) -> None:
            self.last_export = out
            self.show_banner("success", tr("{count}건을 내보냈습니다: {path}").format(count=count, path=out))

        self.runner.submit(work, done, self._failed)

    def verify_chain(self) -> None:
        if self.service is None:
            return
        service = self.service
        self.verify_btn.setEnabled(False)
        self.show_banner("info", tr("감사 기록을 검증하는 중…"))

        def done(verdict: Verdict) -> None:
            self.verify_btn.setEnabled(True)
            self.last_verdict = verdict
            if verdict.ok:
                chain = tr("감사 기록 {n}건의 연결이 온전합니다.").format(n=verdict.events)
                self.show_banner("success", "✔ " + tr("감사 기록 이상 없음") + f" — {chain}")
            else:
                self.show_banner("error", "✖ " + tr("감사 기록이 훼손되었습니다") + " — "
                                 + pick(verdict.problem_ko, verdict.problem_en))  # fmt: skip

        def failed(exc: BaseException) -> None:
            self.verify_btn.setEnabled(True)
            self._failed(exc)

        self.runner.submit(service.verify, done, failed)

    # -- closing ------------------------------------------------------------------

    def shutdown(self) -> None:
        """Finish the worker's tasks, stop the image threads, close the database."""
        self._closed = True
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
