"""The supervisor's review window, driven like a supervisor would, on cases the real intake wrote."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from app.compose import make_opener
from app.review_demo import DemoDay
from counter_app.review import ReviewService
from decoding.forms.catalogue import Catalogue
from records.models import AuditEvent, Case
from records.views import KST
from tests.ui.helpers import (
    WAIT,
    audit_actions,
    audit_details,
    idle,
    open_review,
    open_window,
    select_case,
    table_rows,
)
from ui.review.window import ReviewWindow
from ui.widgets.i18n import tr

FULL_RRNS = ("9001011234568", "900101-1234568", "8805051234561", "9203152345671")


@pytest.fixture
def window(qtbot: QtBot, day: DemoDay, catalogue: Catalogue) -> Iterator[ReviewWindow]:
    w = open_review(qtbot, day, catalogue)
    yield w
    w.shutdown()


def shown_text(widget: object) -> str:
    labels = widget.findChildren(QLabel)  # type: ignore[attr-defined]
    return "\n".join(lab.text() for lab in labels if lab.isVisibleTo(widget))


def test_the_day_is_listed_masked(window: ReviewWindow, day: DemoDay) -> None:
    w = window
    assert w.day == dt.datetime.now(KST).date()
    numbers = [r.case_number for r in w.model.loaded_rows()]
    assert numbers == sorted(r.case_number for r in day.receipts.values())
    cells = [[w.model.index(r, c).data() for c in range(w.model.columnCount())]
             for r in range(w.model.rowCount())]
    first = cells[0]
    assert first[0] == day.receipts["resident-copy"].case_number
    assert first[2].startswith("주민등록표")  # the form's Korean title
    assert first[3] == "김민원" and first[4] == "900101-1******"
    assert first[6] == "kim (민원1)" and first[7] == "완료"
    assert cells[1][7] == "반려" and cells[2][5] == "예" and cells[0][5] == "아니요"
    assert "총 5건" in w.summary.text() and "반려 1" in w.summary.text()
    assert not any(rrn in str(cells) for rrn in FULL_RRNS)


def test_a_case_shows_fields_corrections_attachments_history_and_audit(
    qtbot: QtBot, window: ReviewWindow, day: DemoDay, catalogue: Catalogue
) -> None:
    w = window
    receipt = day.receipts["proxy-resident-copy"]
    select_case(qtbot, w, receipt.case_id)
    pane = w.detail
    assert pane.number.text() == receipt.case_number
    text = shown_text(pane.fields)
    purpose = catalogue.get("RESIDENT_CERT_ISSUE").get_field("purpose")  # type: ignore[union-attr]
    assert purpose is not None and purpose.label_ko in text and "회사 제출용" in text
    assert "신청인 (위임인)" in text and "대리인 (수임인)" in text and "배우자" in text
    assert "900101-1******" in text and "880505-1******" in text
    assert not any(rrn in text for rrn in FULL_RRNS)
    corrections = table_rows(pane.corrections)
    assert corrections == [["대리인 전화번호", "010-9876-5432", "010-9876-5433", "lee",
                            corrections[0][4]]]
    assert [r[1] for r in table_rows(pane.history)] == ["접수"]
    assert [r[2] for r in table_rows(pane.audit)] == ["접수", "수정", "조회"]
    # pages and seal: three thumbnails that load, the seal image, a viewer
    media = pane.media
    assert media.thumbs.count() == 3 and media._seal_path is not None
    qtbot.wait_until(lambda: all(not media.thumbs.item(i).icon().isNull() for i in range(3)),
                     timeout=WAIT)
    qtbot.wait_until(lambda: media.seal.pixmap() is not None and not media.seal.pixmap().isNull(),
                     timeout=WAIT)
    media.open_page(1)
    assert media.viewer is not None and media.viewer.isVisible()
    qtbot.wait_until(lambda: "2 / 3" in media.viewer.caption.text(), timeout=WAIT)  # type: ignore[union-attr]
    media.close_viewer()
    # opening the case is an access to personal data: logged once, as `cases show` does
    assert audit_actions(day, receipt.case_number) == ["intake", "correction", "view"]


def test_rrn_is_revealed_only_when_confirmed_and_audited(
    qtbot: QtBot, window: ReviewWindow, day: DemoDay
) -> None:
    w = window
    receipt = day.receipts["proxy-resident-copy"]
    select_case(qtbot, w, receipt.case_id)
    asked: list[str] = []
    w.confirm = lambda title, text: asked.append(text) is not None  # says no
    w.detail.fields.findChild(QPushButton, "reveal:delegate").click()
    idle(qtbot, w)
    assert asked and "감사 기록" in asked[0]
    assert "reveal_rrn" not in audit_actions(day)
    w.confirm = lambda title, text: True
    w.detail.fields.findChild(QPushButton, "reveal:delegate").click()
    qtbot.wait_until(lambda: "8805051234561" in w.detail.revealed.get("delegate", ""), timeout=WAIT)
    idle(qtbot, w)
    shown = w.detail.fields.findChild(QLabel, "rrn:delegate").text()
    assert shown == "880505-1234561"
    assert w.detail.fields.findChild(QLabel, "rrn:applicant").text() == "900101-1******"
    assert audit_actions(day, receipt.case_number)[-1] == "reveal_rrn"
    assert table_rows(w.detail.audit)[-1][2:] == ["주민등록번호 열람", "supervisor", "민원1", "대리인"]
    # hiding again needs no database; another case starts masked
    w.detail.fields.findChild(QPushButton, "reveal:delegate").click()
    assert w.detail.fields.findChild(QLabel, "rrn:delegate").text() == "880505-1******"
    # shown again (no second question needed for the audit: it is a new reveal, logged again)
    w.detail.fields.findChild(QPushButton, "reveal:delegate").click()
    qtbot.wait_until(lambda: "delegate" in w.detail.revealed, timeout=WAIT)
    idle(qtbot, w)
    assert audit_actions(day, receipt.case_number).count("reveal_rrn") == 2
    # the window loses focus (another window comes in front): the number is hidden
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.wait_until(lambda: not w.isActiveWindow(), timeout=WAIT)
    qtbot.wait_until(lambda: w.detail.revealed == {}, timeout=WAIT)
    assert w.detail.fields.findChild(QLabel, "rrn:delegate").text() == "880505-1******"


def test_return_with_a_reason_and_complete(qtbot: QtBot, window: ReviewWindow, day: DemoDay) -> None:
    w = window
    target = day.receipts["info-request-3parts"]
    select_case(qtbot, w, target.case_id)
    w.ask_reason = lambda number: None  # the supervisor cancels
    w.detail.return_btn.click()
    idle(qtbot, w)
    assert w.bundle is not None and w.bundle.detail.row.status == "received"
    w.ask_reason = lambda number: "  청구 대상 정보 불명확  "
    w.detail.return_btn.click()
    qtbot.wait_until(lambda: w.bundle is not None and w.bundle.detail.row.status == "returned",
                     timeout=WAIT)
    idle(qtbot, w)
    assert w.bundle.detail.status_reason == "청구 대상 정보 불명확"
    assert "청구 대상 정보 불명확" in w.detail.reason.text() and w.detail.reason.isVisible()
    assert not w.detail.return_btn.isEnabled() and not w.detail.complete_btn.isEnabled()
    assert [r[1] for r in table_rows(w.detail.history)] == ["접수", "반려"]
    assert w.model.index(w.model.row_of(target.case_id), 7).data() == "반려"
    assert audit_actions(day, target.case_number)[-1] == "status"
    assert "반려 2" in w.summary.text()

    other = day.receipts["family-cert-warning"]
    select_case(qtbot, w, other.case_id)
    w.confirm = lambda title, text: True
    qtbot.keyClick(w, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait_until(lambda: w.bundle is not None and w.bundle.detail.row.status == "completed",
                     timeout=WAIT)
    idle(qtbot, w)
    assert "완료" in w.banner_text.text()


def test_export_the_day(qtbot: QtBot, window: ReviewWindow, day: DemoDay, tmp_path: Path) -> None:
    import openpyxl

    w = window
    for name in ("day.xlsx", "day.csv"):
        out = tmp_path / "exports" / name
        out.parent.mkdir(exist_ok=True)
        w.ask_export_path = lambda d, out=out: out  # type: ignore[misc]
        w.export_btn.click()
        qtbot.wait_until(lambda out=out: w.last_export == out, timeout=WAIT)  # type: ignore[misc]
        assert "5건을 내보냈습니다" in w.banner_text.text()
    wb = openpyxl.load_workbook(tmp_path / "exports" / "day.xlsx", read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    assert len(rows) == 6 and rows[1][0] == day.receipts["resident-copy"].case_number
    with open(tmp_path / "exports" / "day.csv", encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert len(lines) == 6
    assert not any(rrn in str(rows) + str(lines) for rrn in FULL_RRNS)
    assert audit_actions(day).count("export") == 2
    # a folder that cannot be written: said, not crashed
    w.ask_export_path = lambda d: tmp_path / "no-such-folder" / "x.csv"
    w.export_btn.click()
    qtbot.wait_until(lambda: "파일을 쓸 수 없습니다" in w.banner_text.text(), timeout=WAIT)


def test_an_export_holds_what_the_screen_shows(qtbot: QtBot, window: ReviewWindow, day: DemoDay,
                                               tmp_path: Path) -> None:
    """Filtered to the returned cases, the sheet holds exactly them: Korean titles, the
    reason, times as date cells, an autofilter and a frozen header; the CSV the same rows."""
    import datetime as dt

    import openpyxl

    w = window
    w._set_filter("status", "returned")
    qtbot.wait_until(lambda: w.data is not None and w.data.query.status == "returned", timeout=WAIT)
    shown = [w.model.case_at(i) for i in range(w.model.rowCount())]
    assert len(shown) == w.data.shown == 1  # type: ignore[union-attr]
    out = tmp_path / "returned.xlsx"
    w.ask_export_path = lambda d: out
    w.export_btn.click()
    qtbot.wait_until(lambda: w.last_export == out, timeout=WAIT)
    assert "1건을 내보냈습니다" in w.banner_text.text()
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [r.case_number for r in shown if r is not None]
    header = rows[0]
    row = dict(zip(header, rows[1], strict=True))
    assert row["상태"] == "반려" and row["반려 사유"].startswith("구비서류 미비")
    assert row["서식"] == "통신판매업 신고"  # the title, not the form code
    assert isinstance(row["접수일시"], dt.datetime) and isinstance(row["처리 일시"], dt.datetime)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:L{len(rows)}"
    assert not any(rrn in str(rows) for rrn in FULL_RRNS)
    w.ask_export_path = lambda d: tmp_path / "returned.csv"
    w.export_btn.click()
    qtbot.wait_until(lambda: w.last_export == tmp_path / "returned.csv", timeout=WAIT)
    with open(tmp_path / "returned.csv", encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert [line[0] for line in lines[1:]] == [r[0] for r in rows[1:]]
    export_events = [d for a, d in audit_details(day) if a == "export"]
    assert export_events[-1]["filters"] == {"status": "returned"} and export_events[-1]["cases"] == 1


def test_verify_audit_chain_ok_then_names_the_broken_link(
    qtbot: QtBot, window: ReviewWindow, day: DemoDay
) -> None:
    w = window
    w.verify_btn.click()
    qtbot.wait_until(lambda: w.last_verdict is not None, timeout=WAIT)
    assert w.last_verdict is not None and w.last_verdict.ok
    assert "이상 없음" in w.banner_text.text() and w.banner.property("kind") == "success"
    from counter_app.intake import open_store

    store = open_store(day.settings, migrate=False)
    try:
        with store.engine.begin() as conn:
            conn.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(actor="mallory"))
    finally:
        store.close()
    w.last_verdict = None
    w.verify_btn.click()
    qtbot.wait_until(lambda: w.last_verdict is not None, timeout=WAIT)
    assert w.last_verdict is not None and not w.last_verdict.ok
    assert w.last_verdict.broken_seq == 3
    assert "3번 기록" in w.banner_text.text() and w.banner.property("kind") == "error"


def test_empty_day_alt_arrows_and_filter(qtbot: QtBot, window: ReviewWindow) -> None:
    w = window
    today = w.day
    qtbot.keyClick(w, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.wait_until(lambda: w.data is not None and w.data.day == today - dt.timedelta(days=1),
                     timeout=WAIT)
    assert w.list_stack.currentWidget() is w.empty_page and w.empty.isVisible()
    assert "접수된 민원이 없습니다" in w.empty.text() and "총 0건" in w.summary.text()
    assert w.date_edit.date().toPython() == today - dt.timedelta(days=1)
    qtbot.keyClick(w, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.wait_until(lambda: w.data is not None and w.data.day == today, timeout=WAIT)
    assert w.list_stack.currentWidget() is w.table
    qtbot.keyClicks(w.filter_edit, "000005")  # typed (QTest types ASCII only)
    shown(qtbot, w, 1)
    assert w.model.index(0, 3).data() == "박신규" and "5건 중 1건 표시" in w.summary.text()
    w.filter_edit.setText("박신규")
    shown(qtbot, w, 1)
    w.filter_edit.setText("통신판매 kim")  # a form's title and a clerk
    shown(qtbot, w, 1)
    w.filter_edit.setText("없는사람")
    shown(qtbot, w, 0)
    assert w.list_stack.currentWidget() is w.empty_page
    w.filter_edit.setFocus()
    qtbot.keyClick(w.filter_edit, Qt.Key.Key_Escape)
    shown(qtbot, w, 5)
    assert w.filter_edit.text() == "" and "표시" not in w.summary.text()


def shown(qtbot: QtBot, w: ReviewWindow, n: int) -> None:
    """Wait for the list of the current filters to arrive; it must hold ``n`` cases."""
    qtbot.wait_until(lambda: w.data is not None and w.data.query == w.current_query()
                     and not w.runner.pending, timeout=WAIT)
    assert w.model.rowCount() == n and w.data.shown == n


@pytest.mark.parametrize("kind", ["missing", "garbage", "server"])
def test_a_database_that_cannot_be_opened_is_explained(
    qtbot: QtBot, tmp_path: Path, day: DemoDay, kind: str
) -> None:
    if kind == "missing":
        url = f"sqlite:///{tmp_path / 'nowhere' / 'cases.db'}"
    elif kind == "garbage":
        (tmp_path / "garbage.db").write_bytes(b"this is not a database" * 100)
        url = f"sqlite:///{tmp_path / 'garbage.db'}"
    else:  # nothing listens on port 1: refused at once
        url = "postgresql+psycopg://review:secret@127.0.0.1:1/cases"
    w = open_window(qtbot, make_opener(day.settings, url))
    try:
        qtbot.wait_until(lambda: w.error is not None, timeout=WAIT)
        assert w.pages.currentIndex() == 1 and w.error_label.isVisible()
        assert "데이터베이스" in w.error_label.text() or "database" in w.error_label.text()
        assert not w.export_btn.isEnabled() and not w.verify_btn.isEnabled()
        if kind == "missing":
            assert "데이터베이스 파일이 없습니다" in w.error_label.text()
    finally:
        w.shutdown()


def test_service_logs_a_view_once_and_refuses_a_second_return(day: DemoDay, catalogue: Catalogue) -> None:
    """The worker body without Qt: what the window's tasks call."""
    from records.errors import InvalidChange

    service = make_opener(day.settings, catalogue=catalogue)()
    try:
        assert isinstance(service, ReviewService)
        case_id = day.receipts["mail-order"].case_id
        service.case(case_id)
        bundle = service.case(case_id)
        assert [e.action for e in bundle.audit].count("view") == 1
        with pytest.raises(InvalidChange):
            service.return_case(case_id, "again")
        with service.store.read() as s:
            assert s.execute(select(Case.status).where(Case.id == case_id)).scalar_one() == "returned"
    finally:
        service.close()


def test_cli_registers_review() -> None:
    from app.cli import build_parser
    from app.cli.review import run_review

    args = build_parser().parse_args(["review", "--db", "sqlite:///x.db", "--date", "2026-03-02"])
    assert args.func is run_review and args.date == dt.date(2026, 3, 2)
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["review", "--date", "3/2/2026"])
    assert exc.value.code == 2


def test_english_window(qtbot: QtBot, day: DemoDay, catalogue: Catalogue) -> None:
    from ui.widgets.i18n import install_translator

    install_translator("en")
    try:
        # texts it does not know pass through untouched (Qt's own, the counter window's)
        assert tr("창구 화면에 없는 말") == "창구 화면에 없는 말"
        w = open_window(qtbot, make_opener(day.settings, catalogue=catalogue))
        try:
            qtbot.wait_until(lambda: w.data is not None, timeout=WAIT)
            idle(qtbot, w)
            assert w.summary.text() == "5 cases · 3 received · 1 returned · 1 completed"
            assert w.model.headers[0] == "Case number"
            assert w.model.index(0, 7).data() == "Completed"
            title_en = catalogue.get("RESIDENT_CERT_ISSUE").title_en  # type: ignore[union-attr]
            assert w.model.index(0, 2).data() == title_en
            select_case(qtbot, w, day.receipts["proxy-resident-copy"].case_id)
            text = shown_text(w.detail.fields)
            purpose = catalogue.get("RESIDENT_CERT_ISSUE").get_field("purpose")  # type: ignore[union-attr]
            assert purpose is not None and purpose.label_en in text
            assert "Delegate (proxy)" in text
            assert table_rows(w.detail.corrections)[0][0] == "Delegate Phone"
            assert w.detail.tabs.tabText(4) == "Audit (3)"
        finally:
            w.shutdown()
    finally:
        install_translator("ko")


def test_screenshots_are_written(qapp: QApplication, tmp_path: Path) -> None:
    """What `counter-app screenshot` can call for the review window."""
    from PySide6.QtGui import QImage

    from app.review_demo import review_screenshots

    written = review_screenshots(qapp, tmp_path / "shots")
    names = [p.name for p in written]
    assert names == ["review-glance.png", "review-filtered.png", "review-day.png",
                     "review-attachments.png", "review-corrections.png", "review-audit.png",
                     "review-empty.png", "review-error.png"]
    for p in written:
        img = QImage(str(p))
        assert (img.width(), img.height()) == (1366, 768)


def test_database_work_runs_off_the_gui_thread(
    qtbot: QtBot, day: DemoDay, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from records.store import CaseStore

    seen: list[tuple[str, bool]] = []
    for name in ("get", "log", "reveal_rrn", "set_status", "read", "write"):
        original = getattr(CaseStore, name)

        def spy(self: CaseStore, *a: object, _o: object = original, _n: str = name, **k: object) -> object:
            seen.append((_n, threading.current_thread() is threading.main_thread()))
            return _o(self, *a, **k)  # type: ignore[operator]

        monkeypatch.setattr(CaseStore, name, spy)
    w = open_window(qtbot, make_opener(day.settings, catalogue=catalogue))
    try:
        qtbot.wait_until(lambda: w.data is not None, timeout=WAIT)
        select_case(qtbot, w, day.receipts["family-cert-warning"].case_id)
        w.confirm = lambda title, text: True
        w.request_reveal("applicant")
        qtbot.wait_until(lambda: "applicant" in w.detail.revealed, timeout=WAIT)
        w.request_complete()
        qtbot.wait_until(lambda: w.bundle is not None and w.bundle.detail.row.status == "completed",
                         timeout=WAIT)
        idle(qtbot, w)
    finally:
        w.shutdown()
    names = {n for n, _ in seen}
    assert {"read", "get", "log", "reveal_rrn", "set_status"} <= names
    on_gui = sorted({n for n, main in seen if main})
    assert not on_gui, f"database calls on the GUI thread: {on_gui}"
