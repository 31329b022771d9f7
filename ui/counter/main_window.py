"""The clerk's counter window: queue, petition, attachments, devices, actions.

The window only draws and forwards: the petition's rules live in
:class:`~ui.counter.session.PetitionSession`, devices in :mod:`ui.counter.devices`.
Keyboard first: Ctrl+Enter accepts, Ctrl+N types a paper petition, Ctrl+R
returns, Ctrl+Delete clears, F9 captures the seal, F7 takes a page with the
document camera (실물화상기), holding F8 shows the full resident registration
numbers (each reveal is audited).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from counter_app.viewmodel import FieldRow, PetitionView, power_of_attorney_html
from decoding.forms.catalogue import Catalogue
from records.views import Receipt
from ui.counter.accept_flow import AcceptFlow
from ui.counter.attachments import AttachmentsPane, ImageLoader, PageViewer
from ui.counter.bars import ActionBar, HeaderBar
from ui.counter.busy_state import BusyWatch
from ui.counter.capture import Capture
from ui.counter.devices import DeviceAdapter, DeviceBar, StatusDevice
from ui.counter.petition_view import PetitionWidget
from ui.counter.queue_panel import QueuePanel
from ui.counter.receipts import ReceiptDesk
from ui.counter.session import PetitionSession, QueueItem, Rejection
from ui.widgets import Banner, HoldKey, ask_text, database_error_text, theme
from ui.widgets.i18n import pick, say, tr
from ui.widgets.qtcompat import emit
from ui.widgets.sound import Alert

log = logging.getLogger(__name__)

REVEAL_KEY = Qt.Key.Key_F8


class DatabaseState(StrEnum):
    OPENING = "opening"  # the worker opens (and migrates) the case database; scans wait
    READY = "ready"
    FAILED = "failed"


class CounterWindow(QMainWindow):
    """The main window.

    Signals:
        drawn(): the petition view was redrawn (the bench measures scan → drawn).
    """

    drawn = Signal()

    def __init__(
        self,
        session: PetitionSession,
        catalogue: Catalogue,
        adapters: list[DeviceAdapter],
        alert: Alert,
        receipts_dir: Path,
        office: str = "",
        counter: str = "",
        seal_capture: Callable[[], str] | None = None,
        document_capture: Callable[[], str] | None = None,
        document_device: StatusDevice | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.catalogue = catalogue
        self.adapters = adapters
        self.alert = alert
        self.receipts_dir = receipts_dir
        self.office = office
        self.counter = counter
        self.revealed: dict[str, str] = {}
        self._closing_view: PetitionView | None = None
        self.loader = ImageLoader(self)
        self.setWindowTitle(tr("민원 창구") + f" — {office} {counter}")
        self.setMinimumSize(1000, 600)  # a 1024×768 screen, maximised
        self._build()
        self.receipts = ReceiptDesk(session, self.banner, receipts_dir, office, counter)
        self.flow = AcceptFlow(self, session, self.banner)
        self.busy_watch = BusyWatch(self.busy, self)
        # The seal scanner and the document camera may take seconds: each its own worker.
        self.seal = Capture(self, seal_capture, lambda path, n: session.set_seal(path, n),
                            busy=self.busy, banner=self.banner, busy_ko="도장 읽는 중…",
                            missing_ko="도장 스캐너가 설정되지 않았습니다",
                            failed_ko="도장을 읽지 못했습니다", name="seal capture")
        self.document = Capture(self, document_capture,
                                lambda path, n: session.add_page(path, "document camera", None, n),
                                busy=self.busy, banner=self.banner, busy_ko="실물화상기로 찍는 중…",
                                missing_ko="실물화상기가 설정되지 않았습니다",
                                failed_ko="실물화상기로 서류를 찍지 못했습니다", alert=alert,
                                device=document_device, name="document capture")
        self._connect()
        self.reveal_filter = HoldKey(REVEAL_KEY, self)
        # On the window, not the application: F8 is not used by any child widget, so it
        # reaches the window, and an app-wide Python filter slows down every event.
        self.installEventFilter(self.reveal_filter)
        for child in (self.petition, self.attachments, self.queue_list):
            child.installEventFilter(self.reveal_filter)
        self.reveal_filter.pressed.connect(self._reveal_pressed)
        self.reveal_filter.released.connect(self._reveal_released)
        self._redraw()
        self._update_queue()

    # --- layout ------------------------------------------------------------

    def _build(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(12, 8, 12, 4)
        header = HeaderBar(self.office, self.counter, self.session.clerk)
        self.progress, self.busy = header.progress, header.busy
        outer.addWidget(header)
        self.banner = Banner()
        outer.addWidget(self.banner)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.queue_panel = left = QueuePanel(self.session)
        self.queue_list = left.list
        self.paper_button = left.paper_button
        self.paper_button.clicked.connect(self.enter_paper)
        self.extra_buttons = left.buttons
        split.addWidget(left)

        middle = QWidget()
        ml = QVBoxLayout(middle)
        ml.setContentsMargins(0, 0, 0, 0)
        self.petition = PetitionWidget()
        ml.addWidget(self.petition, 1)
        self.action_bar = ActionBar(self.session)
        self.blockers, self.ack = self.action_bar.blockers, self.action_bar.ack
        self.clear_button, self.return_button = self.action_bar.clear_button, self.action_bar.return_button
        self.accept_button = self.action_bar.accept_button
        self.clear_button.clicked.connect(self.clear)
        self.return_button.clicked.connect(self.return_petition)
        self.accept_button.clicked.connect(self.accept)
        ml.addWidget(self.action_bar)
        split.addWidget(middle)

        self.attachments = AttachmentsPane(self.loader)
        split.addWidget(self.attachments)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setStretchFactor(2, 0)
        split.setSizes([250, 760, 320])
        # 1024×768 (a small counter PC) keeps every button whole (F7, F9, 구비서류, 접수): each
        # pane is held at its own minimum size, which its words give (no fixed widths: a fixed
        # minimum under the words' width cut "(Ctrl+Enter)" off; tests/xreal/test_screen_sizes_x)
        for pane in (left, middle, self.attachments):
            split.setCollapsible(split.indexOf(pane), False)
        outer.addWidget(split, 1)
        self.setCentralWidget(central)
        self.device_bar = DeviceBar(self.adapters)
        self.statusBar().addPermanentWidget(self.device_bar, 1)
        # The style sheet goes on these containers, not on the petition (see ui.widgets.theme).
        theme.style_sheet_on(header, self.banner, left, self.action_bar.bar, self.attachments,
                             self.statusBar())

    def _connect(self) -> None:
        s = self.session
        s.petition_changed.connect(self._redraw)
        s.queue_changed.connect(self._update_queue)
        s.scan_rejected.connect(self._rejected)
        s.part_progress.connect(self._progress)
        s.accepted.connect(self._accepted)
        s.returned.connect(self._returned)
        s.failed.connect(lambda msg: self.banner.show_message(
            "error", f"[{msg.code}] {say(msg)}" if msg.code else say(msg)))
        s.rrn_revealed.connect(self._revealed)
        s.refused.connect(lambda msg: self.flow.refused(msg, self.alert))
        s.told.connect(lambda msg: self.banner.show_message("info", say(msg)))
        s.scan_good.connect(self._scan_good)
        s.restored.connect(lambda: self.banner.show_message(
            "info", tr("이전에 작업하던 민원을 복구했습니다.")))
        s.runner.busy_changed.connect(self._busy)
        self.petition.edit_requested.connect(self.correct_field)
        self.petition.poa_requested.connect(self.show_power_of_attorney)
        self.attachments.assign.connect(s.assign_page)
        self.attachments.open_page.connect(self.open_page)
        self.attachments.capture_seal.connect(self.capture_seal)
        self.attachments.import_files.connect(self.import_files)
        self.attachments.capture_document.connect(self.capture_document)
        if self.document.device is not None:
            self.document.device.on_click = self.capture_document
        for a in self.adapters:
            a.scanned.connect(s.submit_scan)
            a.item.connect(self._device_item)
            a.state_changed.connect(self._device_state)
        for keys, fn in (
            (("Ctrl+Return", "Ctrl+Enter"), self.accept),
            (("Ctrl+N",), self.enter_paper),
            (("Ctrl+R",), self.return_petition),
            (("Ctrl+Delete",), self.clear),
            (("F9",), self.capture_seal),
            (("F7",), self.capture_document), (("F4",), self.petition.go_to_fields),
            (("Escape",), self.banner.hide),
            (("Ctrl+P",), self.print_receipt),
        ):
            for k in keys:
                sc = QShortcut(QKeySequence(k), self)
                sc.setContext(Qt.ShortcutContext.WindowShortcut)
                sc.activated.connect(fn)

    # --- drawing -----------------------------------------------------------

    def _redraw(self) -> None:
        s = self.session
        self.petition.set_view(s.view, self.revealed)
        self.attachments.set_state(s.view, s.draft.pages, s.draft.seal)
        self.action_bar.redraw()
        self.flow.petition_changed()
        emit(self.drawn)

    def _update_actions(self) -> None:
        self.action_bar.update_actions()

    def _update_queue(self) -> None:
        self.queue_panel.redraw()
        self._update_actions()

    def _busy(self, busy: bool) -> None:
        if self.database_state is DatabaseState.OPENING:
            self.busy.setText(tr("데이터베이스 여는 중…"))
        else:  # "확인 중…", then after seconds a plain, coloured "the database is not answering"
            self.busy_watch.set_busy(busy)
        self._update_actions()

    database_state = DatabaseState.READY

    def database_opening(self) -> None:
        self.database_state = DatabaseState.OPENING
        self.busy.setText(tr("데이터베이스 여는 중…"))

    def database_ready(self) -> None:
        self.database_state = DatabaseState.READY
        self._busy(bool(self.session.runner.pending))

    def database_failed(self, exc: BaseException) -> None:
        self.database_state = DatabaseState.FAILED
        self.busy.setText("")
        self.banner.show_message("error", database_error_text(exc))
        self.alert.play()

    def _progress(self, received: int, total: int) -> None:
        self.progress.setText(f"{tr('여러 장 QR')} {received}/{total}" if total else "")

    # --- events ----------------------------------------------------------

    def _rejected(self, rej: Rejection) -> None:
        self._refusal = f"{tr('스캔 거부')} [{rej.code}] {say(rej.message)}"
        self.banner.show_message("error", self._refusal)
        self.alert.play()

    _refusal = ""

    def _scan_good(self) -> None:
        """A good scan after a refusal: the refusal's banner is no longer true (the line stays
        in the queue, red, with its code)."""
        if self._refusal and self.banner.isVisible() and self.banner.text.text() == self._refusal:
            self.banner.hide()
        self._refusal = ""

    def _accepted(self, receipt: Receipt) -> None:
        pdf = self.receipts.save(receipt, self._closing_view)
        name = self._closing_view.applicant.name if self._closing_view else ""
        self.flow.accepted(f"{tr('접수되었습니다. 접수번호')} {receipt.case_number}"
                           + (f"\n{tr('접수증')}: {pdf}  ({tr('인쇄: Ctrl+P')})" if pdf else ""), name)
        self.ack.setChecked(False)

    def _returned(self, receipt: Receipt) -> None:
        self.receipts.save(receipt, self._closing_view)
        self.banner.show_message(
            "warning", f"{tr('반려했습니다')} ({receipt.case_number}): {receipt.reason}"
        )

    @property
    def last_receipt_pdf(self) -> Path | None:
        return self.receipts.last_pdf

    def print_receipt(self) -> None:
        """Ctrl+P: the last receipt on a printer (it is already saved as PDF)."""
        self.receipts.print_last(self)

    def _device_item(self, obj: object) -> None:
        """A page from the watched folder or document camera joins the current petition."""
        path = getattr(obj, "path", None) or (obj if isinstance(obj, str | Path) else None)
        if path is not None:
            self.session.add_page(str(path), getattr(obj, "source", ""))

    def _device_state(self, source: str, state: str, reason: str, transient: bool) -> None:
        if transient and reason:
            self.banner.show_message("warning", f"{source}: {reason}")

    # --- actions -----------------------------------------------------------

    def accept(self) -> None:
        """Ctrl+Enter: see :class:`ui.counter.accept_flow.AcceptFlow` for the guards."""
        view = self.session.view
        if self.flow.accept():
            self._closing_view = view

    def return_petition(self) -> None:
        if self.session.current is None:
            return
        reason, ok = ask_text(self, tr("반려"), tr("반려 사유를 입력하세요"))
        if ok and reason.strip():
            self._closing_view = self.session.view
            self.session.return_petition(reason)

    def clear(self) -> None:
        self.session.clear()

    def correct_field(self, row: FieldRow) -> None:
        from ui.counter.correction import CorrectionDialog

        dlg = CorrectionDialog(row, self)
        with self.session.seen.own_dialog():  # about this petition: the look goes on
            done = dlg.exec()
        if done:
            self.session.correct(row.form, row.id, row.value, dlg.value(), dlg.reason())
        dlg.deleteLater()

    def enter_paper(self) -> None:
        from ui.counter.paper import PaperEntryDialog

        dlg = PaperEntryDialog(self.catalogue, self)
        self.session.begin_paper()  # the citizen at the counter keeps their place in the queue
        if dlg.exec():
            self.session.enter_paper(dlg.result_paper())
        else:
            self.session.cancel_paper()

    def show_power_of_attorney(self) -> None:
        """The 위임장 from the catalogue's rules, as the command line prints it."""
        current = self.session.current
        page = power_of_attorney_html(current, self.catalogue) if current is not None else ""
        if page:
            from ui.counter.paper import HtmlDialog

            with self.session.seen.own_dialog():
                HtmlDialog(tr("위임장"), page, self.receipts_dir, self).exec()

    def open_page(self, index: int) -> None:
        pages = self.session.draft.pages
        if 0 <= index < len(pages):
            with self.session.seen.own_dialog():
                PageViewer(self.loader, pages, index, self.session.rotate_page, self).exec()
            self._redraw()

    def scans_folder(self) -> str:
        """Where the document scanner saves pages (the watched folder), for the file dialog."""
        for a in self.adapters:
            name = getattr(a, "name", "")
            if isinstance(name, str) and name.startswith("folder:") and Path(name[7:]).is_dir():
                return name[7:]
        return ""

    def import_files(self) -> None:
        # Qt's own dialog (in Korean with qtbase_ko), opening in the scans folder
        files, _ = QFileDialog.getOpenFileNames(
            self, tr("서류 파일 추가"), self.scans_folder(),
            pick("이미지", "Images") + " (*.png *.jpg *.jpeg *.tif *.tiff)")
        for f in files:
            self.session.add_page(f, "file")

    def capture_seal(self) -> None:
        """F9: the seal (도장) of the petition on screen (none open: refused), on its worker."""
        if self.flow.petition_open(self.seal.capture, "열린 민원이 없습니다. 민원을 연 뒤 도장을 찍으세요 (F9)."):
            self.seal.start(self.session.serial)

    def capture_document(self) -> None:
        """F7: one page of the petition on screen from the document camera, on a worker."""
        if self.flow.petition_open(self.document.capture, "열린 민원이 없습니다. 민원을 연 뒤 서류를 찍으세요 (F7)."):
            self.document.start(self.session.serial)

    def _reveal_pressed(self) -> None:
        self.session.reveal()

    def _reveal_released(self) -> None:
        self.session.hide()

    def _revealed(self, numbers: object) -> None:
        self.revealed = dict(numbers) if isinstance(numbers, dict) else {}
        self.petition.set_view(self.session.view, self.revealed)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange:
            # A dialog, the lock or another window in front: the petition is not being seen,
            # and when the window is active again the clerk's look starts from zero.
            if self.isActiveWindow():
                self.session.seen.uncover("inactive")
            else:
                self.session.seen.cover("inactive")
        # A key released in another window never reaches us: hide the numbers when we lose focus.
        if event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow():
            self.reveal_filter.release_now()
            if self.revealed:
                self.session.hide()
        super().changeEvent(event)

    def screen_locked(self, locked: bool) -> None:
        """The idle lock covers the window (True) or was opened (False: the look starts again)."""
        if locked:
            self.session.seen.cover("locked")
        else:
            self.session.seen.uncover("locked")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop devices and background work (the draft is already saved)."""
        for a in self.adapters:
            a.stop()
        self.session.shutdown()
        self.seal.shutdown()
        self.document.shutdown()
        self.loader.shutdown()
        self.alert.close()
        self.busy_watch.stop()


__all__ = ["Banner", "CounterWindow", "QueueItem", "ask_text"]
