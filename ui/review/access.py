"""The access-log review window (접근 기록 검토), opened from the review window (Ctrl+L).

Who viewed, revealed, corrected, printed or exported whose data, by period,
account, action and person (:mod:`records.access`); the rows the office's
rules flag are marked and listed on the right; the supervisor writes what
was found and records "this period reviewed" (audited); the review goes to
xlsx or PDF (the reason and the password asked first, like every export).
Keyboard: F5 reloads, Ctrl+E xlsx, Ctrl+P PDF, Ctrl+Enter in the findings records.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QKeySequence,
    QShortcut,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from records import access
from records.access import AccessReport, Rules
from records.audit import ACTION_KO
from records.errors import RecordsError
from records.store import CaseStore
from records.views import KST
from ui.printing.pdf import pdf_file
from ui.signin.grant import Authorizer
from ui.signin.window import message_of
from ui.widgets import ask_text, theme
from ui.widgets.i18n import tr
from ui.widgets.workers import TaskRunner

FILTER_ACTIONS = ("view", "reveal_rrn", "correction", "print", "export", "intake", "status",
                  "purge", "signin", "account", "access_review")


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class AccessWindow(QWidget):
    """The access-log review of a period; ``store`` is the review window's case store."""

    def __init__(self, store: CaseStore, authz: Authorizer, day: dt.date | None = None, *,
                 rules: Rules | None = None) -> None:
        super().__init__()
        self.setObjectName("access-window")
        self.setWindowTitle(tr("접근 기록 검토") + " — counter-app")
        theme.style_sheet_on(self)
        self.store = store
        self.authz = authz
        self.rules = rules or getattr(authz, "rules", None) or Rules()
        self.report: AccessReport | None = None
        self.last_export: Path | None = None
        self.runner = TaskRunner(self, name="window worker")
        self.ask_path: Callable[[str], Path | None] = self._ask_path
        last = day or dt.datetime.now(KST).date()
        self._build(last - dt.timedelta(days=30), last)
        who = authz.account.name if authz.account else ""
        counter = authz.gate.counter if authz.gate else ""
        self.runner.submit(lambda: store.log("view", None, clerk=who or "review", counter=counter or "review",
                                             detail={"via": "access review"}),
                           lambda _: None, self._failed)
        self.reload()
        self.table.setFocus()

    # -- layout -------------------------------------------------------------------

    def _build(self, first: dt.date, last: dt.date) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 10, 16, 8)
        bar = QHBoxLayout()
        title = QLabel(tr("접근 기록 검토"))
        title.setProperty("role", "h1")
        bar.addWidget(title)
        bar.addSpacing(12)
        self.from_edit = QDateEdit(_qdate(first))
        self.to_edit = QDateEdit(_qdate(last))
        for w, name in ((self.from_edit, "access-from"), (self.to_edit, "access-to")):
            w.setObjectName(name)
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
        bar.addWidget(QLabel(tr("기간")))
        bar.addWidget(self.from_edit)
        bar.addWidget(QLabel("~"))
        bar.addWidget(self.to_edit)
        self.user_edit = QLineEdit()
        self.user_edit.setObjectName("access-user")
        self.user_edit.setPlaceholderText(tr("계정"))
        self.user_edit.setMaximumWidth(140)
        self.action_box = QComboBox()
        self.action_box.setObjectName("access-action")
        self.action_box.addItem(tr("모든 행위"), "")
        for a in FILTER_ACTIONS:
            self.action_box.addItem(tr(ACTION_KO[a]), a)
        self.person_edit = QLineEdit()
        self.person_edit.setObjectName("access-person")
        self.person_edit.setPlaceholderText(tr("정보주체 이름·접수번호"))
        for box in (self.user_edit, self.action_box, self.person_edit):
            bar.addWidget(box)
        self.user_edit.returnPressed.connect(self.reload)
        self.person_edit.returnPressed.connect(self.reload)
        self.reload_btn = QPushButton(tr("조회 (F5)"))
        self.reload_btn.setProperty("kind", "primary")
        self.reload_btn.clicked.connect(self.reload)
        bar.addWidget(self.reload_btn)
        bar.addStretch(1)
        self.xlsx_btn = QPushButton(tr("엑셀 (Ctrl+E)"))
        self.xlsx_btn.setObjectName("access-xlsx")
        self.xlsx_btn.clicked.connect(lambda: self.request_export("xlsx"))
        self.pdf_btn = QPushButton(tr("PDF (Ctrl+P)"))
        self.pdf_btn.setObjectName("access-pdf")
        self.pdf_btn.clicked.connect(lambda: self.request_export("pdf"))
        bar.addWidget(self.xlsx_btn)
        bar.addWidget(self.pdf_btn)
        lay.addLayout(bar)
        self.summary = QLabel(tr("불러오는 중…"))
        self.summary.setObjectName("access-summary")
        self.summary.setProperty("role", "muted")
        lay.addWidget(self.summary)
        self.banner = QLabel("")
        self.banner.setObjectName("access-banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        lay.addWidget(self.banner)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableWidget(0, len(access.HEADER))
        self.table.setObjectName("access-events")
        self.table.setHorizontalHeaderLabels([tr(h.split(" ")[0]) for h in access.HEADER])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setStyleSheet("QTableWidget { font-size: 14px; }")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        split.addWidget(self.table)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(8, 0, 0, 0)
        head = QLabel(tr("규칙에 걸린 접근"))
        head.setProperty("role", "section")
        rl.addWidget(head)
        self.flags = QListWidget()
        self.flags.setObjectName("access-flags")
        self.flags.setWordWrap(True)
        self.flags.currentRowChanged.connect(self._flag_chosen)
        rl.addWidget(self.flags, 2)
        self.flag_review_btn = QPushButton(tr("이 표시 검토함…"))
        self.flag_review_btn.setObjectName("access-flag-review")
        self.flag_review_btn.setToolTip(tr("고른 표시를 확인한 내용과 함께 검토함으로 기록합니다 (감사 기록에 남습니다)"))
        self.flag_review_btn.setEnabled(False)
        self.flag_review_btn.clicked.connect(self.review_chosen_flag)
        rl.addWidget(self.flag_review_btn)
        # the note for a flag: a question to the supervisor (tests hand in the answer)
        self.ask_note: Callable[[str], str | None] = lambda text: _answer(
            ask_text(self, tr("표시 검토"), text))
        head = QLabel(tr("검토 결과"))
        head.setProperty("role", "section")
        rl.addWidget(head)
        self.reviews = QLabel("")
        self.reviews.setObjectName("access-reviews")
        self.reviews.setWordWrap(True)
        self.reviews.setProperty("role", "muted")
        rl.addWidget(self.reviews)
        self.findings = QPlainTextEdit()
        self.findings.setObjectName("access-findings")
        self.findings.setPlaceholderText(tr("이 기간에 확인한 내용과 조치를 적어 주세요 (예: 대량 열람은 공문에 따른 것으로 확인)"))
        self.findings.setMaximumHeight(110)
        rl.addWidget(self.findings)
        self.record_btn = QPushButton(tr("이 기간 검토 완료 기록 (Ctrl+Enter)"))
        self.record_btn.setObjectName("access-record")
        self.record_btn.setProperty("kind", "primary")
        self.record_btn.clicked.connect(self.record_review)
        rl.addWidget(self.record_btn)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([930, 400])
        lay.addWidget(split, 1)
        for key, fn in (("F5", self.reload), ("Ctrl+E", lambda: self.request_export("xlsx")),
                        ("Ctrl+P", lambda: self.request_export("pdf"))):
            sc = QShortcut(QKeySequence(key), self)
            sc.activated.connect(fn)
        sc = QShortcut(QKeySequence("Ctrl+Return"), self.findings)
        sc.setContext(Qt.ShortcutContext.WidgetShortcut)
        sc.activated.connect(self.record_review)

    # -- loading ------------------------------------------------------------------

    def period(self) -> tuple[dt.date, dt.date]:
        return _pydate(self.from_edit.date()), _pydate(self.to_edit.date())

    def reload(self) -> None:
        first, last = self.period()
        if last < first:
            self.show_banner("error", tr("기간의 끝이 시작보다 앞섭니다."))
            return
        user = self.user_edit.text().strip() or None
        action = self.action_box.currentData() or None
        person = self.person_edit.text().strip() or None
        store, rules = self.store, self.rules
        self.summary.setText(tr("불러오는 중…"))
        def failed(exc: BaseException) -> None:
            self.authz.lock_if_over(exc)
            self._failed(exc)

        self.runner.submit(self.authz.guarded("access", lambda: access.access_report(
            store, first, last, rules=rules, user=user, action=action, person=person)),
            self._loaded, failed)

    def _loaded(self, report: AccessReport) -> None:
        self.report = report
        flagged = report.flagged()
        rows = access.rows(report)
        self.table.setRowCount(len(rows))
        mark = QBrush(QColor(theme.ERROR_LIGHT))
        for r, (cells, event) in enumerate(zip(rows, report.events, strict=True)):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if event.seq in flagged:
                    item.setBackground(mark)
                self.table.setItem(r, c, item)
        self.flags.clear()
        for f in report.flags:
            state = f"\n✔ {tr('검토함')} — {f.review}" if f.review else ""
            flag = QListWidgetItem(f"{'✔' if f.review else '⚑'} {f.message_ko}  "
                                   f"({f.at.astimezone(KST):%m-%d %H:%M}, {len(f.seqs)}건){state}")
            flag.setData(Qt.ItemDataRole.UserRole, list(f.seqs))
            flag.setData(Qt.ItemDataRole.UserRole + 1, f.key)
            self.flags.addItem(flag)
        if not report.flags:
            self.flags.addItem(tr("규칙에 걸린 접근이 없습니다."))
        actions = report.by_action()
        parts = [f"{tr(ACTION_KO.get(a, a))} {n}" for a, n in sorted(actions.items(), key=lambda x: -x[1])]
        self.summary.setText(tr("{first} ~ {last}: 기록 {n}건 · 표시 {f}건").format(
            first=report.first, last=report.last, n=len(report.events), f=len(report.flags))
            + (" · " + " · ".join(parts) if parts else ""))
        self._show_reviews()

    def _show_reviews(self) -> None:
        assert self.report is not None
        if self.report.reviews:
            self.reviews.setText("\n".join(
                f"✔ {r.period_from}~{r.period_to} · {r.reviewer} · {r.reviewed_at.astimezone(KST):%Y-%m-%d %H:%M}: {r.findings}"
                for r in self.report.reviews))
        else:
            self.reviews.setText(tr("이 기간은 아직 검토 기록이 없습니다."))

    def chosen_flag(self) -> access.Flag | None:
        item = self.flags.currentItem()
        key = item.data(Qt.ItemDataRole.UserRole + 1) if item is not None else None
        return next((f for f in self.report.flags if f.key == key), None) if self.report else None

    def review_chosen_flag(self) -> None:
        """The chosen flag, marked reviewed with what the supervisor found (audited)."""
        flag = self.chosen_flag()
        if flag is None or not self.authz.allowed("access"):
            return
        note = (self.ask_note(tr("확인한 내용을 적어 주세요:") + f"\n{flag.message_ko}") or "").strip()
        if not note:
            return
        account, gate = self.authz.account, self.authz.gate
        who = account.name if account else "review"
        counter = gate.counter if gate else "review"
        store = self.store

        def done(_: object) -> None:
            self.show_banner("success", tr("표시를 검토함으로 기록했습니다."))
            self.reload()

        self.runner.submit(lambda: access.review_flag(store, flag, reviewer=who, counter=counter,
                                                      note=note), done, self._failed)

    def _flag_chosen(self, row: int) -> None:
        item = self.flags.item(row)
        self.flag_review_btn.setEnabled(item is not None and bool(item.data(Qt.ItemDataRole.UserRole + 1)))
        seqs = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not seqs or self.report is None:
            return
        self.table.clearSelection()
        wanted = set(seqs)
        first = None
        for r, e in enumerate(self.report.events):
            if e.seq in wanted:
                first = r if first is None else first
                self.table.selectRow(r) if first == r else None
        cell = self.table.item(first, 0) if first is not None else None
        if cell is not None:
            self.table.scrollToItem(cell)

    def _failed(self, exc: BaseException) -> None:
        self.show_banner("error", message_of(exc))

    def show_banner(self, kind: str, text: str) -> None:
        colour = {"error": theme.ERROR, "success": theme.SUCCESS}.get(kind, theme.TEXT)
        self.banner.setStyleSheet(f"color: {colour}; font-weight: 600;")
        self.banner.setText(text)
        self.banner.show()

    # -- recording and exporting --------------------------------------------------

    def record_review(self) -> None:
        report = self.report
        findings = self.findings.toPlainText().strip()
        if report is None:
            return
        if not findings:
            self.show_banner("error", tr("검토 결과를 적어 주세요 (이상 없음이면 '이상 없음'이라고)."))
            self.findings.setFocus()
            return
        if not self.authz.allowed("access"):
            return
        account, gate = self.authz.account, self.authz.gate
        who = account.name if account else "review"
        counter = gate.counter if gate else "review"
        store = self.store

        def done(rec: access.ReviewRecord) -> None:
            report.reviews.append(rec)
            self._show_reviews()
            self.findings.clear()
            self.show_banner("success", tr("{first}~{last} 검토 완료를 기록했습니다.").format(
                first=rec.period_from, last=rec.period_to))

        self.runner.submit(lambda: access.record_review(store, report, reviewer=who, counter=counter,
                                                        findings=findings), done, self._failed)

    def _ask_path(self, fmt: str) -> Path | None:
        first, last = self.period()
        default = str(Path.home() / f"접근기록-{first}-{last}.{fmt}")
        name, _ = QFileDialog.getSaveFileName(self, tr("접근 기록 저장"), default,
                                              "Excel (*.xlsx)" if fmt == "xlsx" else "PDF (*.pdf)")
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == f".{fmt}" else path.with_suffix(f".{fmt}")

    def request_export(self, fmt: str) -> None:
        if self.report is None:
            return
        out = self.ask_path(fmt)
        if out is not None:
            self.export_to(out)

    def export_to(self, out: Path) -> None:
        report = self.report
        if report is None:
            return
        grant = self.authz.request("access", tr("접근 기록 저장"),
                                   tr("접근 기록을 {path}(으)로 저장합니다.").format(path=out))
        if grant is None:
            return
        check, reason = grant
        account, gate = self.authz.account, self.authz.gate
        who = account.name if account else "review"
        counter = gate.counter if gate else "review"
        store = self.store
        pdf = out.suffix.lower() == ".pdf"
        if not pdf:
            import openpyxl  # noqa: F401  (imported here, not first on the worker)

        def write() -> None:  # on the worker, once the password was right
            if not pdf:
                try:
                    access.export_xlsx(report, out)
                except OSError as exc:
                    raise RecordsError(f"파일을 쓸 수 없습니다: {out} ({exc.strerror})",
                                       f"cannot write {out}: {exc.strerror}") from exc
            store.log("export", None, clerk=who, counter=counter, detail={
                "what": "access log", "from": report.first.isoformat(), "to": report.last.isoformat(),
                "format": "pdf" if pdf else "xlsx", "file": out.name, "reason": reason})

        def done(_: object) -> None:
            self.last_export = out
            self.show_banner("success", tr("저장했습니다: {path}").format(path=out))

        def checked(_: object) -> None:
            if pdf:
                try:
                    write_pdf(report, out)  # QPdfWriter on the GUI thread
                except RecordsError as exc:
                    self._failed(exc)
                    return
            self.runner.submit(write, done, self._failed)

        self.runner.submit(check, checked, self._failed)

    def shutdown(self) -> None:
        self.runner.shutdown()

    def closeEvent(self, event: object) -> None:
        self.shutdown()
        super().closeEvent(event)  # type: ignore[arg-type]


SUMMARY_ACTIONS = ("view", "reveal_rrn", "print", "export", "correction", "intake", "status")


def _answer(asked: tuple[str, bool]) -> str | None:
    text, ok = asked
    return text if ok else None


def report_html(report: AccessReport) -> str:
    """The review as a document: for a period, a summary per account, the flags with their
    review and the sign-off (the full event list goes to the xlsx); for one person
    (``--person``), every access to that person's data, to hand over to the citizen."""
    e = html.escape
    made = f"{dt.datetime.now(KST):%Y-%m-%d %H:%M}"
    if report.person:
        return _person_html(report, made)
    out = [f"<h2>개인정보 접근 기록 검토 {report.first} ~ {report.last}</h2>",
           f"<p>기록 {len(report.events)}건 · 규칙에 걸린 접근 {len(report.flags)}건 "
           f"(검토함 {sum(1 for f in report.flags if f.review)}건) · 작성 {made}</p>",
           "<h3>계정별 요약</h3>",
           '<table border="1" cellspacing="0" cellpadding="3" width="100%"><tr><th>계정</th>']
    out += [f"<th>{e(ACTION_KO[a])}</th>" for a in SUMMARY_ACTIONS]
    out.append("<th>로그인</th><th>표시</th><th>검토함</th></tr>")
    for who, counts, flags, done in report.summary():
        bg = f' bgcolor="{theme.ERROR_LIGHT}"' if flags > done else ""
        cells = [who, *(str(counts.get(a, 0)) for a in SUMMARY_ACTIONS), str(counts.get("signin", 0)),
                 str(flags), str(done)]
        out.append(f"<tr{bg}>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    out.append("<h3>규칙에 걸린 접근</h3>")
    if report.flags:
        out.append("<ul>")
        out += [f"<li>{e(f.message_ko)} ({f.at.astimezone(KST):%m-%d %H:%M}, 기록 {len(f.seqs)}건: "
                f"{e(', '.join(str(s) for s in f.seqs[:20]))}{'…' if len(f.seqs) > 20 else ''})<br>"
                + (f"✔ 검토함 — {e(f.review)}" if f.review else "<b>검토 전</b>") + "</li>"
                for f in report.flags]
        out.append("</ul>")
    else:
        out.append("<p>없음</p>")
    out.append("<h3>검토 기록 (서명)</h3>")
    if report.reviews:
        out += [f"<p>✔ {r.period_from}~{r.period_to} · {e(r.reviewer)} · "
                f"{r.reviewed_at.astimezone(KST):%Y-%m-%d %H:%M}: {e(r.findings)}</p>" for r in report.reviews]
    else:
        out.append("<p>아직 없음 (counter-app audit access --reviewed --findings …)</p>")
    out.append("<p>전체 기록은 같은 기간의 xlsx 파일(--out 파일.xlsx)에 있습니다.</p>")
    return "".join(out)


def _person_html(report: AccessReport, made: str) -> str:
    e = html.escape
    out = [f"<h2>개인정보 열람·이용 내역</h2><p>정보주체: {e(report.person or '')} · "
           f"기간 {report.first} ~ {report.last} · 작성 {made}</p>",
           "<p>아래는 이 기간에 민원실 직원이 위 분의 민원 정보를 조회·열람·출력·수정한 기록입니다. "
           "주민등록번호 열람과 출력은 사유와 함께 기록됩니다.</p>",
           '<table border="1" cellspacing="0" cellpadding="3" width="100%"><tr>'
           "<th>일시</th><th>담당자</th><th>창구</th><th>한 일</th><th>접수번호</th><th>사유</th></tr>"]
    for ev in report.events:
        what = ACTION_KO.get(ev.action, ev.action)
        if ev.action == "reveal_rrn" and ev.detail.get("payload_id"):
            what += " (창구에서 신분증과 대조)"
        out.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in (
            f"{ev.at.astimezone(KST):%Y-%m-%d %H:%M}", ev.actor, ev.counter, what,
            ev.case_number or "", ev.reason or "")) + "</tr>")
    if not report.events:
        out.append('<tr><td colspan="6">이 기간에 기록이 없습니다.</td></tr>')
    out.append("</table>")
    return "".join(out)


def write_pdf(report: AccessReport, out: Path) -> None:
    """The review as an A4 landscape PDF in the shipped Korean font (written beside, then renamed)."""

    from PySide6.QtGui import QFont

    from ui.widgets.qtapp import load_fonts

    try:
        with pdf_file(out, f"접근 기록 검토 {report.first} ~ {report.last}", margins_mm=12,
                      landscape=True) as writer:
            doc = QTextDocument()
            font = QFont(load_fonts() or theme.FONT_FAMILY)
            font.setPointSizeF(7.5)
            doc.setDefaultFont(font)
            doc.setHtml(report_html(report))
            doc.print_(writer)
    except OSError as exc:
        raise RecordsError(f"파일을 쓸 수 없습니다: {out} ({exc.strerror or exc})",
                           f"cannot write {out}: {exc.strerror or exc}") from exc


def pdf_from_cli(report: AccessReport, out: Path) -> None:
    """``counter-app audit access --out F.pdf``: a Qt application without windows (offscreen)."""
    import os

    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:  # a QApplication (not a bare QGuiApplication): reusable
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QApplication([])
    write_pdf(report, out)
