"""Camera source on a video file (the camera simulator) and the fake: sources."""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from drivers.base import SourceName
from drivers.camera import CameraSource
from drivers.errors import SourceNameError
from drivers.simulate import qr_frame, write_qr_video
from drivers.sources import open_source
from tests.drivers.conftest import Recorder

A = "MW1:6BFOXN*TS0BI$ZDFRH"
B = "MWP:NCFOXN*TS0BI$ZDYYY"


def test_video_camera_reports_each_code_once(tmp_path: Path, recorder: Recorder) -> None:
    video = write_qr_video(tmp_path / "cam.avi", [A, B], frames_per_code=4)
    with open_source(f"camera:{video}?fps=0", recorder.on_scan, recorder.on_state):
        recorder.wait_scans(2)
    # each code is in view for four frames: reported once
    assert recorder.texts == [A, B]
    assert recorder.state_names() == ["connected"]


def test_dedupe_window(recorder: Recorder) -> None:
    source = CameraSource(SourceName.parse("camera:0?dedupe=3"), recorder.on_scan, recorder.on_state)
    from decoding.qrimage import read_qr_texts

    frame = qr_frame(A)
    assert source.handle_frame(frame, read_qr_texts) == [A]
    assert source.handle_frame(frame, read_qr_texts) == []  # still in view
    source._seen[A] -= 10  # ten seconds later
    assert source.handle_frame(frame, read_qr_texts) == [A]
    assert recorder.texts == [A, A]


def test_missing_camera_file_waits(tmp_path: Path, recorder: Recorder) -> None:
    with open_source(f"camera:{tmp_path / 'none.avi'}", recorder.on_scan, recorder.on_state):
        recorder.wait_state("waiting")


def test_unreadable_video_file_says_so(tmp_path: Path, recorder: Recorder) -> None:
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"not a video" * 100)
    with open_source(f"camera:{video}", recorder.on_scan, recorder.on_state):
        recorder.wait_state("waiting")
    first = recorder.states[0]
    assert "동영상을 열 수 없습니다" in first.reason_ko and "MJPEG AVI" in first.reason_en


def test_camera_unplug_replug_no_scan_lost_or_doubled(tmp_path: Path, recorder: Recorder) -> None:
    # a camera "unplugged" is a stream that ends; it is reopened about once a second
    video = tmp_path / "cam.avi"
    write_qr_video(video, [A], frames_per_code=3)
    with open_source(f"camera:{video}?fps=0", recorder.on_scan, recorder.on_state):
        recorder.wait_scans(1)
        video.unlink()
        recorder.wait_state("waiting")
        write_qr_video(video, [B], frames_per_code=3)
        recorder.wait_state("connected", count=2)
        recorder.wait_scans(2)
    assert recorder.texts == [A, B]


def test_fake_text_file(tmp_path: Path, recorder: Recorder) -> None:
    scans = tmp_path / "scans.txt"
    scans.write_text(f"# recorded at counter 1\n{A}\n\n{B}\n", encoding="utf-8")
    with open_source(f"fake:{scans}?interval=0&delay=0", recorder.on_scan, recorder.on_state):
        recorder.wait_scans(2)
    assert recorder.texts == [A, B]
    assert recorder.state_names() == ["connected"]


def test_fake_images_folder(tmp_path: Path, recorder: Recorder) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    cv2.imwrite(str(folder / "1.png"), qr_frame(A))
    cv2.imwrite(str(folder / "2.png"), qr_frame(B))
    with open_source(f"fake:{folder}?interval=0&delay=0", recorder.on_scan, recorder.on_state):
        recorder.wait_scans(2)
    assert recorder.texts == [A, B]


def test_fake_video_plays_once(tmp_path: Path, recorder: Recorder) -> None:
    video = write_qr_video(tmp_path / "clip.avi", [A, B])
    source = open_source(f"fake:{video}?fps=0", recorder.on_scan, recorder.on_state)
    assert isinstance(source, CameraSource) and source.once
    with source:
        recorder.wait_scans(2)
    assert recorder.texts == [A, B]


def test_fake_unknown_name_is_an_error_state(recorder: Recorder) -> None:
    with open_source("fake:no-such-recording", recorder.on_scan, recorder.on_state):
        recorder.wait_state("error")
    assert "no recording" in recorder.states[-1].reason_en


@pytest.mark.parametrize("name", ["usb:1", "serial:", "hid:zz:1", "camera:", "fake:"])
def test_bad_names(name: str, recorder: Recorder) -> None:
    with pytest.raises(SourceNameError) as info:
        open_source(name, recorder.on_scan, recorder.on_state)
    assert "스캐너 이름" in info.value.message_ko


def test_pyzbar_fallback_at_most_once_a_second(recorder: Recorder) -> None:
    source = CameraSource(SourceName.parse("camera:0"), recorder.on_scan, recorder.on_state)
    calls: list[bool] = []

    def reader(frame: object, *, fallback: bool) -> list[str]:
        calls.append(fallback)
        return []

    for _ in range(5):
        source.handle_frame(None, reader)
    assert calls == [True, False, False, False, False]
    source._last_fallback -= 1.5  # a second and a half later
    source.handle_frame(None, reader)
    assert calls[-1] is True
