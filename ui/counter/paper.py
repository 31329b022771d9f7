"""Paper petitions typed by the clerk, and a dialog showing a printable document.

The paper form is built from the same catalogue definition as the scanned
one, and the result is checked by the same validation (through the session),
so a typed petition gets the same findings beside its fields.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QPagedPaintDevice, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from decoding.forms.catalogue import Catalogue
from decoding.forms.model import FieldDef, FormDef
from ui.printing.html import print_html, save_pdf
from ui.widgets import ok_cancel, theme
from ui.widgets.fields import FieldEditor, FieldSpec, editor_for, typed
from ui.widgets.i18n import pick, tr

_PERSON = (("name", "성명"), ("rrn", "주민등록번호"), ("phone", "전화번호"),
           ("postcode", "우편번호"), ("road", "도로명주소"), ("detail", "상세주소"))


def fit_to_screen(dialog: QWidget, width: int, height: int) -> None:
    """Resize to (width, height), but never taller or wider than the screen's free area
    (a counter PC is often 1366×768: a dialog's buttons must stay on screen)."""
    screen = dialog.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        free = screen.availableGeometry()
        width, height = min(width, free.width() - 16), min(height, free.height() - 48)  # the title bar
    dialog.resize(width, height)


class PaperEntryDialog(QDialog):
    """Pick a form, type the applicant (and delegate) and the form's own fields.

    Keyboard first: the dialog opens in the form search (type part of a title,
    e.g. "등본"; ↓ to the list), Tab walks the form, the applicant, the
    delegate and the form's fields, then 확인 and 취소. Esc asks before
    throwing typed work away.
    """

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("종이 신청서 입력"))
        theme.style_sheet_on(self)
        self.catalogue = catalogue
        fit_to_screen(self, 760, 720)
        lay = QVBoxLayout(self)
        # Forms in 가나다 order of their Korean title (the code is for IT, shown after it).
        self.forms = sorted(catalogue.latest(), key=lambda fd: (pick(fd.title_ko, fd.title_en), fd.code))
        self.search = QLineEdit()
        self.search.setObjectName("paper-form-search")
        self.search.setPlaceholderText(tr("서식 찾기 (이름 일부, 예: 등본)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter_forms)
        self.form_box = QComboBox()
        self.form_box.setObjectName("paper-form")
        self.form_box.setMaxVisibleItems(16)
        self._fill_forms(self.forms)
        self.form_box.currentIndexChanged.connect(self._form_changed)
        form_label = QLabel(tr("서식 (&F)"))
        form_label.setBuddy(self.search)
        lay.addWidget(form_label)
        row = QHBoxLayout()
        row.addWidget(self.search, 2)
        row.addWidget(self.form_box, 3)
        lay.addLayout(row)
        self.search.installEventFilter(self)
        scroll = QScrollArea()
        # The scroll area is a container, not a stop: Tab goes straight to the first field.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidgetResizable(True)
        self.body = QWidget()
        self.body_lay = QVBoxLayout(self.body)
        scroll.setWidget(self.body)
        lay.addWidget(scroll, 1)
        self.applicant = self._person_box(tr("신청인"))
        self.proxy = QCheckBox(tr("대리인이 신청 (위임)"))
        self.proxy.toggled.connect(lambda on: self.delegate_box.setVisible(on))
        self.delegate = self._person_box(tr("대리인"), relation=True)
        self.delegate_box: QGroupBox = self.delegate["__box__"]
        self.body_lay.addWidget(self.applicant["__box__"])
        self.body_lay.addWidget(self.proxy)
        self.body_lay.addWidget(self.delegate_box)
        self.delegate_box.hide()
        self.fields_box = QGroupBox(tr("서식 항목"))
        self.fields_form = QFormLayout(self.fields_box)
        self.body_lay.addWidget(self.fields_box)
        self.body_lay.addStretch(1)
        self.inputs: dict[str, tuple[FieldDef, QWidget]] = {}
        self.editors: dict[str, FieldEditor] = {}
        self.buttons = ok_cancel(self._ok, self.reject)
        lay.addWidget(self.buttons)
        self._form_changed()
        self.search.setFocus()
        self._pristine = self._snapshot()

    # --- forms: sorted, searchable --------------------------------------------

    def _fill_forms(self, forms: list[FormDef]) -> None:
        keep = self.form_box.currentData()
        self.form_box.blockSignals(True)
        self.form_box.clear()
        for fd in forms:
            self.form_box.addItem(pick(fd.title_ko, fd.title_en), fd.code)  # the title, as the citizen knows it
        idx = self.form_box.findData(keep)
        self.form_box.setCurrentIndex(idx if idx >= 0 else 0 if forms else -1)
        self.form_box.blockSignals(False)
        if self.form_box.currentData() != keep and hasattr(self, "fields_form"):
            self._form_changed()

    def _filter_forms(self, text: str) -> None:
        words = text.casefold().split()
        hits = [fd for fd in self.forms
                if all(w in _haystack(fd) for w in words)]
        # Forms whose title holds the words first, those found by an alias after them.
        hits.sort(key=lambda fd: not all(w in _haystack(fd, aliases=False) for w in words))
        if hits or not words:
            self.search.setProperty("severity", "")
            self._fill_forms(hits)
        else:
            self.search.setProperty("severity", "error")  # no match: keep the list as it was
        theme.repolish(self.search)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # ↓/↑ in the search field move through the matching forms; Enter takes the form and
        # goes on to the applicant (rather than pressing 확인 with nothing typed).
        if obj is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step is not None and self.form_box.count():
                self.form_box.setCurrentIndex((self.form_box.currentIndex() + step) % self.form_box.count())
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.applicant["name"].setFocus()
                return True
        return super().eventFilter(obj, event)

    def _tab_order(self) -> None:
        """Search, form, the applicant, the delegate, the form's fields, then 확인 and 취소."""
        chain: list[QWidget] = [self.search, self.form_box]
        chain += [self.applicant[k] for k, _ in _PERSON]
        chain.append(self.proxy)
        chain += [self.delegate[k] for k, _ in (*_PERSON, ("relation", ""))]
        chain += [w for _f, w in self.inputs.values()]
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        chain += [ok, cancel]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)

    # --- leaving without losing work ---------------------------------------------

    def _snapshot(self) -> tuple[Any, ...]:
        people = tuple(w.text() for d in (self.applicant, self.delegate)
                       for k, w in d.items() if k != "__box__")
        fields = tuple(str(e.value()) for e in self.editors.values())
        return (self.proxy.isChecked(), people, fields)

    def has_input(self) -> bool:
        """Anything typed that closing would throw away (the chosen form alone is not work)."""
        proxy, people, fields = self._snapshot()
        return proxy or any(people) or any(v not in ("None", "False") for v in fields)

    def reject(self) -> None:
        """Esc, 취소 or the window's × (QDialog's closeEvent comes here): ask before
        throwing typed work away."""
        if self.has_input():
            box = QMessageBox(QMessageBox.Icon.Question, tr("종이 신청서 입력"),
                              tr("입력한 내용을 버리고 닫을까요?"), parent=self)
            discard = box.addButton(tr("버리고 닫기"), QMessageBox.ButtonRole.DestructiveRole)
            keep = box.addButton(tr("계속 입력"), QMessageBox.ButtonRole.RejectRole)
            box.setDefaultButton(keep)
            box.setEscapeButton(keep)
            box.exec()
            if box.clickedButton() is not discard:
                return
        super().reject()

    def _person_box(self, title: str, relation: bool = False) -> dict[str, Any]:
        box = QGroupBox(title)
        form = QFormLayout(box)
        widgets: dict[str, Any] = {"__box__": box}
        items = list(_PERSON) + ([("relation", "관계")] if relation else [])
        for key, label in items:
            edit = QLineEdit()
            edit.setObjectName(f"{'delegate' if relation else 'applicant'}.{key}")
            form.addRow(tr(label), edit)
            widgets[key] = edit
        return widgets

    @property
    def formdef(self) -> FormDef | None:
        code = self.form_box.currentData()
        return self.catalogue.get(code) if code else None

    def select_form(self, code: str) -> None:
        idx = self.form_box.findData(code)
        if idx >= 0:
            self.form_box.setCurrentIndex(idx)

    def _form_changed(self) -> None:
        while self.fields_form.rowCount():
            self.fields_form.removeRow(0)
        self.inputs = {}
        self.editors = {}
        fd = self.formdef
        if fd is None:
            return
        for f in fd.fields:
            if f.source:
                continue  # filled from the applicant/delegate above
            editor = editor_for(f.type, f.choices, allow_other=f.allow_other, help=f.help_ko)
            editor.widget.setObjectName(f"field.{f.id}")
            label = pick(f.label_ko, f.label_en) + (" *" if f.required else "")
            self.fields_form.addRow(label, editor.widget)
            self.editors[f.id] = editor
            self.inputs[f.id] = (f, editor.widget)
        if hasattr(self, "buttons"):
            self._tab_order()

    def set_value(self, field_id: str, value: str) -> None:
        """Fill a field by id as a clerk types it (tests, and the keyboard-first clerk via Tab)."""
        self.editors[field_id].set_text(value)

    def _person(self, widgets: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in ("name", "rrn", "phone", "relation"):
            if key in widgets and widgets[key].text().strip():
                v = widgets[key].text().strip()
                out[key] = typed(FieldSpec("rrn"), v) if key == "rrn" else v
        addr = {k: widgets[k].text().strip() for k in ("postcode", "road", "detail")
                if widgets[k].text().strip()}
        if addr:
            out["address"] = addr
        return out

    def result_paper(self) -> dict[str, Any]:
        fd = self.formdef
        assert fd is not None
        fields = {}
        for fid, editor in self.editors.items():
            v = editor.value()
            if v is not None and v != []:
                fields[fid] = v
        paper: dict[str, Any] = {"form": fd.code, "ver": fd.ver, "fields": fields,
                                 "applicant": self._person(self.applicant)}
        if self.proxy.isChecked():
            paper["delegate"] = self._person(self.delegate)
        return paper

    def _ok(self) -> None:
        if not self.applicant["name"].text().strip():
            QMessageBox.warning(self, tr("종이 신청서 입력"), tr("신청인 성명을 입력하세요"))
            return
        if self.proxy.isChecked() and not (
            self.delegate["name"].text().strip() and self.delegate["relation"].text().strip()
        ):
            QMessageBox.warning(self, tr("종이 신청서 입력"), tr("대리인 성명과 관계를 입력하세요"))
            return
        self.accept()


class HtmlDialog(QDialog):
    """Shows a document (the power of attorney), prints it and saves it as PDF.

    Sized to the screen (a 1366×768 counter PC keeps its buttons on screen).
    Ctrl+P prints, Ctrl+S saves, Esc closes. ``on_printed(what)`` is told of a
    print or a saved PDF, so the window can audit it.
    """

    def __init__(self, title: str, html: str, folder: Path, parent: QWidget | None = None,
                 on_printed: Callable[[str], None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        theme.style_sheet_on(self)
        self.html = html
        self.folder = folder
        self.on_printed = on_printed
        fit_to_screen(self, 720, 820)
        lay = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setHtml(html)
        lay.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("닫기 (Esc)"))
        self.print_button = buttons.addButton(tr("인쇄 (Ctrl+P)"), QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setObjectName("poa-print")
        self.print_button.setProperty("kind", "primary")
        self.print_button.clicked.connect(self.print_document)
        save = buttons.addButton(tr("PDF로 저장 (Ctrl+S)"), QDialogButtonBox.ButtonRole.ActionRole)
        save.clicked.connect(self._save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons, 0, Qt.AlignmentFlag.AlignRight)
        for key, fn in (("Ctrl+P", self.print_document), ("Ctrl+S", self._save)):
            sc = QShortcut(QKeySequence(key), self)
            sc.activated.connect(fn)
        self.print_button.setFocus()
        self.saved: Path | None = None
        # Tests (and a print server without a dialog) hand in the printer instead of asking.
        self.ask_printer: Callable[[], QPagedPaintDevice | None] = self._ask_printer

    def _ask_printer(self) -> QPagedPaintDevice | None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        accepted = dialog.exec() == QPrintDialog.DialogCode.Accepted
        dialog.deleteLater()
        return printer if accepted else None

    def print_document(self) -> None:
        printer = self.ask_printer()
        if printer is None:
            return
        print_html(self.html, printer)
        if self.on_printed is not None:
            self.on_printed("printer")

    def _save(self) -> None:
        self.saved = save_pdf(self.html, self.folder / "위임장.pdf")
        if self.on_printed is not None:
            self.on_printed("pdf")
        QMessageBox.information(self, self.windowTitle(), f"{tr('저장했습니다')}: {self.saved}")


def _haystack(fd: FormDef, aliases: bool = True) -> str:
    """What the form search matches: titles, code and the everyday words (aliases)."""
    words = " ".join(fd.aliases) if aliases else ""
    return f"{fd.title_ko} {fd.title_en} {fd.code} {words}".casefold()
