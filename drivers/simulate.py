"""Simulated device input for the demo and the tests.

* :func:`seal_impression` draws a seal impression on paper, as the seal
  scanner's camera sees it: a red or vermilion round or square seal with a
  Korean name, in the variants the seal extraction must tell apart (clear,
  faint, rotated, doubled, smeared, none) and a signature.
* :func:`write_qr_video` writes a video file showing QR codes (the camera
  simulator: ``camera:/path/clip.avi`` or ``fake:/path/clip.avi``).
* :func:`document_photo` draws a page lying on a desk at an angle, as a
  document camera (실물화상기) sees it.

The name is drawn with the Korean font in ``resources/fonts`` when there is
one; otherwise with blocky strokes in a seal-script style, which is just as
good for the extraction (it only looks at ink).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import cv2
import numpy as np

Image = np.ndarray[Any, Any]
Variant = Literal["clear", "faint", "rotated", "doubled", "smeared", "none", "signature"]
VARIANTS: tuple[Variant, ...] = (
    "clear", "faint", "rotated", "doubled", "smeared", "none", "signature"
)

RED = (40, 45, 215)  # BGR: seal ink (인주)
VERMILION = (30, 80, 230)


def _korean_font(size: int) -> Any:
    from PIL import ImageFont

    from resources import FONTS_DIR

    candidates = sorted(FONTS_DIR.glob("*Bold.otf")) + sorted(FONTS_DIR.glob("*.[ot]tf"))
    candidates += [
        Path("/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf"),
        Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    ]
    for path in candidates:
        if path.is_file():
            try:
                return ImageFont.truetype(str(path), size)
            except OSError:
                continue
    return None


def _glyph_strokes(mask: Image, ch: str, box: tuple[int, int, int, int], width: int) -> None:
    """A blocky seal-script stand-in for a glyph, fixed by the character."""
    x, y, w, h = box
    rng = np.random.default_rng(ord(ch))
    cv2.rectangle(mask, (x, y), (x + w, y + h), 255, width)
    for _ in range(3):
        if rng.random() < 0.5:
            yy = int(y + h * rng.uniform(0.25, 0.75))
            cv2.line(mask, (x, yy), (x + w, yy), 255, width)
        else:
            xx = int(x + w * rng.uniform(0.25, 0.75))
            cv2.line(mask, (xx, y), (xx, y + h), 255, width)


def _name_mask(name: str, size: int, inner: int) -> Image:
    """The name's strokes, centred in a ``size`` square, within ``inner`` pixels."""
    mask = np.zeros((size, size), np.uint8)
    chars = list(name)[:4] or ["인"]
    cols = 1 if len(chars) <= 3 else 2
    rows = -(-len(chars) // cols)
    cell = inner // max(rows, cols)
    font = _korean_font(int(cell * 0.9))
    top = (size - cell * rows) // 2
    left = (size - cell * cols) // 2
    if font is not None:
        from PIL import Image as PILImage
        from PIL import ImageDraw

        canvas = PILImage.new("L", (size, size), 0)
        draw = ImageDraw.Draw(canvas)
        for i, ch in enumerate(chars):
            r, c = divmod(i, cols) if cols == 2 else (i, 0)
            cx = left + c * cell + cell // 2
            cy = top + r * cell + cell // 2
            draw.text((cx, cy), ch, fill=255, font=font, anchor="mm")
        return np.asarray(canvas).copy()
    for i, ch in enumerate(chars):
        r, c = divmod(i, cols) if cols == 2 else (i, 0)
        pad = cell // 8
        box = (left + c * cell + pad, top + r * cell + pad, cell - 2 * pad, cell - 2 * pad)
        _glyph_strokes(mask, ch, box, max(2, cell // 10))
    return mask


def seal_mask(name: str = "홍길동", diameter: int = 300, shape: str = "circle") -> Image:
    """The ink of one seal (255 where ink), in a square of ``diameter`` pixels."""
    mask = np.zeros((diameter, diameter), np.uint8)
    ring = max(3, diameter // 18)
    c = diameter // 2
    if shape == "square":
        cv2.rectangle(mask, (ring, ring), (diameter - ring, diameter - ring), 255, ring)
        inner = int(diameter * 0.72)
    else:
        cv2.circle(mask, (c, c), c - ring, 255, ring, lineType=cv2.LINE_AA)
        inner = int(diameter * 0.58)
    return np.maximum(mask, _name_mask(name, diameter, inner))


def _paper(width: int, height: int, rng: np.random.Generator) -> Image:
    paper = np.empty((height, width, 3), np.float32)
    paper[:] = (232, 240, 244)  # cream office paper, BGR
    paper += rng.normal(0, 2.5, (height, width, 1))
    # uneven light from a desk lamp
    ramp = np.linspace(-8, 8, width, dtype=np.float32)[None, :, None]
    return paper + ramp


def _stamp(paper: Image, mask: Image, at: tuple[int, int], ink: tuple[int, int, int],
           strength: float, rng: np.random.Generator) -> None:
    alpha = mask.astype(np.float32) / 255.0
    alpha *= rng.uniform(0.75, 1.0, alpha.shape).astype(np.float32)  # uneven ink
    alpha = cv2.GaussianBlur(alpha, (3, 3), 0) * strength
    x, y = at
    h, w = alpha.shape
    region = paper[y : y + h, x : x + w]
    # ink multiplies the paper's light (a subtractive colour, like real ink)
    tint = np.array(ink, np.float32) / 255.0
    region *= 1.0 - alpha[..., None] * (1.0 - tint)


def seal_impression(
    variant: Variant = "clear",
    name: str = "홍길동",
    shape: str = "circle",
    size: tuple[int, int] = (960, 720),
    seed: int = 0,
    vermilion: bool = False,
) -> Image:
    """A BGR photo of paper with a seal impression of the given variant."""
    width, height = size
    rng = np.random.default_rng(seed)
    paper = _paper(width, height, rng)
    diameter = int(min(width, height) * 0.45)
    ink = VERMILION if vermilion else RED
    mask = seal_mask(name, diameter, shape)
    centre = (width // 2 - diameter // 2, height // 2 - diameter // 2)
    if variant == "rotated":
        turn = cv2.getRotationMatrix2D((diameter / 2, diameter / 2), 30.0, 0.7)
        mask = cv2.warpAffine(mask, turn, (diameter, diameter))
    if variant == "smeared":
        blot = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (diameter // 8, diameter // 8))
        mask = cv2.GaussianBlur(cv2.dilate(mask, blot), (31, 31), 0)
    if variant in ("clear", "rotated", "smeared"):
        _stamp(paper, mask, centre, ink, 1.0, rng)
    elif variant == "faint":
        _stamp(paper, mask, centre, ink, 0.22, rng)
    elif variant == "doubled":
        small = cv2.resize(mask, None, fx=0.8, fy=0.8)
        step = small.shape[0]
        y = height // 2 - step // 2
        _stamp(paper, small, (width // 2 - step - step // 8, y), ink, 1.0, rng)
        _stamp(paper, small, (width // 2 + step // 8, y), ink, 1.0, rng)
    elif variant == "signature":
        _signature(paper, rng)
    return np.clip(paper, 0, 255).astype(np.uint8)


def _signature(paper: Image, rng: np.random.Generator) -> None:
    h, w = paper.shape[:2]
    t = np.linspace(0, 1, 200)
    xs = w * (0.3 + 0.4 * t)
    ys = h * (0.5 + 0.08 * np.sin(t * 18 + rng.uniform(0, 3)) + 0.05 * np.sin(t * 7))
    points = np.stack([xs, ys], axis=1).astype(np.int32)
    cv2.polylines(paper, [points], False, (40, 30, 30), 4, lineType=cv2.LINE_AA)
    cv2.line(paper, (int(w * 0.32), int(h * 0.62)), (int(w * 0.68), int(h * 0.6)), (40, 30, 30), 3)


def write_seal_images(folder: Path, name: str = "홍길동") -> dict[str, Path]:
    """Every variant as a JPEG in ``folder`` (for the demo's seal folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for n, variant in enumerate(VARIANTS):
        path = folder / f"seal-{variant}.jpg"
        ok, data = cv2.imencode(".jpg", seal_impression(variant, name, seed=n), [cv2.IMWRITE_JPEG_QUALITY, 92])
        assert ok
        path.write_bytes(data.tobytes())
        out[variant] = path
    return out


def qr_frame(text: str, size: tuple[int, int] = (640, 480), module: int = 6) -> Image:
    """A camera frame (BGR) with the QR symbol of ``text`` in the middle of a grey desk."""
    from decoding.qrimage import qr_matrix

    width, height = size
    symbol = qr_matrix(text)
    module = max(1, min(module, (min(width, height) - 8) // symbol.shape[0]))
    big = cv2.resize(symbol, None, fx=module, fy=module, interpolation=cv2.INTER_NEAREST)
    frame = np.full((height, width, 3), 120, np.uint8)
    y, x = (height - big.shape[0]) // 2, (width - big.shape[1]) // 2
    frame[y : y + big.shape[0], x : x + big.shape[1]] = big[..., None]
    return frame


def write_qr_video(
    path: Path,
    texts: list[str],
    fps: float = 10.0,
    frames_per_code: int = 5,
    blank_frames: int = 2,
    size: tuple[int, int] = (640, 480),
) -> Path:
    """A video (MJPG in .avi: opencv-python-headless writes it everywhere) showing each
    QR text for ``frames_per_code`` frames, with empty frames between."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, size)
    if not writer.isOpened():
        raise OSError(f"cannot write video {path}")
    blank = np.full((size[1], size[0], 3), 120, np.uint8)
    try:
        for text in texts:
            for _ in range(blank_frames):
                writer.write(blank)
            frame = qr_frame(text, size)
            for _ in range(frames_per_code):
                writer.write(frame)
        for _ in range(blank_frames):
            writer.write(blank)
    finally:
        writer.release()
    return path


def document_photo(
    size: tuple[int, int] = (1280, 960), seed: int = 0, tilt: float = 0.08
) -> tuple[Image, Image]:
    """A document-camera frame: an A4 page with text lines on a dark desk, seen at an
    angle. Returns (frame, the page's four corners in the frame, clockwise from top left)."""
    rng = np.random.default_rng(seed)
    width, height = size
    page_h = int(height * 0.8)
    page_w = int(page_h / 2 ** 0.5)
    page = np.full((page_h, page_w, 3), 245, np.uint8)
    for row in range(page_h // 12, page_h - page_h // 12, page_h // 30):
        line_w = int(page_w * rng.uniform(0.4, 0.8))
        cv2.rectangle(page, (page_w // 10, row), (page_w // 10 + line_w, row + page_h // 120), (40, 40, 40), -1)
    cv2.rectangle(page, (page_w // 10, page_h // 24), (page_w // 2, page_h // 24 + page_h // 40), (20, 20, 20), -1)
    cx, cy = width / 2, height / 2
    dx, dy = page_w / 2, page_h / 2
    corners = np.array(
        [
            [cx - dx * (1 - tilt), cy - dy],
            [cx + dx * (1 - tilt), cy - dy * (1 - tilt / 2)],
            [cx + dx, cy + dy * 0.95],
            [cx - dx, cy + dy],
        ],
        np.float32,
    )
    src = np.array([[0, 0], [page_w, 0], [page_w, page_h], [0, page_h]], np.float32)
    warp = cv2.getPerspectiveTransform(src, corners)
    desk = np.full((height, width, 3), (60, 50, 45), np.uint8)
    desk = (desk + rng.normal(0, 3, desk.shape)).clip(0, 255).astype(np.uint8)
    frame = cv2.warpPerspective(page, warp, (width, height), dst=desk, borderMode=cv2.BORDER_TRANSPARENT)
    return frame, corners
