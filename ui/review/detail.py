"""One case in the review window: its petition, attachments, corrections,
status history and audit events, and the supervisor's actions on it.

Everything shown is masked; an RRN is shown in full only after the
supervisor asks for it (:attr:`CaseDetailPane.reveal_requested`), which the
window turns into an audited :meth:`records.store.CaseStore.reveal_rrn`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.review import (
    Block,
    CaseBundle,
    ReviewService,
    audit_text,
    field_label,
    form_blocks,
    people_blocks,
)
from records.audit import ACTION_EN, ACTION_KO
from records.views import KST
from ui.counter.attachments import ImageLoader
from ui.review.media import MediaPane
from ui.review.table import STATUS_COLOURS, status_name
from ui.widgets import theme
from ui.widgets.i18n import english, pick, tr
from ui.widgets.qtcompat import emit


def _label(text: str, role: str | None = None) -> QLabel:
    lab = QLabel(text)
    lab.setWordWrap(True)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role:
        lab.setProperty("role", role)
    return lab


def _when(at: object) -> str:
    return at.astimezone(KST).strftime("%m-%d %H:%M:%S") if hasattr(at, "astimezone") else str(at)


def _table(name: str, headers: list[str], rows: list[list[str]]) -> QTableWidget:
    t = QTableWidget(len(rows), len(headers))
    t.setObjectName(name)
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setAlternatingRowColors(True)
    t.setWordWrap(True)
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            t.setItem(r, c, item)
    header = t.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if headers:  # the last column (detail, date) takes what is left; the full text is its tooltip
        header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return t


class CaseDetailPane(QWidget):
    """The selected case.

    Signals:
        reveal_requested(str): "applicant" or "delegate" (the window confirms and audits).
        complete_requested(): mark the case completed.
        return_requested(): return the case (the window asks for the reason).
        leave(): Esc inside the case: back to the list.

    Keyboard: Enter on the list comes here (:meth:`enter`); Tab walks 완료 처리,
    반려, the tabs (←/→ change tab, or Alt+1…Alt+5 from anywhere) and the
    tab's contents, 주민등록번호 보기 included; Esc goes back to the list.
    """

    reveal_requested = Signal(str)
    complete_requested = Signal()
    return_requested = Signal()
    leave = Signal()

    def __init__(self, loader: ImageLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bundle: CaseBundle | None = None
        self.revealed: dict[str, str] = {}
        self.service: ReviewService | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 8, 8, 8)
        head = QHBoxLayout()
        self.number = _label("", "h1")
        self.number.setObjectName("review-case-number")
        head.addWidget(self.number, 1)
        self.status = QLabel()
        self.status.setObjectName("review-status")
        head.addWidget(self.status)
        lay.addLayout(head)
        self.subtitle = _label("", "muted")
        lay.addWidget(self.subtitle)
        self.reason = _label("")
        self.reason.setObjectName("review-reason")
        self.reason.setProperty("severity", "error")
        lay.addWidget(self.reason)
        actions = QHBoxLayout()
        self.complete_btn = QPushButton(tr("완료 처리"))
        self.complete_btn.setObjectName("review-complete")
        self.complete_btn.setProperty("kind", "primary")
        self.complete_btn.setToolTip(tr("처리를 마친 민원으로 표시합니다 (Ctrl+D)"))
        self.complete_btn.clicked.connect(self.complete_requested)
        self.return_btn = QPushButton(tr("반려…"))
        self.return_btn.setObjectName("review-return")
        self.return_btn.setProperty("kind", "danger")
        self.return_btn.setToolTip(tr("사유를 적어 민원을 반려합니다 (Ctrl+R)"))
        self.return_btn.clicked.connect(self.return_requested)
        actions.addWidget(self.complete_btn)
        actions.addWidget(self.return_btn)
        actions.addStretch(1)
        lay.addLayout(actions)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("review-tabs")
        self.fields = QScrollArea()
        self.fields.setWidgetResizable(True)
        self.fields.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.media = MediaPane(loader)
        self.corrections = _table("review-corrections", [], [])
        self.history = _table("review-history", [], [])
        self.audit = _table("review-audit", [], [])
        self.tabs.addTab(self.fields, tr("신청 내용"))
        self.tabs.addTab(self.media, tr("첨부·도장"))
        self.tabs.addTab(self.corrections, tr("수정 내역"))
        self.tabs.addTab(self.history, tr("상태 이력"))
        self.tabs.addTab(self.audit, tr("감사 기록"))
        # The tab bar is a Tab stop (←/→ switch tabs), on every platform style.
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.tabs.setToolTip(tr("Alt+1 … Alt+5: 탭 바꾸기"))
        lay.addWidget(self.tabs, 1)
        for n in range(self.tabs.count()):
            sc = QShortcut(QKeySequence(f"Alt+{n + 1}"), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(lambda n=n: self._go_to_tab(n))
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.leave)

    def enter(self) -> None:
        """Keyboard focus into the case: its first action, or the tabs when it is closed."""
        if self.bundle is None:
            return
        for w in (self.complete_btn, self.return_btn):
            if w.isEnabled() and w.isVisible():
                w.setFocus(Qt.FocusReason.TabFocusReason)
                return
        self.tabs.tabBar().setFocus(Qt.FocusReason.TabFocusReason)

    def _go_to_tab(self, index: int) -> None:
        if self.bundle is None or not self.isVisible():
            return
        self.tabs.setCurrentIndex(index)
        page = self.tabs.currentWidget()
        target = self.reveal_buttons()[0] if index == 0 and self.reveal_buttons() else page
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def reveal_buttons(self) -> list[QPushButton]:
        body = self.fields.widget()
        if body is None:
            return []
        return [b for b in body.findChildren(QPushButton) if b.objectName().startswith("reveal:")]

    # -- filling ------------------------------------------------------------------

    def show_case(self, bundle: CaseBundle, service: ReviewService, *, keep_reveal: bool = False) -> None:
        same = self.bundle is not None and self.bundle.detail.row.id == bundle.detail.row.id
        if not (same and keep_reveal):
            self.revealed = {}
        self.bundle, self.service = bundle, service
        d, r = bundle.detail, bundle.detail.row
        self.number.setText(r.case_number)
        self.status.setText(status_name(r.status))
        colour = STATUS_COLOURS.get(r.status, theme.TEXT)
        self.status.setStyleSheet(f"color: {colour}; border: 2px solid {colour}; border-radius: 14px;"
                                  " padding: 2px 14px; font-weight: 700;")
        source = tr("QR 접수") if r.source == "qr" else tr("종이 신청서")
        self.subtitle.setText(" · ".join([
            service.form_title(r, english=english()),
            r.received_at.astimezone(KST).strftime("%Y-%m-%d %H:%M"),
            f"{tr('담당자')} {r.clerk} ({r.counter})", source,
        ]))
        if d.status_reason:
            self.reason.setText(f"{tr('반려 사유')}: {d.status_reason}")
        self.reason.setVisible(bool(d.status_reason))
        open_case = r.status == "received"
        self.complete_btn.setEnabled(open_case)
        self.return_btn.setEnabled(open_case)
        self._fill_fields()
        self.media.set_attachments(d.attachments)
        self._fill_tables()

    def hide_revealed(self) -> None:
        if self.revealed:
            self.revealed = {}
            self._fill_fields()

    def set_revealed(self, person: str, rrn: str | None) -> None:
        if rrn:
            self.revealed[person] = rrn
        self._fill_fields()

    def _fill_fields(self) -> None:
        assert self.bundle is not None and self.service is not None
        body = QWidget()
        body.setObjectName("review-fields")
        lay = QVBoxLayout(body)
        lay.setContentsMargins(4, 4, 12, 12)
        blocks = people_blocks(self.bundle.detail) + form_blocks(self.bundle.detail,
                                                                self.service.catalogue)
        for block in blocks:
            lay.addWidget(self._block(block))
        lay.addStretch(1)
        old = self.fields.takeWidget()
        focus = QApplication.focusWidget()
        had_focus = old is not None and focus is not None and old.isAncestorOf(focus)
        self.fields.setWidget(body)
        # New widgets join the end of the window's Tab chain: put the reveal buttons
        # right after the tab bar and the fields, where the eye finds them.
        prev: QWidget = self.fields
        for btn in self.reveal_buttons():
            QWidget.setTabOrder(prev, btn)
            prev = btn
        if old is not None:  # may run inside a slot of one of its buttons: delete later
            old.hide()
            old.deleteLater()
        if had_focus:  # 가리기/보기 pressed by keyboard: stay on the (new) button
            buttons = self.reveal_buttons()
            (buttons[0] if buttons else self.fields).setFocus(Qt.FocusReason.OtherFocusReason)

    def _block(self, block: Block) -> QFrame:
        card = QFrame()
        card.setObjectName("card")
        grid = QGridLayout(card)
        grid.setContentsMargins(14, 8, 14, 10)
        grid.setVerticalSpacing(4)
        grid.addWidget(_label(pick(block.title_ko, block.title_en), "section"), 0, 0, 1, 2)
        for i, line in enumerate(block.lines, start=1):
            lab = _label(pick(line.label_ko, line.label_en), "label")
            lab.setMinimumWidth(130)
            lab.setMaximumWidth(200)
            # a line with a reveal button is taller: centre its label like its value
            top = Qt.AlignmentFlag.AlignVCenter if line.rrn_of else Qt.AlignmentFlag.AlignTop
            grid.addWidget(lab, i, 0, top)
            shown = line.value
            full = self.revealed.get(line.rrn_of or "")
            if full:
                shown = f"{full[:6]}-{full[6:]}" if "-" not in full else full
            value = _label(shown, "value")
            if not line.rrn_of:
                grid.addWidget(value, i, 1)
                continue
            # The reveal button sits right after the number, so other values keep the full width.
            value.setObjectName(f"rrn:{line.rrn_of}")
            value.setWordWrap(False)
            btn = QPushButton(tr("가리기") if full else tr("주민등록번호 보기"))
            btn.setObjectName(f"reveal:{line.rrn_of}")
            btn.setToolTip(tr("전체 번호를 봅니다. 열람은 감사 기록에 남습니다."))
            who = line.rrn_of
            btn.clicked.connect(lambda _=False, p=who, on=bool(full): self._toggle(p, on))
            cell = QHBoxLayout()
            cell.setSpacing(12)
            cell.addWidget(value)
            cell.addWidget(btn)
            cell.addStretch(1)
            grid.addLayout(cell, i, 1)
        grid.setColumnStretch(1, 1)
        return card

    def _toggle(self, person: str, shown: bool) -> None:
        if shown:
            self.revealed.pop(person, None)
            self._fill_fields()
        else:
            emit(self.reveal_requested, person)

    def _fill_tables(self) -> None:
        assert self.bundle is not None and self.service is not None
        d = self.bundle.detail
        in_english = english()
        catalogue = self.service.catalogue

        def label_of(path: str) -> str:
            return field_label(d, catalogue, path, in_english)

        corr = [[label_of(c.field), c.before or "—", c.after or "—", c.clerk, _when(c.at)]
                for c in d.corrections]
        hist = [[_when(h.at), status_name(h.status), h.reason or "", h.clerk, h.counter]
                for h in d.history]
        events = [[str(e.seq), _when(e.at), pick(ACTION_KO.get(e.action, e.action),
                                                 ACTION_EN.get(e.action, e.action)),
                   e.actor, e.counter, audit_text(e, in_english, label_of)] for e in self.bundle.audit]
        specs = [
            (2, "review-corrections", [tr("항목"), tr("수정 전"), tr("수정 후"), tr("담당자"), tr("일시")],
             corr, tr("수정 내역")),
            (3, "review-history", [tr("일시"), tr("상태"), tr("사유"), tr("담당자"), tr("창구")],
             hist, tr("상태 이력")),
            (4, "review-audit", [tr("번호"), tr("일시"), tr("작업"), tr("담당자"), tr("창구"), tr("내용")],
             events, tr("감사 기록")),
        ]
        current = self.tabs.currentIndex()
        for index, name, headers, rows, title in specs:
            table = _table(name, headers, rows)
            old = self.tabs.widget(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, table, f"{title} ({len(rows)})")
            setattr(self, {"review-corrections": "corrections", "review-history": "history",
                           "review-audit": "audit"}[name], table)
            if old is not None:
                old.deleteLater()
        self.tabs.setCurrentIndex(current)

