"""Smaller window parts: the keyboard filter with the input method, device chips,
the reveal key released early, the task runner, the receipt PDF."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from records.views import Receipt
from tests.ui.helpers import focused_edit
from ui.counter.devices import DeviceAdapter, DeviceChip
from ui.counter.wedge_filter import WedgeFilter
from ui.printing.html import receipt_html, save_pdf
from ui.widgets.qtcompat import emit
from ui.widgets.workers import TaskRunner

WAIT = 5000


def test_scan_typed_through_the_korean_ime(qtbot: QtBot, wedge: WedgeFilter) -> None:
    """The IME commits jamo for the scanner's keys: the filter repairs them into the payload."""
    edit = focused_edit(qtbot)
    committed = ["ㅡ", "ㅉ", "1", ":", "ㅁ", "ㅠ", "ㅊ", "1", "2", "3"]  # MW1:ABC123 in 2-set Hangul
    with qtbot.wait_signal(wedge.scanned, timeout=WAIT) as blocker:
        for text in committed:
            ev = QInputMethodEvent()
            ev.setCommitString(text)
            QApplication.sendEvent(edit, ev)
        qtbot.keyClick(edit, "\r")
    assert blocker.args[0] == "MW1:ABC123"
    assert edit.text() == ""


def test_person_typing_through_the_ime_is_given_back(qtbot: QtBot, wedge: WedgeFilter) -> None:
    edit = focused_edit(qtbot)
    for text in ("가", "나"):
        ev = QInputMethodEvent()
        ev.setCommitString(text)
        QApplication.sendEvent(edit, ev)
        qtbot.wait(80)  # a person's pace
    qtbot.wait_until(lambda: edit.text() == "가나", timeout=WAIT)


class StubDevice:
    """A device with the driver interface; counts opens and closes."""

    opened = 0
    closed = 0

    def __init__(self, on_scan: Any, on_state: Any) -> None:
        self.on_scan, self.on_state = on_scan, on_state
        self.running = False

    def start(self) -> None:
        StubDevice.opened += 1
        self.running = True
        self.on_state(type("S", (), {"state": "connected", "reason": "", "transient": False})())

    def stop(self) -> None:
        StubDevice.closed += 1
        self.running = False


def test_device_chip_shows_state_and_reconnects(qtbot: QtBot) -> None:
    adapter = DeviceAdapter("fake:x", "QR 스캐너", lambda n, s, st: StubDevice(s, st))
    chip = DeviceChip(adapter)
    qtbot.addWidget(chip)
    with qtbot.wait_signal(adapter.state_changed, timeout=WAIT):
        adapter.start()
    qtbot.wait_until(lambda: "연결됨" in chip.text(), timeout=WAIT)
    opened = StubDevice.opened
    chip.click()
    assert StubDevice.opened == opened + 1 and StubDevice.closed >= 1
    adapter.stop()


def test_device_that_cannot_open_is_an_error_chip(qtbot: QtBot) -> None:
    def fail(*_: object) -> None:
        raise PermissionError("권한이 없습니다 / permission denied: /dev/ttyACM0")

    adapter = DeviceAdapter("serial:/dev/ttyACM0", "QR 스캐너", fail)
    chip = DeviceChip(adapter)
    qtbot.addWidget(chip)
    adapter.start()
    qtbot.wait_until(lambda: chip.property("state") == "error", timeout=WAIT)
    assert "permission denied" in chip.toolTip()


def test_task_runner_body_called_directly(qtbot: QtBot) -> None:
    """The worker body alone (napari's 'test a thread twice'): result or exception, numbered."""
    runner = TaskRunner()
    got: list[tuple[int, object, object]] = []
    runner._finished.connect(lambda n, r, e: got.append((n, r, e)))
    runner._run(7, lambda: "x")
    runner._run(8, lambda: 1 / 0)
    assert got[0] == (7, "x", None)
    assert got[1][0] == 8 and isinstance(got[1][2], ZeroDivisionError)
    runner.shutdown()


def test_task_runner_body_and_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    results: list[object] = []
    errors: list[BaseException] = []
    with qtbot.wait_signal(runner.busy_changed, timeout=WAIT, check_params_cb=lambda b: not b):
        runner.submit(lambda: 41 + 1, results.append, errors.append)
        runner.submit(lambda: 1 / 0, results.append, errors.append)
    assert results == [42] and isinstance(errors[0], ZeroDivisionError)
    assert runner.pending == 0
    assert runner.shutdown(2000)


def test_task_runner_shutdown_honours_its_timeout(qtbot: QtBot) -> None:
    """A hung task (a database that does not answer) does not hang the window's close:
    shutdown returns False after its timeout, and the tasks behind it never run."""
    import threading

    runner = TaskRunner(name="hung worker")
    hung, running = threading.Event(), threading.Event()
    ran: list[str] = []

    def query() -> None:
        running.set()
        hung.wait()

    runner.submit(query, lambda _: ran.append("first"), lambda _: None)
    runner.submit(lambda: ran.append("second"), lambda _: None, lambda _: None)
    assert running.wait(5)
    started = time.monotonic()
    assert runner.shutdown(300) is False
    assert 0.25 <= time.monotonic() - started < 2.0
    hung.set()  # the database answers at last: the worker ends, the queued task was dropped
    qtbot.wait_until(lambda: not any(t.name.startswith("hung worker") for t in threading.enumerate()),
                     timeout=WAIT)
    assert ran == []
    runner.submit(lambda: ran.append("late"), lambda _: None, lambda _: None)  # after close: ignored
    assert ran == []


class _Src(QObject):
    sig = Signal()


def test_this_pyside_keeps_its_references() -> None:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None on every void call (pinned out)."""
    from ui.widgets.qtcompat import VOID_CALLS_BROKEN, check_pyside

    assert not VOID_CALLS_BROKEN
    check_pyside()


def test_emit_keeps_true_alive() -> None:
    """The PySide6 6.12.0 emit() reference bug is compensated (would abort otherwise)."""
    import sys

    src = _Src()
    src.sig.connect(lambda: None)
    before = sys.getrefcount(True)
    for _ in range(5000):
        emit(src.sig)
    assert sys.getrefcount(True) >= before


def test_receipt_pdf(qapp: QApplication, tmp_path: Path) -> None:
    html = receipt_html(Receipt(1, "3210000-2026-000001", dt.datetime.now(dt.UTC)), None,
                        "3210000", "민원1", "clerk")
    pdf = save_pdf(html, tmp_path / "r.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        text = doc[0].get_textpage().get_text_range()
    finally:
        doc.close()
    # pdfium reads this font's hyphen back as a control character: compare the digits
    digits = "".join(ch for ch in text if ch.isdigit())
    assert "32100002026000001" in digits and "민원 접수증" in text


def test_correction_dialog_types_and_never_shows_an_rrn(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QComboBox, QLabel

    from counter_app.viewmodel import FieldRow
    from ui.counter.correction import CorrectionDialog

    rrn = FieldRow("F", "rrn", "주민등록번호", "RRN", "rrn", "9001011234568", "900101-1******",
                   True, True)
    dlg = CorrectionDialog(rrn)
    qtbot.addWidget(dlg)
    shown = " ".join(w.text() for w in dlg.findChildren(QLineEdit)) + " ".join(
        w.text() for w in dlg.findChildren(QLabel))
    assert "1234568" not in shown and "900101-1******" in shown
    qtbot.keyClicks(dlg.inputs["value"], "900101-1234567", delay=40)
    assert dlg.value() == "9001011234567"

    choice = FieldRow("F", "kind", "구분", "Kind", "choice", "등본", "등본", True, False,
                      choices=("열람", "등본", "초본"))
    dlg2 = CorrectionDialog(choice)
    qtbot.addWidget(dlg2)
    box = dlg2.inputs["value"]
    assert isinstance(box, QComboBox) and box.currentText() == "등본"
    box.setCurrentText("초본")
    assert dlg2.value() == "초본"

    money = FieldRow("F", "fee", "수수료", "Fee", "money", 400, "400원", False, False)
    dlg3 = CorrectionDialog(money)
    qtbot.addWidget(dlg3)
    dlg3.inputs["value"].setText("1,200")  # type: ignore[attr-defined]
    assert dlg3.value() == 1200


def test_print_on_a_printer(qapp: QApplication, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from ui.printing.html import print_html

    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # a printer that writes a file
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    print_html(receipt_html(Receipt(9, "X-2026-000009", dt.datetime.now(dt.UTC)), None,
                            "3210000", "민원1", "clerk"), printer)
    assert (tmp_path / "printed.pdf").read_bytes().startswith(b"%PDF")
