"""Document intake: supporting documents (구비서류) as normalised page images.

Three ways in, one result (a list of :class:`Page`):

* :class:`FolderWatcher`: a flatbed or feeder scanner's own software saves
  JPEG, PNG, TIFF or PDF files into a folder. A polling thread (portable, and
  network shares send no change events) takes a file only once it is
  completely written: its size and time stay the same over two polls and it
  opens. Multi-page TIFF and PDF files are split into pages.
* :func:`import_files`: files the clerk picks.
* :func:`capture_document`: a document camera (실물화상기); the page is found
  in the frame and its perspective corrected (see :mod:`drivers.pages`).

Pages are normalised (EXIF orientation applied, at most ``MAX_SIDE`` pixels)
and the original is kept: the file is left where it is and named in
``Page.original``; a camera page carries the whole frame in
``original_image``.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from decoding.limits import IMAGE_BYTES, IMAGE_PIXELS, read_bounded
from decoding.qrimage import ImageReadError, check_pixels
from drivers.base import Connection, DeviceState, State
from drivers.errors import DriverError
from drivers.files import unused_path

log = logging.getLogger(__name__)

SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".pdf"}
MAX_SIDE = 3508  # A4 at 300 dpi: enough to read, small enough to store
PDF_DPI = 200
GIVE_UP = 30.0  # seconds a stable file may fail to open before it is reported as broken


class DocumentError(DriverError):
    """A document that cannot be taken; the message names the file."""


@dataclass(frozen=True)
class Page:
    """One normalised page image."""

    image: bytes  # PNG or JPEG
    format: Literal["png", "jpeg"]
    index: int  # 0-based page number within the original
    page_count: int
    width: int
    height: int
    original: Path | None = None  # the file it came from, left in place
    original_image: bytes | None = field(default=None, repr=False)  # a camera's full frame
    source: str = ""
    path: Path | None = None  # where the page image was saved, once it is (save_page)

    @property
    def suffix(self) -> str:
        return ".jpg" if self.format == "jpeg" else ".png"


def save_page(page: Page, folder: Path) -> Page:
    """Write the page image into ``folder`` under a name that is not taken; the page with
    its ``path`` set."""
    stem = page.original.stem if page.original else time.strftime("camera-%Y%m%d-%H%M%S")
    path = unused_path(folder, f"{stem}-p{page.index + 1}", page.suffix)
    path.write_bytes(page.image)
    return replace(page, path=path)


def normalise(image: Any, max_side: int = MAX_SIDE) -> Any:
    """EXIF orientation applied, a mode that PNG/JPEG keep, at most ``max_side`` pixels."""
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(image) or image
    if image.mode not in ("RGB", "L"):
        if image.mode in ("1", "I;16", "I", "F"):
            image = image.convert("L")
        else:
            # transparent areas of a PNG become white paper, not black
            rgba = image.convert("RGBA")
            paper = Image.new("RGB", rgba.size, (255, 255, 255))
            paper.paste(rgba, mask=rgba.getchannel("A"))
            image = paper
    if max(image.size) > max_side:
        image = image.copy()
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return image


def encode(image: Any, fmt: Literal["png", "jpeg"]) -> bytes:
    out = io.BytesIO()
    if fmt == "jpeg":
        image.save(out, "JPEG", quality=90, optimize=True)
    else:
        image.save(out, "PNG", optimize=False)
    return out.getvalue()


def _page(image: Any, fmt: Literal["png", "jpeg"], index: int, count: int, path: Path) -> Page:
    image = normalise(image)
    return Page(encode(image, fmt), fmt, index, count, image.size[0], image.size[1], path,
                source=str(path))


def load_pages(path: Path | str) -> list[Page]:
    """Every page of a JPEG, PNG, TIFF or PDF file; :class:`DocumentError` if it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentError(
            f"지원하지 않는 파일 형식입니다: {path.name} (JPEG, PNG, TIFF, PDF 만 가능)",
            f"unsupported file type: {path.name} (JPEG, PNG, TIFF or PDF only)",
        )
    try:
        if suffix == ".pdf":
            return _pdf_pages(path)
        return _image_pages(path, suffix)
    except DocumentError:
        raise
    except Exception as exc:  # Pillow's plugins raise many kinds on a damaged or partial file
        raise DocumentError(
            f"문서 파일을 열 수 없습니다: {path.name}", f"cannot open the document {path.name}: {exc}"
        ) from exc


def _image_pages(path: Path, suffix: str) -> list[Page]:
    from PIL import Image

    fmt: Literal["png", "jpeg"] = "jpeg" if suffix in (".jpg", ".jpeg") else "png"
    raw = read_bounded(path, IMAGE_BYTES)
    try:
        check_pixels(raw, path.name)  # the first frame's declared size, before decoding it
    except ImageReadError as exc:
        raise DocumentError(f"이미지를 열 수 없습니다: {path.name}", str(exc)) from exc
    with Image.open(io.BytesIO(raw)) as image:
        count = getattr(image, "n_frames", 1)
        pages = []
        for index in range(count):
            image.seek(index)
            if image.width * image.height > IMAGE_PIXELS:  # checked before decoding the frame
                raise DocumentError(
                    f"이미지가 너무 큽니다 ({image.width}x{image.height}): {path.name}",
                    f"the image is too large ({image.width}x{image.height}): {path.name}")
            image.load()  # a truncated file fails here, not later
            pages.append(_page(image.copy(), fmt, index, count, path))
        return pages


def _pdf_pages(path: Path) -> list[Page]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise DocumentError(
            f"PDF 파일을 열 수 없습니다 (손상되었거나 암호가 걸려 있음): {path.name}",
            f"cannot open the PDF {path.name} (damaged or password-protected): {exc}",
        ) from exc
    try:
        count = len(pdf)
        pages = []
        for index in range(count):
            page = pdf[index]
            try:
                bitmap = page.render(scale=PDF_DPI / 72)
                pages.append(_page(bitmap.to_pil(), "png", index, count, path))
            finally:
                page.close()
        return pages
    finally:
        pdf.close()


def import_files(paths: list[Path]) -> list[Page]:
    """The pages of files the clerk picked, in order."""
    pages: list[Page] = []
    for path in paths:
        pages.extend(load_pages(path))
    return pages


PagesCallback = Callable[[list[Page]], None]
ErrorCallback = Callable[[Path, DocumentError], None]
StateCallback = Callable[[DeviceState], None]


class FolderWatcher:
    """Polls ``folder`` on thread ``documents watch`` and hands over each new document's pages.

    A file is taken once: again only if it is replaced (new size or time).
    Files already there when the watcher starts are left alone unless
    ``include_existing``. ``on_error`` hears of a file that stays unreadable;
    ``on_state`` whether the folder is there (``folder:PATH`` as the source).
    """

    def __init__(
        self,
        folder: Path,
        on_pages: PagesCallback,
        on_error: ErrorCallback | None = None,
        interval: float = 0.5,
        include_existing: bool = False,
        give_up: float = GIVE_UP,
        on_state: StateCallback | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.name = f"folder:{self.folder}"
        self.on_state = on_state
        self._state = ""
        self.on_pages = on_pages
        self.on_error = on_error
        self.interval = interval
        self.include_existing = include_existing
        self.give_up = give_up
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._taken: dict[Path, tuple[int, int]] = {}
        self._seen: dict[Path, tuple[int, int, float]] = {}  # size, mtime, stable since

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("already started")
        if not self.include_existing:
            for path, sig in self._scan().items():
                self._taken[path] = sig
        self._thread = threading.Thread(target=self._run, name="documents watch", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise RuntimeError(f"documents watch did not stop within {timeout} s")

    def __enter__(self) -> FolderWatcher:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _set_state(self, state: State, reason_ko: str = "", reason_en: str = "") -> None:
        if state != self._state:
            self._state = state
            if self.on_state is not None:
                self.on_state(DeviceState(self.name, state, reason_ko, reason_en))

    def _scan(self) -> dict[Path, tuple[int, int]]:
        found: dict[Path, tuple[int, int]] = {}
        try:
            entries = list(self.folder.iterdir())
        except PermissionError:
            self._set_state(Connection.ERROR, f"폴더 접근 권한이 없습니다: {self.folder}",
                            f"permission denied on the folder {self.folder}")
            return found
        except OSError:  # not there (yet), or a share that is away: try again next poll
            self._set_state(Connection.WAITING, f"스캔 폴더를 기다리는 중입니다: {self.folder}",
                            f"waiting for the scan folder {self.folder}")
            return found
        self._set_state(Connection.CONNECTED)
        for path in entries:
            if path.suffix.lower() not in SUFFIXES or path.name.startswith((".", "~")):
                continue
            try:
                st = path.stat()
            except OSError:
                continue  # removed between listing and stat
            if st.st_size > 0 and path.is_file():
                found[path] = (st.st_size, st.st_mtime_ns)
        return found

    def _run(self) -> None:
        while not self._stopping.wait(self.interval):
            self.poll(time.monotonic())

    def poll(self, now: float) -> None:
        """One look at the folder (the thread calls this; tests may too)."""
        current = self._scan()
        for path in list(self._seen):
            if path not in current:
                del self._seen[path]
        for path, sig in sorted(current.items(), key=lambda kv: kv[1][1]):
            if self._taken.get(path) == sig:
                continue
            seen = self._seen.get(path)
            if seen is None or seen[:2] != sig:
                self._seen[path] = (*sig, now)  # new or still growing: look again next poll
                continue
            try:
                pages = load_pages(path)
            except DocumentError as exc:
                if now - seen[2] >= self.give_up:
                    self._taken[path] = sig
                    self._seen.pop(path, None)
                    log.warning("%s", exc.message_en)
                    if self.on_error is not None:
                        self.on_error(path, exc)
                continue  # maybe still being written (or locked): try again
            self._taken[path] = sig
            self._seen.pop(path, None)
            try:
                self.on_pages(pages)
            except Exception:  # a faulty consumer must not stop the watcher
                log.exception("on_pages failed for %s", path)


def page_from_frame(frame: Any, source: str = "camera") -> Page:
    """The page in a document-camera frame, straightened; :class:`DocumentError` if none."""
    import cv2
    from PIL import Image

    from drivers.pages import correct_perspective, detect_page

    corners = detect_page(frame)
    if corners is None:
        raise DocumentError(
            "문서를 찾지 못했습니다. 종이 전체가 화면에 들어오게 놓아 주세요.",
            "no page found; place the whole sheet in view of the document camera",
        )
    flat = correct_perspective(frame, corners)
    image = normalise(Image.fromarray(cv2.cvtColor(flat, cv2.COLOR_BGR2RGB)))
    ok, original = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 90])
    return Page(
        encode(image, "jpeg"), "jpeg", 0, 1, image.size[0], image.size[1], None,
        original.tobytes() if ok else None, source,
    )


def capture_document(camera: int | str, timeout: float = 10.0, steady: int = 3) -> Page:
    """Grab frames from a document camera (index or video file) until the page has been
    seen in ``steady`` frames in a row (the sheet has stopped moving), then straighten it."""
    import cv2
    import numpy as np

    from drivers.pages import detect_page

    cap = cv2.VideoCapture(camera)
    if not cap.isOpened():
        cap.release()
        raise DocumentError(
            f"실물화상기를 열 수 없습니다 ({camera})", f"cannot open the document camera {camera}"
        )
    deadline = time.monotonic() + timeout
    last: Any = None
    run = 0
    try:
        while time.monotonic() < deadline:
            ok, frame = cap.read()
            if not ok:
                break
            corners = detect_page(frame)
            if corners is None:
                run, last = 0, None
                continue
            still = last is not None and float(np.abs(corners - last).max()) < 0.01 * max(
                frame.shape[:2]
            )
            run = run + 1 if still or last is None else 1
            last = corners
            if run >= steady:
                return page_from_frame(frame, f"camera:{camera}")
    finally:
        cap.release()
    raise DocumentError(
        "문서를 찾지 못했습니다. 종이 전체가 화면에 들어오게 놓아 주세요.",
        "no steady page found; place the whole sheet in view of the document camera",
    )


def open_watcher(
    folder: Path,
    on_page: Callable[[Page], None],
    on_state: StateCallback,
    pages_dir: Path | None = None,
    interval: float = 0.5,
) -> FolderWatcher:
    """A watcher (not started) that saves each page of each new document into
    ``pages_dir`` (default: ``.pages`` inside the folder, which is not watched)
    and hands the pages over one by one, with ``path`` set. A file that stays
    unreadable is reported as a one-off problem through ``on_state``."""
    target = pages_dir or Path(folder) / ".pages"
    watcher: FolderWatcher

    def pages(got: list[Page]) -> None:
        for page in got:
            on_page(save_page(page, target))

    def error(path: Path, exc: DocumentError) -> None:
        on_state(DeviceState(watcher.name, Connection.CONNECTED, exc.message_ko, exc.message_en, True))

    watcher = FolderWatcher(Path(folder), pages, error, interval=interval, on_state=on_state)
    return watcher
