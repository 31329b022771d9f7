"""Reading QR texts from images, and drawing QR symbols.

zxing-cpp reads first: it is fast and decoded every degraded test image;
pyzbar (Debian ``libzbar0``) is the fallback. Only QR codes are searched:
asking for every format made a 1080p frame ten times slower. OpenCV's own QR
detector is not used (it failed on the degraded images).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import segno

from decoding.errors import CounterError

log = logging.getLogger(__name__)

zxingcpp: Any
try:
    import zxingcpp
except ImportError:  # pragma: no cover - depends on the installation
    zxingcpp = None

_pyzbar: Any
try:
    from pyzbar import pyzbar as _pyzbar_module

    _pyzbar = _pyzbar_module
except Exception:  # ImportError, or OSError when Debian's libzbar0 is missing
    _pyzbar = None


class ImageReadError(CounterError):
    """The image file cannot be opened or decoded; the message says which."""

    code = "IMAGE_READ"


def available_readers() -> list[str]:
    return [name for name, mod in (("zxing-cpp", zxingcpp), ("pyzbar", _pyzbar)) if mod]


def load_image(path: Path | str) -> np.ndarray[Any, Any]:
    """An image file as a grey-scale array (any format OpenCV or Pillow reads)."""
    import cv2

    data = np.fromfile(str(path), dtype=np.uint8) if Path(path).is_file() else None
    if data is None:
        raise ImageReadError(f"{path}: 파일이 없습니다 / no such file")
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    if image is None:
        try:
            from PIL import Image

            with Image.open(path) as im:
                image = np.asarray(im.convert("L"))
        except Exception as exc:
            raise ImageReadError(f"{path}: 이미지를 열 수 없습니다 / not a readable image") from exc
    return image


def _to_gray(image: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    if image.ndim == 3:
        import cv2

        code = cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY
        return cv2.cvtColor(image, code)
    return image


def read_qr_texts(image: np.ndarray[Any, Any] | Path | str, *, fallback: bool = True) -> list[str]:
    """Every QR text found in the image, in reading order; an empty list if none.

    ``fallback=False`` skips pyzbar when zxing-cpp finds nothing: on a 1080p
    frame with no code in view pyzbar costs 40-80 ms, so a camera uses the
    fallback only now and then.
    """
    if isinstance(image, (str, Path)):
        image = load_image(image)
    gray = np.ascontiguousarray(_to_gray(image))
    if zxingcpp is not None:
        results = zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode)
        texts = [r.text for r in results if r.valid and r.text]
        if texts:
            return texts
    if fallback and _pyzbar is not None:
        symbols = _pyzbar.decode(gray, symbols=[_pyzbar.ZBarSymbol.QRCODE])
        # MW1 is alphanumeric text; latin-1 keeps any byte as one character.
        return [s.data.decode("latin-1") for s in symbols if s.data]
    return []


def qr_png(text: str, path: Path | str, scale: int = 4, border: int = 4) -> Path:
    """Draw a QR symbol as the phone shows it: level M, quiet zone of 4 modules."""
    qr = segno.make_qr(text, error="m", boost_error=False)
    qr.save(str(path), scale=scale, border=border)
    return Path(path)


def qr_matrix(text: str, border: int = 4) -> np.ndarray[Any, Any]:
    """The symbol's modules as a 0/255 array (one pixel per module), for generating images."""
    qr = segno.make_qr(text, error="m", boost_error=False)
    rows = [list(row) for row in qr.matrix_iter(scale=1, border=border)]
    return np.where(np.array(rows, dtype=bool), 0, 255).astype(np.uint8)
