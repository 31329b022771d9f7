"""The petition on screen, drawn from the catalogue section by section.

Each field shows its label, value and the findings beside it (red for errors,
amber for warnings). Autofilled fields say where they came from; fields the
clerk corrected are marked and show the value before. RRNs are masked unless
the window passes the revealed numbers (while the reveal key is held).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from counter_app.intake import Origin
from counter_app.viewmodel import FieldRow, FormView, PetitionView, display_value
from decoding.document import Person
from ui.widgets import theme
from ui.widgets.i18n import pick, tr
from ui.widgets.qtcompat import emit


def _label(
    text: str, role: str | None = None, severity: str | None = None, corrected: bool = False
) -> QLabel:
    """A label styled in code (see :mod:`ui.widgets.theme`: no style-sheet polish on redraw)."""
    lab = QLabel(text)
    lab.setWordWrap(True)
    lab.setFont(theme.font_for(role, bold=severity is not None))
    colour = theme.text_colour(role, severity, corrected)
    if colour != theme.TEXT:
        lab.setPalette(theme.palette_for(colour))
    if role:
        lab.setProperty("role", role)
    if severity:
        lab.setProperty("severity", severity)
    return lab


class _Panel(QFrame):
    """A frame painted in code: background, an optional left bar or border, a focus ring."""

    def __init__(self, background: str = theme.WHITE, bar: str | None = None,
                 border: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.background = QColor(background)
        self.bar = QColor(bar) if bar else None
        self.border = QColor(border) if border else None

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self.rect().adjusted(1, 1, -1, -1)
        p.setPen(QPen(self.border, 2) if self.border else Qt.PenStyle.NoPen)
        p.setBrush(self.background)
        if self.border:
            p.drawRoundedRect(r, 8, 8)
        else:
            p.fillRect(self.rect(), self.background)
        if self.bar is not None:
            p.fillRect(0, 0, 4, self.height(), self.bar)
        if self.hasFocus():
            p.setPen(QPen(QColor(theme.PRIMARY), 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(r, 4, 4)
        p.end()


class FieldRowWidget(_Panel):
    """One field: label, value, findings; a button to correct it.

    Signals:
        edit_requested(object): the clerk asked to correct this :class:`FieldRow`.
    """

    edit_requested = Signal(object)

    def __init__(self, row: FieldRow, revealed: str | None, parent: QWidget | None = None) -> None:
        sev = row.severity
        super().__init__(theme.SEVERITY_BACKGROUND.get(sev or "", theme.WHITE),
                         theme.SEVERITY_BORDER.get(sev or ""), None, parent)
        self.row = row
        self.setObjectName("field")
        if sev:
            self.setProperty("severity", sev)
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 3, 10, 3)
        grid.setVerticalSpacing(2)
        grid.setHorizontalSpacing(16)
        label = pick(row.label_ko, row.label_en) + (" *" if row.required else "")
        lab = _label(label, "label")
        lab.setMinimumWidth(170)
        lab.setMaximumWidth(240)
        grid.addWidget(lab, 0, 0, Qt.AlignmentFlag.AlignTop)
        shown = display_value(row.value, row.type, reveal=True) if revealed else row.shown
        self.value_label = _label(shown, "value", corrected=row.corrected is not None)
        self.value_label.setObjectName(f"value:{row.form}.{row.id}")
        grid.addWidget(self.value_label, 0, 1)
        notes: list[str] = []
        if row.autofilled:
            lab.setToolTip(tr("신청인 정보에서 채움"))
        if row.corrected is not None:
            before = display_value(row.corrected.before, row.type)
            notes.append(tr("담당자 수정") + f" ({tr('수정 전')}: {before})")
        if notes:
            grid.addWidget(_label(" · ".join(notes), "muted"), 1, 1)
        line = 2
        for f in row.findings:
            icon = tr("오류") if f.severity == "error" else tr("경고")
            msg = _label(f"{icon} · {pick(f.message_ko, f.message_en)}", severity=f.severity)
            msg.setObjectName(f"finding:{row.form}.{row.id}")
            grid.addWidget(msg, line, 1)
            line += 1
        # No button per row (30 buttons cost more to draw than the rest of the form):
        # the row takes focus with Tab; Enter, F2 or a double click opens the correction.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolTip(tr("Enter / F2 / 더블클릭: 이 항목 수정 (수정 내역이 기록됩니다)"))
        self.setAccessibleName(f"{label}: {shown}")
        grid.setColumnStretch(1, 1)


    def _edit(self) -> None:
        emit(self.edit_requested, self.row)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self._edit()
            return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self._edit()


def person_block(title: str, person: Person, revealed: str | None) -> QFrame:
    card = _Panel(theme.WHITE, None, theme.BORDER)
    card.setObjectName("card")
    grid = QGridLayout(card)
    grid.setContentsMargins(14, 10, 14, 10)
    grid.addWidget(_label(title, "h2"), 0, 0, 1, 4)
    items: list[tuple[str, Any, str]] = [
        (tr("성명"), person.name, "text"),
        (tr("주민등록번호"), person.rrn, "rrn"),
        (tr("생년월일"), person.birth, "date"),
        (tr("전화번호"), person.phone, "phone"),
        (tr("주소"), person.address, "address"),
    ]
    if person.relation:
        items.insert(4, (tr("관계"), person.relation, "text"))
    r = c = 0
    for lab, value, ftype in items:
        wide = ftype == "address"  # the address takes a line of its own (at 1024×768 it
        if wide and c:             # was a column of six short lines)
            r, c = r + 1, 0
        grid.addWidget(_label(lab, "label"), 1 + r, c)
        shown = display_value(value, ftype, reveal=bool(revealed) and ftype == "rrn")
        val = _label(shown, "value")
        if ftype == "rrn":
            val.setObjectName(f"rrn:{title}")
        grid.addWidget(val, 1 + r, c + 1, 1, 3 if wide else 1)
        r, c = (r + 1, 0) if wide or c else (r, 2)
    grid.setColumnStretch(1, 1)
    grid.setColumnStretch(3, 1)
    return card


class PetitionWidget(QScrollArea):
    """Scrollable view of the current petition.

    Signals:
        edit_requested(object): a :class:`FieldRow` the clerk wants to correct.
        poa_requested(): the clerk wants to see / print the power of attorney.
    """

    edit_requested = Signal(object)
    poa_requested = Signal()

    def go_to_fields(self) -> bool:
        """F4: the keyboard to the petition's fields: the first with a finding, else the first
        (then Tab walks them, Enter or F2 corrects one)."""
        if not self.rows:
            return False
        target = next((r for r in self.rows if r.row.findings), self.rows[0])
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.ensureWidgetVisible(target)
        return True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.rows: list[FieldRowWidget] = []
        self.view: PetitionView | None = None
        self.set_view(None)

    def set_view(self, view: PetitionView | None, revealed: dict[str, str] | None = None) -> None:
        self.view = view
        revealed = revealed or {}
        body = QWidget()
        body.setObjectName("petition")
        body.setAutoFillBackground(True)
        body.setPalette(theme.palette_for())
        lay = QVBoxLayout(body)
        lay.setContentsMargins(24, 16, 24, 24)
        lay.setSpacing(6)
        self.rows = []
        if view is None:
            empty = _label(
                tr("민원인의 QR 코드를 스캔하세요.") + "\n" + tr("종이 신청서는 Ctrl+N 으로 입력합니다."),
                "h2",
            )
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            empty.setObjectName("empty-hint")
            keys = _label(tr("Ctrl+Enter 접수 · Ctrl+R 반려 · Ctrl+Del 보류 · F9 도장 · F7 실물화상기 · "
                             "F8 누르고 있는 동안 주민등록번호 보기 · Enter/F2 항목 수정 · Ctrl+P 접수증 인쇄"),
                          "muted")
            keys.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lay.addStretch(1)
            lay.addWidget(empty)
            lay.addWidget(keys)
            lay.addStretch(2)
            self._install(body)
            return
        head = QHBoxLayout()
        title = _label(" · ".join(pick(f.title_ko, f.title_en) for f in view.forms), "h1")
        title.setObjectName("petition-title")
        head.addWidget(title, 1)
        origin = tr("QR 접수") if view.origin is Origin.QR else tr("종이 신청서")
        head.addWidget(_label(origin, "muted"))
        lay.addLayout(head)
        # One card per person, full width: two narrow cards side by side wrap addresses badly.
        lay.addWidget(person_block(tr("신청인 (위임인)") if view.delegate else tr("신청인"),
                                   view.applicant, revealed.get("applicant")))
        if view.delegate is not None:
            lay.addWidget(person_block(tr("대리인 (수임인)"), view.delegate,
                                       revealed.get("delegate")))
        if view.delegate is not None:
            poa = QPushButton(tr("위임장 보기 / 인쇄"))
            theme.style_sheet_on(poa)
            poa.setObjectName("poa-button")
            poa.clicked.connect(self.poa_requested)
            row = QHBoxLayout()
            row.addWidget(poa)
            row.addStretch(1)
            lay.addLayout(row)
        if view.findings:
            lay.addWidget(self._findings_box(view))
        for form in view.forms:
            self._add_form(lay, form, revealed)
        lay.addStretch(1)
        self._install(body)

    def _findings_box(self, view: PetitionView) -> QFrame:
        """Every finding at the top, errors first, so nothing below the fold is missed."""
        kind = "error" if view.errors else "warning"
        box = _Panel(theme.SEVERITY_BACKGROUND[kind], None, theme.SEVERITY_BORDER[kind])
        box.setObjectName("findings")
        box.setProperty("kind", kind)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(14, 8, 14, 8)
        lay.setSpacing(2)
        head = tr("오류 {e}건 · 경고 {w}건").replace("{e}", str(len(view.errors)))
        lay.addWidget(_label(head.replace("{w}", str(len(view.warnings))), "h2"))
        for f in [*view.errors, *view.warnings]:
            icon = tr("오류") if f.severity == "error" else tr("경고")
            lab = _label(f"{icon} · {pick(f.message_ko, f.message_en)}", severity=f.severity)
            lab.setObjectName("finding-summary")
            lay.addWidget(lab)
        return box

    def _install(self, body: QWidget) -> None:
        # The old body is deleted later, not at once: this may run inside a slot of one
        # of its own buttons (the clerk's correction), and PySide must not free it mid-call.
        old = self.takeWidget()
        self.setWidget(body)
        if old is not None:
            old.hide()
            old.deleteLater()

    def _add_form(self, lay: QVBoxLayout, form: FormView, revealed: dict[str, str]) -> None:
        if len(self.view.forms if self.view else []) > 1:
            lay.addWidget(_label(f"{pick(form.title_ko, form.title_en)} ({form.code})", "h2"))
        for sec in form.sections:
            lay.addWidget(_label(pick(sec.title_ko, sec.title_en), "section"))
            for row in sec.rows:
                key = f"{row.form}.{row.id}"
                source_reveal = None
                if row.is_rrn and revealed:
                    source_reveal = revealed.get(key) or (
                        revealed.get("applicant") if row.autofilled else None
                    )
                w = FieldRowWidget(row, source_reveal)
                w.edit_requested.connect(self.edit_requested)
                self.rows.append(w)
                lay.addWidget(w)

    def shown_text(self) -> str:
        """Every label's text (tests and screen readers look at this)."""
        body = self.widget()
        return "\n".join(lab.text() for lab in body.findChildren(QLabel)) if body else ""
