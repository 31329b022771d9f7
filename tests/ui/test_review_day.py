"""The supervisor's day: charts whose bars filter the list, filters kept while cases are handled,
"showing N of M", a list that pages from the database, and the daily report PDF (window and CLI)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.cli import main
from app.compose import make_opener
from app.review_demo import DemoDay
from bench.review import case_rows, insert_cases
from counter_app.intake import open_store
from counter_app.review import PAGE_SIZE, today_kst
from decoding.forms.catalogue import Catalogue
from records.models import AuditEvent
from tests.ui.helpers import WAIT, idle, open_window, select_case
from ui.review.listmodel import PLACEHOLDER
from ui.review.window import ReviewWindow

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (Debian poppler-utils) not installed")


@pytest.fixture
def window(qtbot: QtBot, day: DemoDay, catalogue: Catalogue) -> Iterator[ReviewWindow]:
    w = open_window(qtbot, make_opener(day.settings, catalogue=catalogue))
    qtbot.wait_until(lambda: w.data is not None and w.stats is not None, timeout=WAIT)
    idle(qtbot, w)
    yield w
    w.shutdown()


def settled(qtbot: QtBot, w: ReviewWindow) -> None:
    qtbot.wait_until(lambda: w.data is not None and w.data.query == w.current_query()
                     and not w.runner.pending, timeout=WAIT)


def listed(w: ReviewWindow) -> list[str]:
    return [w.model.index(r, 0).data() for r in range(w.model.rowCount())]


def click_bar(qtbot: QtBot, w: ReviewWindow, chart: str, label: str) -> None:
    view = w.charts.view(chart)
    assert view.chart is not None and view.isVisible()
    i = next(i for i, b in enumerate(view.chart.bars) if b.label == label)
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.rects[i].center().toPoint())


def test_the_day_at_a_glance_and_a_bar_filters_the_list(qtbot: QtBot, window: ReviewWindow,
                                                         day: DemoDay) -> None:
    w = window
    assert w.detail_stack.currentIndex() == 0  # no case chosen: the charts
    st = w.stats
    assert st is not None and st.total == 5 and st.by_clerk == [("kim", 3), ("lee", 2)]
    assert st.by_source == {"qr": 5, "paper": 0} and st.reasons == [("구비서류 미비", 1)]
    assert sum(st.waits) == 5 and st.wait_median_s is not None  # every intake timed scan→accept
    charts = {c.name: c for c in w.charts.charts}
    assert [b.label for b in charts["clerk"].bars] == ["kim", "lee"]
    assert "주민등록표" in charts["form"].bars[0].label  # forms by their Korean titles

    click_bar(qtbot, w, "clerk", "lee")
    settled(qtbot, w)
    assert w.filters == {"clerk": "lee"} and w.combos["clerk"].currentText() == "lee"
    assert listed(w) == [day.receipts[n].case_number for n in ("proxy-resident-copy", "info-request-3parts")]
    assert "5건 중 2건 표시" in w.summary.text() and "총 5건" in w.summary.text()

    # keyboard: the returned-reasons chart, Enter on its bar → returned cases (none of lee's)
    view = w.charts.view("reason")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    settled(qtbot, w)
    assert w.filters == {"clerk": "lee", "reason": "구비서류 미비"} and w.model.rowCount() == 0
    assert "구비서류 미비" in w.filter_bar.chips["reason"].text()
    assert w.list_stack.currentWidget() is w.empty_page
    w.clear_filters_btn.click()
    settled(qtbot, w)
    assert w.filters == {} and w.model.rowCount() == 5 and "표시" not in w.summary.text()
    click_bar(qtbot, w, "form", charts["form"].bars[0].label)
    settled(qtbot, w)
    assert w.model.rowCount() == 2 and w.filters == {"form": "RESIDENT_CERT_ISSUE"}
    # a chart bar without cases filters nothing
    click_bar(qtbot, w, "source", "종이")
    assert w.filters == {"form": "RESIDENT_CERT_ISSUE"}
    # the hour of the cases (whatever it is now), chosen on the chart, shows in the hour list
    hour = next(b for b in w.charts.view("hour").chart.bars if b.value)  # type: ignore[union-attr]
    click_bar(qtbot, w, "hour", hour.label)
    settled(qtbot, w)
    assert w.filters["hour"] == hour.key and w.combos["hour"].currentData() == hour.key
    assert 0 < w.model.rowCount() <= 2  # with the form filter still on


def test_filters_are_kept_while_cases_are_handled(qtbot: QtBot, window: ReviewWindow,
                                                   day: DemoDay) -> None:
    w = window
    w.combos["clerk"].setCurrentIndex(w.combos["clerk"].findData("kim"))
    w.combos["clerk"].activated.emit(w.combos["clerk"].currentIndex())
    w.flag_btns["corrected"].click()
    settled(qtbot, w)
    target = day.receipts["family-cert-warning"]  # kim's corrected case
    assert listed(w) == [target.case_number] and "5건 중 1건 표시" in w.summary.text()
    assert w.flag_btns["documents_missing"].isEnabled()  # recorded by the counter since issue 11
    select_case(qtbot, w, target.case_id)
    w.confirm = lambda title, text: True
    qtbot.keyClick(w, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # complete it
    qtbot.wait_until(lambda: w.bundle is not None and w.bundle.detail.row.status == "completed",
                     timeout=WAIT)
    settled(qtbot, w)
    assert w.filters == {"clerk": "kim"} and w.flags == {"corrected"}
    assert listed(w) == [target.case_number] and w.table.currentIndex().row() == 0
    assert w.case_id == target.case_id and w.detail_stack.currentWidget() is w.detail
    # another day and back: the filters stay, the date range changes
    qtbot.keyClick(w, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    settled(qtbot, w)
    assert w.model.rowCount() == 0 and w.filters == {"clerk": "kim"}
    qtbot.keyClick(w, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    settled(qtbot, w)
    assert listed(w) == [target.case_number]
    # F6: the charts again
    qtbot.keyClick(w, Qt.Key.Key_F6)
    assert w.detail_stack.currentIndex() == 0 and w.case_id is None


def test_a_date_range(qtbot: QtBot, window: ReviewWindow) -> None:
    w = window
    today = w.day
    w.date_edit.setDate(w.date_edit.date().addDays(-6))
    settled(qtbot, w)
    assert (w.day, w.last) == (today - dt.timedelta(days=6), today) and w.model.rowCount() == 5
    # an hour of every day of a range longer than a year: said, not guessed
    w.date_edit.setDate(w.date_edit.date().addDays(-400))
    settled(qtbot, w)
    w._set_filter("hour", 10)
    qtbot.wait_until(lambda: w.banner.isVisible() and not w.runner.pending, timeout=WAIT)
    assert "366일" in w.banner_text.text() and "목록을 불러오지 못했습니다" in w.summary.text()
    w._set_filter("hour", None)
    w.date_edit.setDate(w.date_to.date().addDays(-6))
    settled(qtbot, w)
    assert w.model.rowCount() == 5
    w.date_to.setDate(w.date_to.date().addDays(-1))
    settled(qtbot, w)
    assert w.model.rowCount() == 0 and "이 기간에 접수된 민원이 없습니다" in w.empty.text()


def test_every_bar_filters_exactly_the_cases_it_counts(qtbot: QtBot, day: DemoDay,
                                                     catalogue: Catalogue) -> None:
    """Every bar of every chart, the "그 외 N" bars, the return reasons and the waits
    included: chosen, the list shows as many cases as the bar says."""
    insert_cases(day.settings.database_url, case_rows(200_001, 300, today_kst(), office="3210000"))
    w = open_window(qtbot, make_opener(day.settings, catalogue=catalogue))
    try:
        qtbot.wait_until(lambda: w.data is not None and w.stats is not None, timeout=WAIT)
        idle(qtbot, w)
        charts = {c.name: c for c in w.charts.charts}
        assert any(b.field == "forms" for b in charts["form"].bars)  # a "그 외 N" bar
        assert any(b.field == "clerks" for b in charts["clerk"].bars)
        assert len(charts["reason"].bars) > 1 and sum(b.value for b in charts["wait"].bars) == 5
        tried = 0
        for name, chart in charts.items():
            for i, bar in enumerate(chart.bars):
                if bar.key is None or not bar.value:
                    continue
                w.clear_filters()
                settled(qtbot, w)
                w.charts.view(name).choose(i)
                settled(qtbot, w)
                assert w.data is not None and w.data.shown == bar.value, (name, bar.label)
                tried += 1
        assert tried >= 20
    finally:
        w.shutdown()


def test_the_list_pages_from_the_database(qtbot: QtBot, day: DemoDay, catalogue: Catalogue) -> None:
    """1,200 more cases today: the model reads a page at a time, as the list scrolls."""
    url = day.settings.database_url
    today = today_kst()
    n = insert_cases(url, case_rows(100_001, 1200, today, office="9990000"))
    assert n == 1200
    w = open_window(qtbot, make_opener(day.settings, catalogue=catalogue))
    try:
        qtbot.wait_until(lambda: w.data is not None and not w.runner.pending, timeout=WAIT)
        assert w.model.rowCount() == 1205 and list(w.model.pages) == [0]
        last = w.model.rowCount() - 1
        assert w.model.index(last, 0).data() == PLACEHOLDER  # not read yet: asked for
        w.table.scrollToBottom()
        end = range(last - 5, last + 1)  # the last rows span two pages
        qtbot.wait_until(lambda: all(w.model.case_at(r) is not None for r in end), timeout=WAIT)
        assert len(w.model.pages) <= 3 and last // PAGE_SIZE in w.model.pages
        rows = [w.model.case_at(r) for r in end]
        times = [r.received_at for r in rows if r is not None]
        numbers = [r.case_number for r in rows if r is not None]
        assert times == sorted(times) and all(n.startswith("9990000-") for n in numbers)
        w.select_row(last)
        qtbot.wait_until(lambda: w.bundle is not None and w.bundle.detail.row.case_number == numbers[-1],
                         timeout=WAIT)
        # a filter counts in the database: clerk07 of the bulk cases, every one of them listed
        w._set_filter("clerk", "clerk07")
        settled(qtbot, w)
        shown = w.model.rowCount()
        assert 0 < shown < 200 and f"1205건 중 {shown}건 표시" in w.summary.text()
        assert all(w.model.case_at(r).clerk == "clerk07" for r in range(shown))  # type: ignore[union-attr]
    finally:
        w.shutdown()


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def report_events(day: DemoDay) -> list[dict[str, object]]:
    store = open_store(day.settings, migrate=False)
    try:
        with store.read() as s:
            rows = s.execute(select(AuditEvent.actor, AuditEvent.detail).where(AuditEvent.action == "print")
                             .order_by(AuditEvent.seq)).all()
        return [{"actor": a, **json.loads(d)} for a, d in rows]
    finally:
        store.close()


@needs_pdftotext
def test_the_report_button_writes_the_daily_report(qtbot: QtBot, window: ReviewWindow, day: DemoDay,
                                                    tmp_path: Path) -> None:
    w = window
    w.confirm = lambda title, text: True
    select_case(qtbot, w, day.receipts["proxy-resident-copy"].case_id)
    w.request_reveal("applicant")
    qtbot.wait_until(lambda: "applicant" in w.detail.revealed, timeout=WAIT)
    out = tmp_path / "보고서.pdf"
    w.ask_report_path = lambda d: out
    w.report_btn.click()
    qtbot.wait_until(lambda: w.last_report == out, timeout=WAIT)
    text = pdf_text(out)
    assert "일일 민원 보고서" in text and "총 접수" in text
    assert "5건" in text and "반려 민원 1건" in text and "구비서류 미비" in text
    assert "개인정보 열람·출력·내보내기 1건" in text and "주민등록번호 열람" in text
    assert day.receipts["proxy-resident-copy"].case_number.replace("-", "\u2010") in text
    assert "9001011234568" not in text and "김민원" not in text  # no personal data
    assert report_events(day)[-1]["what"] == "daily_report"


@needs_pdftotext
def test_report_day_command(day: DemoDay, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = day.settings.database_url
    key = ["--key", str(day.settings.keys[0])]  # the office key: the report's event is chained
    today = today_kst().isoformat()
    out = tmp_path / "day.pdf"
    code = main(["report", "day", "--date", today, "--out", str(out), "--db", url, "--office", "3210000", *key])
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["ok"] and result["cases"] == 5 and result["returned"] == 1
    assert result["by_status"] == {"received": 3, "returned": 1, "completed": 1} and result["pages"] == 2
    text = pdf_text(out)
    for expected in ("일일 민원 보고서", "총 접수", "처리 중", "완료", "반려", "5건", "3건", "1건",
                     "시간대별 접수", "서식별", "담당자별", "QR · 종이", "스캔에서 접수까지", "반려 사유",
                     "통신판매업 신고", "담당자별 접수 2명"):
        assert expected in text, expected
    assert report_events(day)[-1]["what"] == "daily_report"
    fonts = subprocess.run(["pdffonts", str(out)], check=True, capture_output=True, text=True).stdout
    assert "PretendardGOV" in fonts and " yes " in fonts.splitlines()[2]  # the shipped font, embedded

    # an empty day is a report too; bad input is a clear error, never a traceback
    assert main(["report", "day", "--date", "2020-01-01", "--out", str(tmp_path / "e.pdf"), "--db", url, *key]) == 0
    assert "반려된 민원이 없습니다" in pdf_text(tmp_path / "e.pdf")
    capsys.readouterr()
    missing = f"sqlite:///{tmp_path / 'none.db'}"
    assert main(["report", "day", "--date", today, "--out", str(out), "--db", missing, *key]) == 1
    assert "데이터베이스 파일이 없습니다" in json.loads(capsys.readouterr().out)["message"]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["report", "day", "--date", today, "--out", str(blocker / "r.pdf"), "--db", url, *key]) == 1
    assert "파일을 쓸 수 없습니다" in json.loads(capsys.readouterr().out)["message"]
    assert main(["report", "day", "--date", today, "--out", str(tmp_path / "r.txt"), "--db", url, *key]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["report", "day", "--date", "3/2/2026", "--out", str(out)])
    assert exc.value.code == 2


def test_keyboard_reaches_the_charts(qtbot: QtBot, window: ReviewWindow) -> None:
    w = window
    view = w.charts.view("hour")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.current == 1
    assert view.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert w.charts.view("wait").focusPolicy() == Qt.FocusPolicy.StrongFocus  # its bars filter too


@needs_pdftotext
def test_the_report_is_an_official_document_with_its_checkpoint(
        day: DemoDay, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Office name, the period, a 결재란 to sign, the totals a 팀장 reads, and the audit
    checkpoint after the report's own event, which ``audit verify`` reads back from the PDF."""
    s = day.settings
    config = tmp_path / "counter.toml"
    config.write_text(f'office = "3210000"\noffice_name = "서초구청 민원여권과"\n'
                      f'database = "{s.database_url}"\nkeys = ["{s.keys[0]}"]\n', encoding="utf-8")
    today = today_kst()
    out = tmp_path / "day.pdf"
    assert main(["report", "day", "--date", today.isoformat(), "--out", str(out), "--config", str(config)]) == 0
    result = json.loads(capsys.readouterr().out)
    text = pdf_text(out)
    assert "서초구청 민원여권과 (3210000)" in text
    for label in ("담당", "팀장", "과장", "경고 확인 후 접수", "구비서류 누락 접수", "수정 후 접수",
                  "스캔부터 접수까지 (중앙값)", "접수부터 완료까지 (중앙값)", "반려 사유별 1건", "구비서류 미비"):
        assert label in text, label
    printed = re.search(r"CP1[‐-]\d+[‐-][0-9a-f]{24}[‐-][0-9a-f]{16}", text)
    assert printed and printed.group(0).replace("‐", "-") == result["checkpoint"]
    # the paper proves the trail up to it; the report's own event is covered
    chain = ["--db", s.database_url, "--key", str(s.keys[0])]
    assert main(["audit", "verify", *chain, "--checkpoint-file", str(out)]) == 0
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["ok"] and verdict["checkpoints"] == 1
    assert report_events(day)[-1]["what"] == "daily_report"
    # a PDF without a checkpoint is refused by name, not taken as "nothing to check"
    blank = tmp_path / "blank.pdf"
    blank.write_bytes(out.read_bytes()[:9])
    assert main(["audit", "verify", *chain, "--checkpoint-file", str(blank)]) == 2
    capsys.readouterr()

    week = tmp_path / "week.pdf"
    assert main(["report", "week", "--date", today.isoformat(), "--out", str(week), "--config", str(config)]) == 0
    result = json.loads(capsys.readouterr().out)
    monday = today - dt.timedelta(days=today.weekday())
    assert (result["from"], result["to"]) == (monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat())
    assert result["cases"] == 5 and "주간 민원 보고서" in pdf_text(week)
    month = tmp_path / "month.pdf"
    assert main(["report", "month", "--date", today.isoformat(), "--out", str(month), "--config", str(config)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["from"] == today.replace(day=1).isoformat() and result["cases"] == 5
    assert "월간 민원 보고서" in pdf_text(month)
