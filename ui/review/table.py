"""The day's cases as a table model: the columns, their texts and colours (the list pages
from the database through :class:`ui.review.listmodel.PagedCaseModel`; filters are SQL)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from counter_app.review import STATUS_EN, STATUS_KO
from records.views import KST, CaseRow
from ui.widgets import theme
from ui.widgets.i18n import pick, tr

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TITLE_COLUMN, STATUS_COLUMN = 2, 7
Index = QModelIndex | QPersistentModelIndex

STATUS_COLOURS = {"returned": theme.ERROR, "completed": theme.SUCCESS, "received": theme.PRIMARY_DARK}


def status_name(status: str) -> str:
    return pick(STATUS_KO.get(status, status), STATUS_EN.get(status, status))


class CaseTableModel(QAbstractTableModel):
    """One row per case of the day; column texts come from ``title_of`` for the form."""

    def __init__(self, title_of: Callable[[CaseRow], str]) -> None:
        super().__init__()
        self.rows: list[CaseRow] = []
        self._titles: dict[str, str] = {}  # by form_codes: a day has few distinct forms
        self.title_of = title_of
        self.headers = [tr("접수번호"), tr("접수 시각"), tr("서식"), tr("민원인"),
                        tr("주민등록번호"), tr("대리"), tr("담당자 (창구)"), tr("상태")]

    def row_of(self, case_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == case_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def cell(self, r: CaseRow, column: int) -> str:
        return self.cells(r)[column]

    def cells(self, r: CaseRow) -> list[str]:
        return [
            r.case_number,
            r.received_at.astimezone(KST).strftime("%H:%M"),
            self.title(r),
            r.applicant_name,
            r.applicant_rrn_masked or "",
            tr("예") if r.delegate_name else tr("아니요"),
            f"{r.clerk} ({r.counter})",
            status_name(r.status),
        ]

    def title(self, r: CaseRow) -> str:
        found = self._titles.get(r.form_codes)
        if found is None:
            found = self._titles[r.form_codes] = self.title_of(r)
        return found

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        return self.row_data(self.rows[index.row()], index, role)

    def row_data(self, r: CaseRow, index: Index, role: int) -> Any:
        """What ``data`` answers for one case's cell (shared with the paged model)."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(r, index.column())
        if role == CASE_ID_ROLE:
            return r.id
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == STATUS_COLUMN:
            return QColor(STATUS_COLOURS.get(r.status, theme.TEXT))
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 1:
                return r.received_at.astimezone(KST).strftime("%Y-%m-%d %H:%M:%S KST")
            if index.column() == 5 and r.delegate_name:
                return f"{tr('대리인')}: {r.delegate_name}"
            return self.cell(r, index.column())
        return None


class CaseTable(QTableView):
    """The day's cases, one row per case, for the keyboard as for the mouse.

    ↑/↓ (PgUp/PgDn, Home/End) move from case to case, a row at a time; Tab
    leaves the table for the case shown beside it (a table's default is to
    walk cell by cell, which opened, and audited, every case on the way);
    Enter takes the keyboard into the open case.

    Signals:
        enter_case(): Enter/Return on a row: go into the case shown.
    """

    enter_case = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabKeyNavigation(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.enter_case.emit()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            event.ignore()  # a row is one case: ←/→ would only move an invisible cell cursor
            return
        super().keyPressEvent(event)

