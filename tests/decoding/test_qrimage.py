from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from decoding import qrimage
from decoding.qrimage import ImageReadError, qr_matrix, qr_png, read_qr_texts

TEXT = "MW1:" + "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:" * 12


def degraded(text: str) -> np.ndarray:
    module = qr_matrix(text)
    img = cv2.resize(module, None, fx=4, fy=4, interpolation=cv2.INTER_NEAREST)
    img = cv2.copyMakeBorder(img, 200, 200, 300, 300, cv2.BORDER_CONSTANT, value=120)
    h, w = img.shape
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), 11, 1.0)
    img = cv2.warpAffine(img, rot, (w, h), borderValue=120)
    img = cv2.GaussianBlur(img, (5, 5), 1.0)
    rng = np.random.default_rng(1)
    return np.clip(img + rng.normal(0, 10, img.shape), 0, 255).astype(np.uint8)


def test_reads_a_degraded_photo() -> None:
    assert read_qr_texts(degraded(TEXT)) == [TEXT]


def test_reads_colour_images_and_files(tmp_path: Path) -> None:
    path = qr_png(TEXT, tmp_path / "qr.png")
    assert read_qr_texts(path) == [TEXT]
    bgr = cv2.cvtColor(degraded(TEXT), cv2.COLOR_GRAY2BGR)
    assert read_qr_texts(bgr) == [TEXT]


def test_no_qr_gives_an_empty_list() -> None:
    assert read_qr_texts(np.full((480, 640), 200, np.uint8)) == []


def test_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not an image")
    with pytest.raises(ImageReadError):
        read_qr_texts(bad)
    with pytest.raises(ImageReadError):
        read_qr_texts(tmp_path / "missing.png")


def test_pyzbar_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    if qrimage._pyzbar is None:
        pytest.fail("pyzbar is not usable: install Debian's libzbar0 (./dev test does)")
    monkeypatch.setattr(qrimage, "zxingcpp", None)
    assert qrimage.available_readers() == ["pyzbar"]
    assert read_qr_texts(degraded(TEXT)) == [TEXT]
