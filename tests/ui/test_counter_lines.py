"""The counter's queue and banners stay true: the paper petition being typed keeps its place,
a refusal's banner goes after a good scan, the petition on screen heads the queue with the
waiting count."""

from __future__ import annotations

import time
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.compose import CounterParts
from counter_app.demo import DemoKit
from decoding.forms.catalogue import Catalogue
from tests.ui.helpers import make_counter
from tests.ui.test_window import WAIT, scan, shown
from ui.counter.devices import DeviceAdapter

PAPER = {"form": "MAIL_ORDER_REPORT", "ver": 1, "applicant": {"name": "가나다"},
         "fields": {"business_reg_no": "2208162518"}}


def test_a_qr_scanned_while_paper_is_typed_waits_behind_it(
    qtbot: QtBot, counter: CounterParts, kit: DemoKit
) -> None:
    s = counter.session
    s.begin_paper()  # Ctrl+N: the citizen at the counter
    scan(counter, kit.sample("resident-copy").texts)  # someone else's QR meanwhile
    qtbot.wait_until(lambda: [q.status for q in s.queue] == ["checking", "waiting"], timeout=WAIT)
    assert s.current is None
    s.enter_paper(PAPER)
    shown(qtbot, counter)
    assert s.view is not None and s.view.applicant.name == "가나다"
    assert [q.status for q in s.queue] == ["current", "waiting"]
    title = counter.window.queue_panel.title.text()
    assert title.endswith("대기 1"), title
    assert "처리 중" in counter.window.queue_list.item(0).text()  # the one on screen heads the list


def test_a_cancelled_paper_petition_gives_its_place_to_the_next(
    qtbot: QtBot, counter: CounterParts, kit: DemoKit
) -> None:
    s = counter.session
    s.begin_paper()
    scan(counter, kit.sample("resident-copy").texts)
    qtbot.wait_until(lambda: "waiting" in [q.status for q in s.queue], timeout=WAIT)
    s.cancel_paper()
    shown(qtbot, counter)
    assert [q.status for q in s.queue] == ["current"]


def test_a_refusal_banner_goes_after_a_good_scan(qtbot: QtBot, counter: CounterParts, kit: DemoKit) -> None:
    w, s = counter.window, counter.session
    scan(counter, kit.sample("damaged").texts)
    qtbot.wait_until(lambda: w.banner.isVisible() and w.banner.kind == "error", timeout=WAIT)
    scan(counter, kit.sample("resident-copy").texts)
    shown(qtbot, counter)
    assert not (w.banner.isVisible() and "MW_DECRYPT" in w.banner.text.text())
    assert [q.status for q in s.queue] == ["rejected", "current"]  # the refusal's line stays


def test_the_file_dialog_opens_in_the_scans_folder(counter: CounterParts, tmp_path: Path) -> None:
    w = counter.window
    assert w.scans_folder() == ""  # no watched folder: Qt's default
    watched = DeviceAdapter(f"folder:{tmp_path}", "서류 스캔 폴더")  # not started
    w.adapters.append(watched)
    try:
        assert w.scans_folder() == str(tmp_path)
    finally:
        w.adapters.remove(watched)


def test_a_restored_petition_shows_its_scan_time(
    qtbot: QtBot, tmp_path: Path, kit: DemoKit, catalogue: Catalogue
) -> None:
    first = make_counter(tmp_path, kit, catalogue)
    try:
        scan(first, kit.sample("mail-order").texts)
        shown(qtbot, first)
        scan(first, kit.sample("resident-copy").texts)
        qtbot.wait_until(lambda: "waiting" in [q.status for q in first.session.queue], timeout=WAIT)
        times = [q.time for q in first.session.queue]
        assert first.session.writer.flush()
    finally:
        first.close()
    time.sleep(1.1)  # the restore is a second later than the scans
    again = make_counter(tmp_path, kit, catalogue, restore=True)
    try:
        s = again.session
        qtbot.wait_until(lambda: s.current is not None and len(s.queue) == 2 and not s.runner.pending,
                         timeout=WAIT)
        assert sorted(q.time for q in s.queue) == sorted(times)
    finally:
        again.close()
