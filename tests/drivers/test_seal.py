"""Seal extraction on generated impressions: clear, faint, rotated, doubled, smeared, none."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers import simulate
from drivers.errors import DriverError
from drivers.seal import (
    OUTPUT_SIZE,
    SealDoubled,
    SealError,
    SealNotFound,
    SealSmeared,
    SealTooFaint,
    capture_seal,
    extract_seal,
    extract_seal_file,
)
from drivers.simulate import seal_impression


def _decode_png(data: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    assert image is not None
    return image


@pytest.mark.parametrize("shape", ["circle", "square"])
@pytest.mark.parametrize("vermilion", [False, True])
def test_clear_impression_becomes_a_transparent_png(shape: str, vermilion: bool) -> None:
    photo = seal_impression("clear", shape=shape, vermilion=vermilion, seed=3)
    seal = extract_seal(photo)
    assert seal.kind == "seal"
    rgba = _decode_png(seal.png)
    assert rgba.shape == (OUTPUT_SIZE, OUTPUT_SIZE, 4)
    alpha = rgba[..., 3]
    # the corners are paper: transparent; the ring is opaque ink
    assert alpha[:8, :8].max() == 0 and alpha[-8:, -8:].max() == 0
    assert (alpha > 200).mean() > 0.05
    b, g, r = seal.ink_bgr
    assert r > 150 and r - max(g, b) > 80  # red or vermilion, not paper
    # the crop is around the impression in the middle of the photo
    x, y, w, h = seal.bbox
    cx, cy = x + w / 2, y + h / 2
    assert abs(cx - photo.shape[1] / 2) < 20 and abs(cy - photo.shape[0] / 2) < 20


def test_rotated_square_seal_is_straightened() -> None:
    seal = extract_seal(seal_impression("rotated", shape="square", seed=1))
    assert abs(abs(seal.angle) - 30.0) < 3.0
    alpha = _decode_png(seal.png)[..., 3]
    ys, xs = np.nonzero(alpha > 128)
    # upright: the outline fills its bounding box (a 30-degree turn would leave corners empty)
    box = alpha[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1] > 128
    rows = box.any(axis=1)
    assert rows.all()
    assert box[:4].mean() > 0.8  # the top edge of the square is one straight ink line


def test_rotated_round_seal_is_extracted_as_it_is() -> None:
    seal = extract_seal(seal_impression("rotated", shape="circle", seed=2))
    assert seal.kind == "seal" and seal.angle == 0.0


@pytest.mark.parametrize(
    ("variant", "error", "ko"),
    [
        ("faint", SealTooFaint, "흐립니다"),
        ("doubled", SealDoubled, "2개"),
        ("smeared", SealSmeared, "번졌습니다"),
        ("none", SealNotFound, "찾지 못했습니다"),
    ],
)
@pytest.mark.parametrize("shape", ["circle", "square"])
def test_problems_are_named(variant: str, error: type[SealError], ko: str, shape: str) -> None:
    with pytest.raises(error) as info:
        extract_seal(seal_impression(variant, shape=shape, seed=5))  # type: ignore[arg-type]
    assert ko in info.value.message_ko
    assert info.value.message_en
    assert info.value.code == variant


def test_signature_in_dark_ink() -> None:
    seal = extract_seal(seal_impression("signature", seed=4))
    assert seal.kind == "signature"
    assert max(seal.ink_bgr) < 100


def test_strokes_without_a_korean_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(simulate, "_korean_font", lambda size: None)
    assert extract_seal(seal_impression("clear", seed=6)).kind == "seal"
    with pytest.raises(SealTooFaint):
        extract_seal(seal_impression("faint", seed=6))


def test_file_and_folder(tmp_path: Path) -> None:
    paths = simulate.write_seal_images(tmp_path / "도장")
    assert extract_seal_file(paths["clear"]).kind == "seal"
    with pytest.raises(SealDoubled):
        extract_seal_file(paths["doubled"])
    # a folder: its newest image
    paths["clear"].touch()
    newest = max(paths.values(), key=lambda p: p.stat().st_mtime_ns)
    assert newest == paths["clear"]
    assert extract_seal_file(tmp_path / "도장").kind == "seal"
    with pytest.raises(DriverError):
        extract_seal_file(tmp_path / "missing.jpg")
    (tmp_path / "broken.jpg").write_bytes(b"not an image")
    with pytest.raises(DriverError) as info:
        extract_seal_file(tmp_path / "broken.jpg")
    assert "열 수 없습니다" in info.value.message_ko


def test_capture_from_a_camera_video(tmp_path: Path) -> None:
    path = tmp_path / "sealcam.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (640, 480))
    frames = [seal_impression("none", size=(640, 480), seed=1)] * 2
    frames += [seal_impression("clear", size=(640, 480), seed=1)] * 3
    for frame in frames:
        writer.write(frame)
    writer.release()
    assert capture_seal(str(path), timeout=5).kind == "seal"


def test_capture_reports_the_last_problem(tmp_path: Path) -> None:
    path = tmp_path / "faintcam.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (640, 480))
    for _ in range(3):
        writer.write(seal_impression("faint", size=(640, 480), seed=2))
    writer.release()
    with pytest.raises(SealTooFaint):
        capture_seal(str(path), timeout=5)


def test_capture_saves_pngs_from_a_file_or_folder(tmp_path: Path) -> None:
    import os

    from drivers.seal import capture

    photos = simulate.write_seal_images(tmp_path / "in")
    first = capture(str(photos["clear"]), tmp_path / "out")
    assert first.suffix == ".png" and first.parent == tmp_path / "out"
    later = max(p.stat().st_mtime for p in photos.values()) + 10
    os.utime(photos["rotated"], (later, later))  # the scanner's newest image
    again = capture(f"folder:{tmp_path / 'in'}", tmp_path / "out")
    assert again != first and again.exists() and first.exists()
    with pytest.raises(SealTooFaint):
        capture(str(photos["faint"]), tmp_path / "out")


@pytest.mark.parametrize(
    ("variant", "expected"),
    [("clear", "seal"), ("rotated", "seal"), ("faint", "faint"), ("none", "none"),
     ("doubled", "doubled")],
)
def test_warm_lamp_and_jpeg(variant: str, expected: str) -> None:
    """A desk lamp turns the paper orange; the phone saves JPEG: the same answers."""
    photo = seal_impression(variant, seed=1, vermilion=True).astype(np.float32)  # type: ignore[arg-type]
    photo[..., 0] *= 0.72
    photo[..., 1] *= 0.88
    ok, data = cv2.imencode(".jpg", photo.clip(0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert ok
    image = cv2.imdecode(data, cv2.IMREAD_COLOR)
    try:
        got = extract_seal(image).kind
    except SealError as exc:
        got = exc.code
    assert got == expected
