"""The queue of scans at the left of the counter window: what came in, what became of it.

Enter (or a double click) opens a waiting petition; Delete takes a waiting or
refused line off the queue (the citizen left). The lines are drawn from
:attr:`ui.counter.session.PetitionSession.queue`: the petition on screen first
(it never scrolls away), then the waiting ones in the order they come up,
then the rest, newest first; the heading counts the waiting ones.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from records.views import KST
from ui.counter.session import LineState, PetitionSession
from ui.widgets import heading
from ui.widgets.i18n import tr

STATUS_TEXT = {
    LineState.CHECKING: "확인 중", LineState.PARTS: "조각 스캔 중", LineState.WAITING: "대기",
    LineState.CURRENT: "처리 중", LineState.REJECTED: "거부", LineState.ACCEPTED: "접수 완료",
    LineState.RETURNED: "반려",
}
SHOWN = 200  # lines drawn; older ones stay in the session


class QueuePanel(QWidget):
    """The sidebar: the queue list and the paper-petition button."""

    def __init__(self, session: PetitionSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("sidebar")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 10, 10, 10)
        self.title = heading(tr("스캔 대기열"))
        lay.addWidget(self.title)
        self.list = QListWidget()
        self.list.setObjectName("queue")
        self.list.itemActivated.connect(self._activated)
        forget = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.list)
        forget.setContext(Qt.ShortcutContext.WidgetShortcut)
        forget.activated.connect(self._forget)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        lay.addWidget(self.list, 1)
        self.paper_button = QPushButton(tr("종이 신청서 입력 (Ctrl+N)"))
        lay.addWidget(self.paper_button)
        self.buttons = lay  # more buttons (e.g. the review window) go below

    def redraw(self) -> None:
        self.list.clear()
        queue = self.session.queue
        first = max(0, len(queue) - SHOWN)
        order = {LineState.CURRENT: 0, LineState.WAITING: 1, LineState.PARTS: 2, LineState.CHECKING: 2}
        indexes = sorted(range(first, len(queue)), key=lambda i: (
            order.get(queue[i].status, 3), i if queue[i].status is LineState.WAITING else -i))
        waiting = sum(1 for q in queue if q.status is LineState.WAITING)
        self.title.setText(tr("스캔 대기열") + (f" — {tr('대기')} {waiting}" if waiting else ""))
        for index in indexes:
            item = queue[index]
            when = dt.datetime.fromtimestamp(item.time, KST).strftime("%H:%M:%S")  # as receipts
            status = tr(STATUS_TEXT.get(item.status, str(item.status)))
            li = QListWidgetItem(f"{when}  {status}\n{item.summary}")
            li.setToolTip(item.summary)
            li.setData(Qt.ItemDataRole.UserRole, index)
            if item.status is LineState.REJECTED:
                li.setForeground(Qt.GlobalColor.darkRed)
            if item.status is LineState.CURRENT:
                font = li.font()
                font.setBold(True)
                li.setFont(font)
            self.list.addItem(li)
        self.list.scrollToTop()

    def _forget(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.session.forget(int(item.data(Qt.ItemDataRole.UserRole)))

    def _activated(self, item: QListWidgetItem) -> None:
        self.session.take_from_queue(int(item.data(Qt.ItemDataRole.UserRole)))
