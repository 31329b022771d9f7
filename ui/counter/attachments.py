"""The attachments pane: the form's checklist of supporting documents, the
scanned pages as thumbnails, the seal image, and a page viewer.

Images are decoded and scaled on a worker thread (:class:`ImageLoader`);
the GUI thread only turns the finished QImage into a pixmap.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap, QTransform
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from counter_app.viewmodel import AttachmentItem, PetitionView
from ui.counter.draft import Page
from ui.widgets import heading, theme
from ui.widgets.i18n import pick, tr
from ui.widgets.qtcompat import emit
from ui.widgets.workers import TaskRunner

THUMB = QSize(120, 160)


def _load(path: str, rotation: int, size: int) -> QImage:
    """Decode (and turn, and scale) one image; on a worker thread. QImage is thread-safe."""
    img = QImage(path)
    if not img.isNull():
        if rotation:
            img = img.transformed(QTransform().rotate(rotation))
        if size:
            img = img.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    return img


def thumbnail_list(object_name: str, icon_size: QSize = THUMB) -> QListWidget:
    """A strip of page thumbnails: icons in rows that reflow, not draggable."""
    thumbs = QListWidget()
    thumbs.setObjectName(object_name)
    thumbs.setViewMode(QListWidget.ViewMode.IconMode)
    thumbs.setIconSize(icon_size)
    thumbs.setResizeMode(QListWidget.ResizeMode.Adjust)
    thumbs.setMovement(QListWidget.Movement.Static)
    thumbs.setSpacing(6)
    return thumbs


class ImageLoader(QObject):
    """Decodes images off the GUI thread, with a small cache.

    Signals:
        loaded(str, int, int, QImage): path, rotation, size (0 = full), image (null if unreadable).
    """

    loaded = Signal(str, int, int, QImage)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = TaskRunner(self, name="image loader", threads=2)
        self.cache: dict[tuple[str, int, int], QImage] = {}
        self._asked: set[tuple[str, int, int]] = set()

    def request(self, path: str, rotation: int = 0, size: int = 0) -> QImage | None:
        key = (path, rotation, size)
        if key in self.cache:
            return self.cache[key]
        if key not in self._asked:
            self._asked.add(key)
            self.runner.submit(lambda: _load(path, rotation, size),
                               lambda img: self._done(key, img),
                               lambda exc: self._asked.discard(key))
        return None

    def _done(self, key: tuple[str, int, int], img: QImage) -> None:
        self._asked.discard(key)
        path, rotation, size = key
        if size:
            if len(self.cache) > 200:
                self.cache.clear()
            self.cache[key] = img
        emit(self.loaded, path, rotation, size, img)

    def shutdown(self) -> None:
        self.runner.shutdown()


class AttachmentsPane(QWidget):
    """Checklist, thumbnails, seal.

    Signals:
        assign(int, object): page index, attachment name (or None).
        open_page(int): show a page in the viewer.
        capture_seal(): the clerk pressed the seal key.
        import_files(): add page files by hand.
        capture_document(): take a page with the document camera (F7).
    """

    assign = Signal(int, object)
    open_page = Signal(int)
    capture_seal = Signal()
    import_files = Signal()
    capture_document = Signal()

    def __init__(self, loader: ImageLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachments")
        self.loader = loader
        loader.loaded.connect(self._image_loaded)
        self.pages: list[Page] = []
        self.items: list[AttachmentItem] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 12)
        lay.addWidget(heading(tr("구비서류")))
        self.checklist = QListWidget()
        self.checklist.setObjectName("checklist")
        self.checklist.setMaximumHeight(180)
        self.checklist.setWordWrap(True)
        self.checklist.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lay.addWidget(self.checklist)
        row = QHBoxLayout()
        row.addWidget(heading(tr("스캔한 쪽")), 1)
        lay.addLayout(row)
        # The two ways in by hand on a row of their own: the pane is too narrow for both
        # buttons beside the title.
        buttons = QHBoxLayout()
        add = QPushButton(tr("파일 추가"))
        add.clicked.connect(self.import_files)
        buttons.addWidget(add, 1)
        camera = QPushButton(tr("실물화상기 (F7)"))
        camera.setObjectName("document-camera-button")
        camera.setToolTip(tr("실물화상기에 놓인 서류 한 장을 찍어 이 민원에 붙입니다"))
        camera.clicked.connect(self.capture_document)
        buttons.addWidget(camera, 1)
        lay.addLayout(buttons)
        self.thumbs = thumbnail_list("thumbnails")
        self.thumbs.itemActivated.connect(lambda it: emit(self.open_page, self.thumbs.row(it)))
        self.thumbs.currentRowChanged.connect(self._current_changed)
        lay.addWidget(self.thumbs, 1)
        assign_row = QHBoxLayout()
        assign_row.addWidget(QLabel(tr("선택한 쪽:")))
        self.assign_box = QComboBox()
        self.assign_box.setObjectName("assign")
        self.assign_box.activated.connect(self._assign_chosen)
        assign_row.addWidget(self.assign_box, 1)
        lay.addLayout(assign_row)
        lay.addWidget(heading(tr("서명 또는 인")))
        seal_row = QHBoxLayout()
        self.seal = QLabel(tr("(도장 없음)"))
        self.seal.setObjectName("seal")
        self.seal.setFixedSize(120, 120)
        self.seal.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.seal.setStyleSheet("border: 1px dashed #b1b8be; border-radius: 8px; background: white;")
        seal_row.addWidget(self.seal)
        seal_btn = QPushButton(tr("도장 찍기 (F9)"))
        seal_btn.setObjectName("seal-button")
        seal_btn.clicked.connect(self.capture_seal)
        seal_row.addWidget(seal_btn, 1)
        lay.addLayout(seal_row)
        self._seal_path: str | None = None

    def set_state(self, view: PetitionView | None, pages: list[Page], seal: str | None) -> None:
        self.items = [a for f in view.forms for a in f.attachments] if view else []
        self.checklist.clear()
        for a in self.items:
            mark = "☑" if a.done else "☐"
            need = tr("필수") if a.required else tr("해당 시")
            text = f"{mark} {pick(a.name_ko, a.name_en)}  ({need}"
            text += f", {a.pages}{tr('쪽')})" if a.pages else ")"
            it = QListWidgetItem(text)
            it.setData(Qt.ItemDataRole.UserRole, a.name_ko)
            if a.condition_ko:
                it.setToolTip(a.condition_ko)
            self.checklist.addItem(it)
        current = self.thumbs.currentRow()
        self.pages = list(pages)
        self.thumbs.clear()
        for i, page in enumerate(self.pages):
            label = f"{i + 1}. " + (page.attachment or tr("미지정"))
            it = QListWidgetItem(label)
            it.setSizeHint(QSize(THUMB.width() + 16, THUMB.height() + 48))
            img = self.loader.request(page.path, page.rotation, THUMB.height())
            if img is not None and not img.isNull():
                it.setIcon(QIcon(QPixmap.fromImage(img)))
            self.thumbs.addItem(it)
        if self.pages:
            self.thumbs.setCurrentRow(min(max(current, 0), len(self.pages) - 1))
        self._fill_assign()
        self._seal_path = seal
        if seal:
            img = self.loader.request(seal, 0, 110)
            if img is not None and not img.isNull():
                self.seal.setPixmap(QPixmap.fromImage(img))
        else:
            self.seal.clear()
            self.seal.setText(tr("(도장 없음)"))

    def _fill_assign(self) -> None:
        self.assign_box.clear()
        self.assign_box.addItem(tr("— 서류 선택 —"), None)
        for a in self.items:
            self.assign_box.addItem(pick(a.name_ko, a.name_en), a.name_ko)
        self._current_changed(self.thumbs.currentRow())

    def _current_changed(self, row: int) -> None:
        if 0 <= row < len(self.pages):
            idx = self.assign_box.findData(self.pages[row].attachment)
            self.assign_box.setCurrentIndex(max(idx, 0))

    def _assign_chosen(self, index: int) -> None:
        row = self.thumbs.currentRow()
        if 0 <= row < len(self.pages):
            emit(self.assign, row, self.assign_box.itemData(index))

    def _image_loaded(self, path: str, rotation: int, size: int, img: QImage) -> None:
        if img.isNull():
            return
        if size == 110 and path == self._seal_path:
            self.seal.setPixmap(QPixmap.fromImage(img))
            return
        for i, page in enumerate(self.pages):
            if page.path == path and page.rotation == rotation and size == THUMB.height():
                item = self.thumbs.item(i)
                if item is not None:
                    item.setIcon(QIcon(QPixmap.fromImage(img)))


class PageViewer(QDialog):
    """One page large: zoom (+/-), rotate (R), previous/next (←/→ or PgUp/PgDn)."""

    def __init__(self, loader: ImageLoader, pages: list[Page], index: int,
                 rotate: Callable[[int], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("서류 보기"))
        theme.style_sheet_on(self)
        self.loader = loader
        self.pages = pages
        self.index = index
        self.zoom = 1.0
        self.rotate_cb = rotate
        self.image: QImage | None = None
        loader.loaded.connect(self._loaded)
        lay = QVBoxLayout(self)
        self.area = QScrollArea()
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.area.setWidget(self.label)
        self.area.setWidgetResizable(True)
        lay.addWidget(self.area, 1)
        bar = QHBoxLayout()
        self.caption = QLabel()
        bar.addWidget(self.caption, 1)
        for text, fn in ((tr("◀ 이전"), self.prev), (tr("다음 ▶"), self.next),
                         (tr("축소 −"), lambda: self.set_zoom(self.zoom / 1.25)),
                         (tr("확대 +"), lambda: self.set_zoom(self.zoom * 1.25)),
                         (tr("회전 ⟳"), self.rotate), (tr("닫기"), self.accept)):
            b = QPushButton(text)
            b.clicked.connect(fn)
            bar.addWidget(b)
        lay.addLayout(bar)
        self.resize(900, 700)
        self.show_page()

    def keyPressEvent(self, event: object) -> None:
        key = event.key()  # type: ignore[attr-defined]
        actions = {
            Qt.Key.Key_Left: self.prev, Qt.Key.Key_PageUp: self.prev,
            Qt.Key.Key_Right: self.next, Qt.Key.Key_PageDown: self.next,
            Qt.Key.Key_Plus: lambda: self.set_zoom(self.zoom * 1.25),
            Qt.Key.Key_Equal: lambda: self.set_zoom(self.zoom * 1.25),
            Qt.Key.Key_Minus: lambda: self.set_zoom(self.zoom / 1.25),
            Qt.Key.Key_R: self.rotate,
        }
        fn = actions.get(key)
        if fn:
            fn()
        else:
            super().keyPressEvent(event)  # type: ignore[arg-type]

    def show_page(self) -> None:
        page = self.pages[self.index]
        self.caption.setText(f"{self.index + 1} / {len(self.pages)} · {page.attachment or tr('미지정')}")
        self.image = self.loader.request(page.path, page.rotation, 0)
        self._render()

    def _loaded(self, path: str, rotation: int, size: int, img: QImage) -> None:
        page = self.pages[self.index]
        if size == 0 and path == page.path and rotation == page.rotation:
            self.image = img
            self._render()

    def _render(self) -> None:
        if self.image is None or self.image.isNull():
            self.label.setText(tr("불러오는 중…"))
            return
        w = int(self.area.viewport().width() * self.zoom)
        self.label.setPixmap(QPixmap.fromImage(self.image).scaledToWidth(
            max(w - 20, 50), Qt.TransformationMode.SmoothTransformation))

    def set_zoom(self, z: float) -> None:
        self.zoom = max(0.25, min(z, 6.0))
        self._render()

    def prev(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.show_page()

    def next(self) -> None:
        if self.index < len(self.pages) - 1:
            self.index += 1
            self.show_page()

    def rotate(self) -> None:
        self.rotate_cb(self.index)
        self.show_page()
