"""The receipt (접수증) of an accepted or returned petition: saved as PDF, printed on Ctrl+P.

Printing it is an audit event of the case (through the intake pipeline, on the
session's worker); saving the PDF that every accept makes is not a print.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from counter_app.viewmodel import PetitionView
from records.views import Receipt
from ui.counter.session import PetitionSession
from ui.printing.html import print_html, receipt_html, save_pdf
from ui.widgets import Banner
from ui.widgets.i18n import tr


class ReceiptDesk:
    """Makes the receipt of each closed petition and keeps the last one for Ctrl+P."""

    def __init__(self, session: PetitionSession, banner: Banner, folder: Path, office: str,
                 counter: str) -> None:
        self.session = session
        self.banner = banner
        self.folder = folder
        self.office = office
        self.counter = counter
        self.last: tuple[Receipt, str] | None = None
        self.last_pdf: Path | None = None

    def save(self, receipt: Receipt, view: PetitionView | None) -> Path | None:
        """The receipt as PDF in the receipts folder (None, with the reason in the banner)."""
        try:
            html = receipt_html(receipt, view, self.office, self.counter, self.session.clerk)
            path = self.folder / f"{receipt.case_number}.pdf"
            self.last_pdf = save_pdf(html, path)
        except OSError as exc:
            self.banner.show_message("error", f"{tr('접수증을 저장하지 못했습니다')}: {exc}")
            return None
        self.last = (receipt, html)
        return path

    def print_last(self, parent: QWidget) -> None:
        """Ctrl+P: the last receipt on a printer (it is already saved as PDF)."""
        if self.last is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        receipt, html = self.last
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        print_html(html, printer)
        self._audit(receipt, "receipt (printer)")

    def _audit(self, receipt: Receipt, what: str) -> None:
        desk = self.session.desk
        self.session.runner.submit(
            lambda: desk.record_print(receipt, what), lambda _: None,
            lambda exc: self.banner.show_message("error", str(exc)),
        )
