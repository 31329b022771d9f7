"""Document intake: file types, pages, orientation, the watched folder, the document camera."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from drivers.documents import (
    MAX_SIDE,
    DocumentError,
    FolderWatcher,
    Page,
    capture_document,
    import_files,
    load_pages,
    page_from_frame,
)
from drivers.pages import detect_page
from drivers.simulate import document_photo
from tests.drivers.conftest import WAIT


def _sheet(text_rows: int = 5, size: tuple[int, int] = (600, 800)) -> Image.Image:
    image = Image.new("RGB", size, "white")
    pixels = np.asarray(image).copy()
    for row in range(text_rows):
        pixels[80 + row * 60 : 90 + row * 60, 60:400] = 30
    return Image.fromarray(pixels)


def _jpeg_bytes(image: Image.Image, orientation: int | None = None) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _decoded(page: Page) -> Image.Image:
    return Image.open(io.BytesIO(page.image))


def test_jpeg_exif_orientation_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "scan.jpg"
    path.write_bytes(_jpeg_bytes(_sheet(), orientation=6))  # "rotate 90 clockwise to view"
    (page,) = load_pages(path)
    assert (page.width, page.height) == (800, 600)
    assert page.format == "jpeg" and page.original == path and page.index == 0
    assert _decoded(page).size == (800, 600)
    assert path.read_bytes()[:2] == b"\xff\xd8"  # the original is left as it was


def test_multipage_tiff_and_pdf_are_split(tmp_path: Path) -> None:
    sheets = [_sheet(n) for n in (1, 2, 3)]
    tiff = tmp_path / "feeder.tiff"
    sheets[0].save(tiff, save_all=True, append_images=sheets[1:])
    pdf = tmp_path / "feeder.pdf"
    sheets[0].save(pdf, save_all=True, append_images=sheets[1:], resolution=100)
    for path in (tiff, pdf):
        pages = load_pages(path)
        assert [p.index for p in pages] == [0, 1, 2]
        assert all(p.page_count == 3 and p.format == "png" and p.original == path for p in pages)
        assert all(_decoded(p).format == "PNG" for p in pages)
    # the PDF is rendered at 200 dpi: 6 x 8 inches
    assert (load_pages(pdf)[0].width, load_pages(pdf)[0].height) == (1200, 1600)


def test_big_pages_are_scaled_down(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    Image.new("L", (5000, 7000), 255).save(path)
    (page,) = load_pages(path)
    assert max(page.width, page.height) == MAX_SIDE


def test_bad_files(tmp_path: Path) -> None:
    doc = tmp_path / "memo.docx"
    doc.write_bytes(b"PK")
    with pytest.raises(DocumentError) as info:
        load_pages(doc)
    assert "지원하지 않는" in info.value.message_ko
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 broken")
    with pytest.raises(DocumentError) as info:
        load_pages(broken)
    assert "PDF" in info.value.message_ko
    half = tmp_path / "half.jpg"
    half.write_bytes(_jpeg_bytes(_sheet())[:3000])
    with pytest.raises(DocumentError):
        load_pages(half)


def test_import_files_keeps_order(tmp_path: Path) -> None:
    a, b = tmp_path / "a.png", tmp_path / "b.jpg"
    _sheet().save(a)
    b.write_bytes(_jpeg_bytes(_sheet()))
    assert [p.original for p in import_files([b, a])] == [b, a]


def test_watcher_takes_a_file_only_once_completely_written(tmp_path: Path) -> None:
    got: list[list[Page]] = []
    errors: list[Path] = []
    (tmp_path / "old.png").write_bytes(b"")  # empty: ignored
    _sheet().save(tmp_path / "before.png")  # there before the start: left alone
    watcher = FolderWatcher(tmp_path, got.append, lambda p, e: errors.append(p), give_up=5.0)
    watcher._taken.update(watcher._scan())  # what start() does, without the thread
    data = _jpeg_bytes(_sheet())
    target = tmp_path / "scan 001.jpg"
    target.write_bytes(data[: len(data) // 2])  # the scanner is still writing
    watcher.poll(0.0)
    watcher.poll(0.5)  # same size twice but it does not open: wait
    assert got == []
    with target.open("ab") as f:
        f.write(data[len(data) // 2 :])
    watcher.poll(1.0)  # grew: not yet
    assert got == []
    watcher.poll(1.5)  # stable and opens: taken
    assert len(got) == 1 and got[0][0].original == target
    watcher.poll(2.0)
    watcher.poll(2.5)
    assert len(got) == 1  # only once
    assert errors == []


def test_watcher_reports_a_file_that_never_opens(tmp_path: Path) -> None:
    errors: list[tuple[Path, DocumentError]] = []
    watcher = FolderWatcher(
        tmp_path, lambda pages: None, lambda p, e: errors.append((p, e)), give_up=2.0
    )
    bad = tmp_path / "bad.tif"
    bad.write_bytes(b"II*\x00garbage")
    for t in (0.0, 0.5, 1.0, 1.5):
        watcher.poll(t)
    assert errors == []
    watcher.poll(2.1)  # stable and unreadable for 2 s
    assert [p for p, _ in errors] == [bad]
    watcher.poll(3.0)
    assert len(errors) == 1


def test_watcher_thread(tmp_path: Path) -> None:
    arrived = threading.Event()
    got: list[list[Page]] = []

    def on_pages(pages: list[Page]) -> None:
        got.append(pages)
        arrived.set()

    with FolderWatcher(tmp_path, on_pages, interval=0.05):
        sheets = [_sheet(1), _sheet(2)]
        tmp = tmp_path / "feed.part"
        sheets[0].save(tmp, format="PDF", save_all=True, append_images=sheets[1:])
        tmp.rename(tmp_path / "feed.pdf")
        assert arrived.wait(WAIT)
    assert [p.index for p in got[0]] == [0, 1]


def test_document_camera_finds_and_straightens_the_page() -> None:
    frame, corners = document_photo(seed=1)
    found = detect_page(frame)
    assert found is not None
    assert np.abs(found - corners).max() < 12  # pixels, in a 1280 x 960 frame
    page = page_from_frame(frame)
    assert page.format == "jpeg" and page.original_image is not None
    ratio = page.height / page.width
    assert abs(ratio - 2**0.5) < 0.08  # an A4 sheet again
    flat = cv2.imdecode(np.frombuffer(page.image, np.uint8), cv2.IMREAD_GRAYSCALE)
    # straightened: the margins are paper, the desk is gone
    assert flat[:, :5].mean() > 200 and flat[:5, :].mean() > 200


def test_document_camera_without_a_page() -> None:
    with pytest.raises(DocumentError) as info:
        page_from_frame(np.full((480, 640, 3), 60, np.uint8))
    assert "문서를 찾지 못했습니다" in info.value.message_ko


def test_capture_document_from_a_camera_video(tmp_path: Path) -> None:
    path = tmp_path / "doccam.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (1280, 960))
    desk = np.full((960, 1280, 3), 60, np.uint8)
    frame, _ = document_photo(seed=2)
    for image in [desk, desk, frame, frame, frame, frame]:
        writer.write(image)
    writer.release()
    page = capture_document(str(path), timeout=5)
    assert page.source == f"camera:{path}"


def test_open_watcher_saves_pages_and_reports_state(tmp_path: Path) -> None:
    from drivers.base import DeviceState
    from drivers.documents import open_watcher

    folder = tmp_path / "scans"
    pages: list[Page] = []
    states: list[DeviceState] = []
    got = threading.Event()

    def on_page(page: Page) -> None:
        pages.append(page)
        if len(pages) == 2:
            got.set()

    watcher = open_watcher(folder, on_page, states.append, pages_dir=tmp_path / "pages",
                           interval=0.05)
    with watcher:
        deadline = threading.Event()
        for _ in range(100):  # the folder is not there yet: waiting
            if states:
                break
            deadline.wait(0.02)
        assert states and states[0].state == "waiting"
        folder.mkdir()
        sheets = [_sheet(1), _sheet(2)]
        part = folder / "two.part"
        sheets[0].save(part, format="TIFF", save_all=True, append_images=sheets[1:])
        part.rename(folder / "two.tif")
        assert got.wait(WAIT)
    assert [s.state for s in states] == ["waiting", "connected"]
    assert [p.path.name for p in pages if p.path] == ["two-p1.png", "two-p2.png"]
    assert all(p.path and p.path.read_bytes() == p.image for p in pages)
    assert (folder / "two.tif").exists()  # the original is kept
