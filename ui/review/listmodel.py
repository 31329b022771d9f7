"""The supervisor's list as a model that pages from the database.

A day of an office server holds thousands of cases; the model knows only
how many the list has (``total``) and keeps the pages of :data:`PAGE_SIZE`
rows read so far. A row not yet read shows "…" and asks for its page
through ``fetch`` (the window runs it on its worker); the page arrives in
:meth:`PagedCaseModel.add_page` and the rows redraw. Pages of an older
query (the supervisor changed a filter meanwhile) are dropped.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from counter_app.review import PAGE_SIZE, DayData
from records.caselist import CaseQuery
from records.views import CaseRow
from ui.review.table import CaseTableModel

Index = QModelIndex | QPersistentModelIndex
MAX_PAGES = 60  # pages kept (12,000 rows); the farthest from the last one asked is dropped
PLACEHOLDER = "…"


class PagedCaseModel(CaseTableModel):
    """Rows come a page at a time; ``fetch(query, offset)`` asks for one (answered by ``add_page``)."""

    def __init__(self, title_of: Callable[[CaseRow], str],
                 fetch: Callable[[CaseQuery, int], None]) -> None:
        super().__init__(title_of)
        self.fetch = fetch
        self.query: CaseQuery | None = None
        self.total = 0
        self.pages: OrderedDict[int, list[CaseRow]] = OrderedDict()
        self.asked: set[int] = set()
        self._cells: dict[int, list[str]] = {}  # by case id: a drawn row asks each cell many times

    def reset(self, data: DayData) -> None:
        self.beginResetModel()
        self.query = data.query
        self.total = data.shown
        self.pages.clear()
        self.asked.clear()
        self._cells.clear()
        self.pages[0] = list(data.rows)
        if data.keep_rows and data.position >= 0:
            self.pages[data.position // PAGE_SIZE] = list(data.keep_rows)
        self.rows = []  # the plain model's list is not used: pages are
        self.endResetModel()

    def add_page(self, query: CaseQuery, number: int, rows: list[CaseRow]) -> None:
        if query != self.query:
            return
        self.asked.discard(number)
        self.pages[number] = rows
        self.pages.move_to_end(number)
        while len(self.pages) > MAX_PAGES:
            self.pages.popitem(last=False)
        first = number * PAGE_SIZE
        last = min(first + PAGE_SIZE, self.total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))

    def page_failed(self, number: int) -> None:
        self.asked.discard(number)  # asked again when the row is drawn again

    def case_at(self, row: int) -> CaseRow | None:
        """The case of a row if its page is here; asks for the page otherwise."""
        if not 0 <= row < self.total or self.query is None:
            return None
        number, at = divmod(row, PAGE_SIZE)
        page = self.pages.get(number)
        if page is None:
            if number not in self.asked:
                self.asked.add(number)
                self.fetch(self.query, number * PAGE_SIZE)
            return None
        return page[at] if at < len(page) else None

    def cell(self, r: CaseRow, column: int) -> str:
        found = self._cells.get(r.id)
        if found is None:
            if len(self._cells) > MAX_PAGES * PAGE_SIZE:
                self._cells.clear()
            found = self._cells[r.id] = self.cells(r)
        return found[column]

    def row_of(self, case_id: int) -> int:
        for number, page in self.pages.items():
            for at, r in enumerate(page):
                if r.id == case_id:
                    return number * PAGE_SIZE + at
        return -1

    def loaded_rows(self) -> list[CaseRow]:
        """The rows read so far, in list order (tests and the screenshots look at these)."""
        return [r for n in sorted(self.pages) for r in self.pages[n]]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.total

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.case_at(index.row())
        if r is None:
            return PLACEHOLDER if role == Qt.ItemDataRole.DisplayRole and index.column() == 0 else None
        return self.row_data(r, index, role)
