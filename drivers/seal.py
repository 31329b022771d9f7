"""The seal scanner: a seal impression (도장) or signature cut out of a photo.

:func:`extract_seal` finds the red or vermilion ink of a seal impression (or,
with no red on the paper, the dark ink of a signature), crops it, removes the
paper into a transparent PNG of a standard size, and straightens a square
seal. Problems the clerk can fix by trying again are exceptions with Korean
and English messages: nothing found, too faint, smeared, two impressions.

Detection works on a copy of at most ``WORK_SIDE`` pixels (fast: the bench
target is 50 ms); the crop comes from the full-resolution image.

Sources: :func:`extract_seal_file` (a file, or the newest image in a folder
where a scanner's own software saves) and :func:`capture_seal` (a camera,
``camera:N`` or a video file, until a frame gives a clean impression).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import cv2
import numpy as np

from decoding.limits import IMAGE_BYTES, read_bounded
from decoding.qrimage import ImageReadError, check_pixels
from drivers.camera import camera_target
from drivers.errors import DriverError
from drivers.files import IMAGE_SUFFIXES, unused_path

Image = np.ndarray[Any, Any]

OUTPUT_SIZE = 512  # the PNG is OUTPUT_SIZE x OUTPUT_SIZE, the impression centred
WORK_SIDE = 640

# Redness is R - max(G, B): ~0 on white or cream paper, 50+ for pale pink, 150+ for seal ink.
RED_DETECT = 22  # a pixel this red may be ink
RED_CLEAR = 90  # the ink of a usable impression is at least this red (in its cores)
DARK_DETECT = 90  # a pixel this much darker than the paper may be signature ink


class SealError(DriverError):
    """The photo gives no usable impression; ``code`` says why, the message what to do."""

    code = "seal"


class SealNotFound(SealError):
    code = "none"

    def __init__(self) -> None:
        super().__init__(
            "도장이나 서명을 찾지 못했습니다. 찍힌 부분이 화면 가운데 오게 다시 스캔해 주세요.",
            "no seal impression or signature found; centre it under the scanner and try again",
        )


class SealTooFaint(SealError):
    code = "faint"

    def __init__(self) -> None:
        super().__init__(
            "도장이 너무 흐립니다. 인주를 충분히 묻혀 다시 찍어 주세요.",
            "the seal impression is too faint; ink the seal well and stamp again",
        )


class SealSmeared(SealError):
    code = "smeared"

    def __init__(self) -> None:
        super().__init__(
            "도장이 번졌습니다. 깨끗한 종이에 다시 찍어 주세요.",
            "the seal impression is smeared; stamp again on a clean sheet",
        )


class SealDoubled(SealError):
    code = "doubled"

    def __init__(self, count: int) -> None:
        super().__init__(
            f"도장이 {count}개 찍혀 있습니다. 한 개만 보이게 다시 스캔해 주세요.",
            f"{count} impressions found; scan one impression at a time",
        )


@dataclass(frozen=True)
class SealImage:
    """An extracted impression: a transparent PNG of ``OUTPUT_SIZE`` squared."""

    png: bytes
    kind: Literal["seal", "signature"]
    bbox: tuple[int, int, int, int]  # x, y, w, h in the source image
    angle: float  # degrees the crop was turned to straighten a square seal
    ink_bgr: tuple[int, int, int]

    def save(self, path: Path | str) -> Path:
        path = Path(path)
        path.write_bytes(self.png)
        return path


def _redness(image: Image) -> Image:
    b, g, r = (image[..., i].astype(np.int16) for i in range(3))
    out: Image = r - np.maximum(g, b)
    return out


def _white_balance(image: Image, gains: Image | None = None) -> tuple[Image, Image]:
    """The image with its paper made neutral grey (a warm desk lamp turns white paper
    pink-orange, which would read as faint seal ink); and the gains used."""
    if gains is None:
        bright = image.reshape(-1, 3)
        paper = np.percentile(bright[:: max(1, len(bright) // 20000)], 90, axis=0)
        gains = paper.mean() / np.maximum(paper, 1.0)
    balanced: Image = cv2.transform(image, np.diag(gains).astype(np.float32))  # saturates
    return balanced, gains


def _components(mask: Image, min_area: float) -> list[tuple[int, int, int, int, int]]:
    """Connected blobs (x, y, w, h, area) of a mask, largest first."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    blobs = [tuple(int(v) for v in stats[i]) for i in range(1, count)]
    return sorted(
        ((x, y, w, h, a) for x, y, w, h, a in blobs if a >= min_area), key=lambda b: -b[4]
    )


def _overlap(inner: tuple[int, ...], outer: tuple[int, ...]) -> float:
    """The share of ``inner``'s bounding box that lies in ``outer``'s."""
    ix, iy, iw, ih = inner[:4]
    ox, oy, ow, oh = outer[:4]
    w = max(0, min(ix + iw, ox + ow) - max(ix, ox))
    h = max(0, min(iy + ih, oy + oh) - max(iy, oy))
    return (w * h) / max(1, iw * ih)


def extract_seal(image: Image) -> SealImage:
    """The one impression in a BGR photo, or a :class:`SealError` saying what is wrong."""
    if image is None or image.ndim != 3 or image.shape[0] < 16 or image.shape[1] < 16:
        raise SealNotFound()
    image = image[..., :3]
    scale = min(1.0, WORK_SIDE / max(image.shape[:2]))
    work = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    work = cv2.GaussianBlur(work, (3, 3), 0)  # camera noise is not ink
    work, gains = _white_balance(work)
    area = work.shape[0] * work.shape[1]
    side = min(work.shape[:2])
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side // 25 | 1, side // 25 | 1))

    red = _redness(work)
    red_mask = red >= RED_DETECT
    closed = cv2.morphologyEx(red_mask.astype(np.uint8), cv2.MORPH_CLOSE, kernel)
    blobs = _components(closed, area * 0.004)
    if blobs:
        kind: Literal["seal", "signature"] = "seal"
        # faint ink breaks into pieces that look like several impressions: judge it first
        if float(np.percentile(red[red_mask], 75)) < RED_CLEAR:  # judged by the stroke cores
            raise SealTooFaint()
        main = max(blobs, key=lambda b: b[2] * b[3])  # the outline, not the name inside it
        # another blob of similar size outside this one (the name inside a ring is not)
        peers = [
            b for b in blobs if b is not main and b[4] >= main[4] * 0.35 and _overlap(b, main) < 0.5
        ]
        if peers:
            raise SealDoubled(1 + len(peers))
        x, y, w, h, _ = main
        ink = red_mask[y : y + h, x : x + w]
        filled = cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_CLOSE, kernel)
        contours, _ = cv2.findContours(filled, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        hull_area = sum(cv2.contourArea(cv2.convexHull(c)) for c in contours) or 1.0
        if float(ink.sum()) / hull_area > 0.72:  # a clean seal is ring and strokes, not a blot
            raise SealSmeared()
    else:
        kind = "signature"
        gray = cv2.cvtColor(work, cv2.COLOR_BGR2GRAY)
        paper = float(np.percentile(gray, 75))
        dark_mask = gray.astype(np.int16) <= paper - DARK_DETECT
        strokes = _components(dark_mask, area * 0.0003)
        if not strokes or sum(b[4] for b in strokes) < area * 0.001:
            raise SealNotFound()
        xs = [b[0] for b in strokes] + [b[0] + b[2] for b in strokes]
        ys = [b[1] for b in strokes] + [b[1] + b[3] for b in strokes]
        x, y, w, h = min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)
    # back to full resolution, with a margin
    margin = 0.06 * max(w, h)
    x0 = max(0, int((x - margin) / scale))
    y0 = max(0, int((y - margin) / scale))
    x1 = min(image.shape[1], int((x + w + margin) / scale) + 1)
    y1 = min(image.shape[0], int((y + h + margin) / scale) + 1)
    crop, _ = _white_balance(image[y0:y1, x0:x1], gains)
    alpha, ink_bgr = _ink_alpha(crop, kind)
    angle = _square_angle(alpha) if kind == "seal" else 0.0
    rgba = _render(alpha, ink_bgr, angle)
    ok, png = cv2.imencode(".png", rgba)
    if not ok:  # pragma: no cover - OpenCV always encodes a BGRA uint8 array
        raise SealNotFound()
    return SealImage(png.tobytes(), kind, (x0, y0, x1 - x0, y1 - y0), angle, ink_bgr)


def _ink_alpha(crop: Image, kind: str) -> tuple[Image, tuple[int, int, int]]:
    """Opacity of the ink (paper transparent) and the ink's colour."""
    if kind == "seal":
        level = _redness(crop).astype(np.float32)
        lo, hi = float(RED_DETECT), 120.0
    else:
        gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY).astype(np.float32)
        paper = float(np.percentile(gray, 75))
        level = paper - gray
        lo, hi = DARK_DETECT * 0.5, DARK_DETECT * 1.5
    alpha = np.clip((level - lo) / (hi - lo), 0.0, 1.0)
    strong = alpha >= 0.9
    pixels = crop[strong] if strong.any() else crop.reshape(-1, 3)
    ink = tuple(int(v) for v in np.median(pixels, axis=0))
    return (alpha * 255).astype(np.uint8), (ink[0], ink[1], ink[2])


def _square_angle(alpha: Image) -> float:
    """The turn that straightens a square seal; 0 for a round one."""
    mask = (alpha > 64).astype(np.uint8)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return 0.0
    outline = max(contours, key=cv2.contourArea)
    hull = cv2.convexHull(outline)
    (_, _), (rw, rh), angle = cv2.minAreaRect(hull)
    if rw * rh <= 0 or cv2.contourArea(hull) / (rw * rh) < 0.9:
        return 0.0  # round (a circle fills pi/4 of its box) or irregular: leave it
    angle = float(angle) % 90.0
    return angle - 90.0 if angle > 45.0 else angle


def _render(alpha: Image, ink_bgr: tuple[int, int, int], angle: float) -> Image:
    h, w = alpha.shape
    if angle:
        centre = (w / 2, h / 2)
        turn = cv2.getRotationMatrix2D(centre, angle, 1.0)
        alpha = cv2.warpAffine(alpha, turn, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)
        ys, xs = np.nonzero(alpha > 16)
        if len(xs):
            pad = int(0.04 * max(w, h))
            alpha = alpha[
                max(0, ys.min() - pad) : ys.max() + pad + 1,
                max(0, xs.min() - pad) : xs.max() + pad + 1,
            ]
            h, w = alpha.shape
    fit = OUTPUT_SIZE / max(h, w)
    size = (max(1, round(w * fit)), max(1, round(h * fit)))
    alpha = cv2.resize(alpha, size, interpolation=cv2.INTER_AREA if fit < 1 else cv2.INTER_CUBIC)
    out = np.zeros((OUTPUT_SIZE, OUTPUT_SIZE, 4), np.uint8)
    oy, ox = (OUTPUT_SIZE - size[1]) // 2, (OUTPUT_SIZE - size[0]) // 2
    out[oy : oy + size[1], ox : ox + size[0], :3] = ink_bgr
    out[oy : oy + size[1], ox : ox + size[0], 3] = alpha
    return out


def read_image(path: Path | str) -> Image:
    """An image file as BGR (paths with Korean names work: no cv2.imread)."""
    try:
        raw = read_bounded(path, IMAGE_BYTES)
        check_pixels(raw, path)
    except OSError as exc:
        raise DriverError(f"이미지를 읽을 수 없습니다: {path} ({exc.strerror})",
                          f"cannot read the image {path}: {exc.strerror}") from exc
    except ImageReadError as exc:
        raise DriverError(f"이미지를 열 수 없습니다: {path}", str(exc)) from exc
    image = cv2.imdecode(np.frombuffer(raw, dtype=np.uint8), cv2.IMREAD_COLOR) if raw else None
    if image is None:
        raise DriverError(
            f"이미지를 열 수 없습니다: {path}", f"cannot open the image {path}"
        )
    return image


def newest_image(folder: Path) -> Path:
    images = [p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()]
    if not images:
        raise DriverError(f"폴더에 이미지가 없습니다: {folder}", f"no image in the folder {folder}")
    return max(images, key=lambda p: p.stat().st_mtime)


def extract_seal_file(path: Path | str) -> SealImage:
    """An impression from an image file, or from the newest image in a folder."""
    path = Path(path)
    if not path.exists():
        raise DriverError(f"파일이 없습니다: {path}", f"no such file: {path}")
    if path.is_dir():
        path = newest_image(path)
    return extract_seal(read_image(path))


def capture_seal(camera: int | str, timeout: float = 10.0, steady: int = 2) -> SealImage:
    """Grab frames from a camera (index or video file) until ``steady`` frames in a
    row give an impression; the last is returned. After ``timeout`` seconds the
    last problem seen is raised (nothing found if no frame came at all)."""
    cap = cv2.VideoCapture(camera)
    if not cap.isOpened():
        cap.release()
        raise DriverError(
            f"도장 스캐너 카메라를 열 수 없습니다 ({camera})",
            f"cannot open the seal scanner camera {camera}",
        )
    deadline = time.monotonic() + timeout
    problem: SealError = SealNotFound()
    good = 0
    try:
        while time.monotonic() < deadline:
            ok, frame = cap.read()
            if not ok:
                break
            try:
                result = extract_seal(frame)
            except SealError as exc:
                problem, good = exc, 0
                continue
            good += 1
            if good >= steady:
                return result
    finally:
        cap.release()
    raise problem


def capture(source: str, out_dir: Path, timeout: float = 10.0) -> Path:
    """The configured seal scanner's impression saved as a PNG in ``out_dir``; its path.

    ``source`` is ``camera:N`` (or ``camera:/path/video``), an image file, or a
    folder (``folder:PATH`` or a plain path) where a scanner saves its images.
    Raises :class:`SealError` (or :class:`DriverError`) with the clerk's message.
    """
    if source.startswith("camera:"):
        seal = capture_seal(camera_target(source.removeprefix("camera:")), timeout=timeout)
    else:
        seal = extract_seal_file(source.removeprefix("folder:"))
    return seal.save(unused_path(out_dir, time.strftime("seal-%Y%m%d-%H%M%S"), ".png"))
