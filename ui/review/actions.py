"""What the supervisor does from the review window: reveal, complete, return, export, report, verify.

Each action asks the account's right through the window's :class:`ui.signin.grant.Authorizer`
(reason and password where the action needs them), runs on the window's worker
thread and says how it went in the window's banner. The window
(:class:`ui.review.window.ReviewWindow`) mixes this class in; the attributes
below, and the methods declared for the type checker, are the window's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QPushButton

from counter_app.review import CaseBundle, DayData, ReviewService
from decoding.errors import CounterError
from records.caselist import CaseQuery
from records.check import CheckReport as Verdict  # the one checker's verdict (db check)
from records.daystats import DayStats
from records.errors import RecordsError
from ui.printing import day_report as report
from ui.review.detail import CaseDetailPane
from ui.signin.grant import Authorizer
from ui.widgets import Banner
from ui.widgets.i18n import pick, tr
from ui.widgets.workers import TaskRunner


def error_text(exc: BaseException) -> str:
    """Korean first, then English, for the errors of this program; the type for anything else."""
    if isinstance(exc, CounterError):
        return exc.message
    return f"{type(exc).__name__}: {exc}"


class CaseActions:
    """The review window's actions on the chosen case and on the range shown."""

    service: ReviewService | None
    bundle: CaseBundle | None
    case_id: int | None
    day: dt.date
    last: dt.date
    runner: TaskRunner
    authz: Authorizer
    banner: Banner
    detail: CaseDetailPane
    verify_btn: QPushButton
    confirm: Callable[[str, str], bool]
    ask_reason: Callable[[str], str | None]
    ask_export_path: Callable[[dt.date], Path | None]
    ask_report_path: Callable[[dt.date], Path | None]
    last_export: Path | None
    last_report: Path | None
    last_verdict: Verdict | None
    data: DayData | None

    if TYPE_CHECKING:  # the window's methods these actions call (declared for the checker only)
        def load_case(self, case_id: int, keep_reveal: bool = False) -> None: ...

        def reload(self, charts: bool = True) -> None: ...

        def _form_title(self, code: str) -> str: ...

        def current_query(self) -> CaseQuery | None: ...

    def _failed(self, exc: BaseException) -> None:
        self.show_banner("error", error_text(exc))

    def show_banner(self, kind: str, text: str) -> None:
        self.banner.show_message(kind, text)

    def request_reveal(self, person: str) -> None:
        if self.service is None or self.bundle is None:
            return
        who = tr("신청인") if person == "applicant" else tr("대리인")
        question = tr("{number} {who}의 주민등록번호 전체를 봅니다.\n열람한 사람과 시각이 감사 기록에 남습니다.")
        question = question.format(number=self.bundle.detail.row.case_number, who=who)
        grant = self.authz.request("reveal", tr("주민등록번호 열람"), question)
        if grant is None or (self.authz.account is None and not self.confirm(tr("주민등록번호 열람"), question)):
            return
        check, reason = grant
        service, case_id = self.service, self.bundle.detail.row.id

        def done(rrn: str | None) -> None:
            if case_id == self.case_id:
                self.detail.set_revealed(person, rrn)
                if rrn is None:
                    self.show_banner("warning", tr("저장된 주민등록번호가 없습니다."))
            self.load_case(case_id, keep_reveal=True)  # the audit tab shows the reveal

        self.runner.submit(lambda: (check(), service.reveal(case_id, person, reason=reason))[1],
                           done, self.authz.failed)

    def _open_case(self) -> tuple[ReviewService, int, str] | None:
        if self.service is None or self.bundle is None or self.bundle.detail.row.status != "received":
            return None
        return self.service, self.bundle.detail.row.id, self.bundle.detail.row.case_number

    def request_complete(self) -> None:
        found = self._open_case()
        if found is None:
            return
        service, case_id, number = found
        if not self.authz.allowed("complete"):
            return
        if not self.confirm(tr("완료 처리"), tr("{number}을(를) 완료로 표시합니다.").format(number=number)):
            return
        self.runner.submit(self.authz.guarded("complete", lambda: service.complete(case_id)),
                           lambda _: self._status_changed(number, tr("완료")), self.authz.failed)

    def request_return(self) -> None:
        found = self._open_case()
        if found is None:
            return
        service, case_id, number = found
        if not self.authz.allowed("return"):
            return
        reason = self.ask_reason(number)
        if not reason or not reason.strip():
            return
        self.runner.submit(self.authz.guarded("return", lambda: service.return_case(case_id, reason)),
                           lambda _: self._status_changed(number, tr("반려")), self.authz.failed)

    def _status_changed(self, number: str, what: str) -> None:
        self.show_banner("success", tr("{number}: {what} 처리했습니다.").format(number=number, what=what))
        if self.case_id is not None:
            self.load_case(self.case_id, keep_reveal=True)
        self.reload(charts=True)

    # -- the whole day / database -------------------------------------------------

    def request_export(self) -> None:
        if self.service is None:
            return
        out = self.ask_export_path(self.day)
        if out is not None:
            self.export_to(out)

    def export_to(self, out: Path) -> None:
        """Export the list as it is on screen: its days, filters, flags and search words."""
        q = self.current_query()
        if self.service is None or q is None:
            return
        shown = self.data.shown if self.data is not None and self.data.query == q else None
        what = tr("화면의 접수 목록 {n}건").format(n=shown) if shown is not None else tr("화면의 접수 목록")
        grant = self.authz.request("export", tr("내보내기"),
                                   tr("{what}을 {path}(으)로 내보냅니다.").format(what=what, path=out))
        if grant is None:
            return
        check, reason = grant
        service = self.service
        # records.export imports openpyxl on first use; do that here, not on the worker
        # (see ui.review._import_driver for why imports stay on the GUI thread).
        import openpyxl  # noqa: F401

        def work() -> int:
            try:
                check()
                return service.export_list(q, out, reason=reason)
            except OSError as exc:
                raise RecordsError(f"파일을 쓸 수 없습니다: {out} ({exc.strerror})",
                                   f"cannot write {out}: {exc.strerror}") from exc

        def done(count: int) -> None:
            self.last_export = out
            self.show_banner("success", tr("{count}건을 내보냈습니다: {path}").format(count=count, path=out))

        self.runner.submit(work, done, self.authz.failed)

    def request_report(self) -> None:
        if self.service is None or not self.authz.allowed("report"):
            return
        out = self.ask_report_path(self.day)
        if out is not None:
            self.report_to(out)

    def report_to(self, out: Path) -> None:
        """The daily report of the range shown: statistics on the worker, the PDF drawn here."""
        if self.service is None:
            return
        service, first, last = self.service, self.day, self.last

        def done(result: tuple[DayStats, str]) -> None:
            stats, checkpoint = result
            office = service.office or service.home_office
            info = report.ReportInfo(office, f"{service.clerk} ({service.counter})",
                                     dt.datetime.now(dt.UTC),
                                     office_name=service.office_name if office == service.home_office else "",
                                     checkpoint=checkpoint)
            try:
                pages = report.write_day_report(stats, out, info, self._form_title)
            except OSError as exc:
                self.show_banner("error", tr("파일을 쓸 수 없습니다: {path}").format(path=out)
                                 + f" ({exc.strerror})")
                return
            self.last_report = out
            self.show_banner("success", tr("일일 보고서를 저장했습니다 ({pages}쪽): {path}").format(
                pages=pages, path=out))

        def work() -> tuple[DayStats, str]:
            stats = service.stats(first, last)
            return stats, service.log_report(first, last, out)  # audited before it is written

        self.runner.submit(self.authz.guarded("report", work), done, self.authz.failed)

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
                                 + pick(verdict.problem_ko, verdict.problem_en))

        def failed(exc: BaseException) -> None:
            self.verify_btn.setEnabled(True)
            self._failed(exc)

        self.runner.submit(service.verify, done, failed)
