"""A case's scanned pages as thumbnails, its seal image, and the page viewer.

Images are decoded off the GUI thread by the counter window's
:class:`ui.counter.attachments.ImageLoader`; a page opens in its
:class:`ui.counter.attachments.PageViewer` (zoom, rotate, previous/next).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from records.views import AttachmentView
from ui.counter.attachments import ImageLoader, PageViewer, thumbnail_list
from ui.counter.draft import Page
from ui.widgets.i18n import tr
from ui.widgets.qtcompat import emit

THUMB = QSize(110, 150)
SEAL = 110


class MediaPane(QWidget):
    """Thumbnails of the pages and the seal; Enter or a double click opens a page.

    Signals:
        page_opened(int): a page was opened in the viewer (index).
    """

    page_opened = Signal(int)

    def __init__(self, loader: ImageLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loader = loader
        loader.loaded.connect(self._loaded)
        self.pages: list[Page] = []
        self.viewer: PageViewer | None = None
        self._seal_path: str | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        self.pages_title = QLabel(tr("첨부 서류"))
        self.pages_title.setProperty("role", "h2")
        lay.addWidget(self.pages_title)
        self.thumbs = thumbnail_list("review-thumbnails", THUMB)
        self.thumbs.setMinimumHeight(THUMB.height() + 60)
        self.thumbs.itemActivated.connect(lambda it: self.open_page(self.thumbs.row(it)))
        lay.addWidget(self.thumbs, 1)
        self.no_pages = QLabel(tr("첨부된 서류가 없습니다."))
        self.no_pages.setProperty("role", "muted")
        lay.addWidget(self.no_pages)
        seal_title = QLabel(tr("서명 또는 인"))
        seal_title.setProperty("role", "h2")
        lay.addWidget(seal_title)
        row = QHBoxLayout()
        self.seal = QLabel()
        self.seal.setObjectName("review-seal")
        self.seal.setFixedSize(SEAL + 10, SEAL + 10)
        self.seal.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.seal.setStyleSheet("border: 1px dashed #b1b8be; border-radius: 8px; background: white;")
        row.addWidget(self.seal)
        row.addStretch(1)
        lay.addLayout(row)

    def set_attachments(self, attachments: list[AttachmentView]) -> None:
        self.close_viewer()
        pages = [a for a in attachments if a.kind == "page"]
        seal = next((a for a in attachments if a.kind == "seal"), None)
        self.pages = [Page(path=str(a.path), attachment=self._caption(a)) for a in pages]
        self.thumbs.clear()
        for i, (page, a) in enumerate(zip(self.pages, pages, strict=True)):
            it = QListWidgetItem(tr("{n}쪽").format(n=i + 1))
            it.setSizeHint(QSize(THUMB.width() + 16, THUMB.height() + 40))
            it.setToolTip(page.attachment or "")
            if not a.path.exists():
                it.setText(tr("{n}쪽").format(n=i + 1) + " · " + tr("파일 없음"))
            else:
                img = self.loader.request(page.path, 0, THUMB.height())
                if img is not None and not img.isNull():
                    it.setIcon(QIcon(QPixmap.fromImage(img)))
            self.thumbs.addItem(it)
        self.thumbs.setVisible(bool(self.pages))
        self.no_pages.setVisible(not self.pages)
        self.pages_title.setText(f"{tr('첨부 서류')} ({len(self.pages)})")
        self._seal_path = str(seal.path) if seal else None
        self.seal.clear()
        if seal is None:
            self.seal.setText(tr("(도장 없음)"))
        elif not seal.path.exists():
            self.seal.setText(tr("파일 없음"))
        else:
            img = self.loader.request(str(seal.path), 0, SEAL)
            if img is not None and not img.isNull():
                self.seal.setPixmap(QPixmap.fromImage(img))

    @staticmethod
    def _caption(a: AttachmentView) -> str:
        kb = max(1, round(a.size / 1024))
        return f"{a.name or a.sha256[:12]} · {a.media_type} · {kb} KB"

    def _loaded(self, path: str, rotation: int, size: int, img: QImage) -> None:
        if img.isNull():
            return
        if size == SEAL and path == self._seal_path:
            self.seal.setPixmap(QPixmap.fromImage(img))
            return
        if size != THUMB.height():
            return
        for i, page in enumerate(self.pages):
            item = self.thumbs.item(i)
            if page.path == path and item is not None:
                item.setIcon(QIcon(QPixmap.fromImage(img)))

    def open_page(self, index: int) -> None:
        if not 0 <= index < len(self.pages):
            return
        self.close_viewer()

        def rotate(i: int) -> None:  # viewing only: the stored page is never changed
            self.pages[i].rotation = (self.pages[i].rotation + 90) % 360

        self.viewer = PageViewer(self.loader, self.pages, index, rotate, self)
        self.viewer.setWindowTitle(tr("첨부 서류 보기"))
        # The viewer's size is the supervisor's; its layout must not impose one per page.
        layout = self.viewer.layout()
        if layout is not None:
            layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.viewer.setMinimumSize(480, 360)
        self.viewer.show()
        emit(self.page_opened, index)

    def close_viewer(self) -> None:
        if self.viewer is not None:
            self.viewer.close()
            self.viewer.deleteLater()
            self.viewer = None
