"""Camera QR scanners (OpenCV headless): ``camera:N`` or ``camera:/path/video.avi``.

Frames are grabbed and decoded on the source's own thread (never the GUI
thread) with ``decoding.qrimage.read_qr_texts``. A code held under the camera
is seen in many frames: the same text is not reported again while it stays
in view, nor within ``dedupe`` seconds (default 3) of last being seen.

A video file is a camera: at its end the "camera" is gone and is reopened
like an unplugged one (so it plays in a loop). ``fps`` paces a file (its own
rate by default; ``fps=0`` as fast as it decodes). ``once`` (used by the
``fake:`` source) plays a file a single time and then stays idle.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from drivers.base import Connection, ScanCallback, ScanSource, SourceName, StateCallback

log = logging.getLogger(__name__)

RETRY_INTERVAL = 1.0


def camera_target(text: str) -> int | str:
    """``0`` is a camera index for OpenCV; anything else a video file (or stream URL)."""
    return int(text) if text.isdigit() else text


# How often a camera frame with no code found by zxing-cpp is also given to pyzbar.
FALLBACK_INTERVAL = 1.0


class CameraSource(ScanSource):
    """A camera or a video file read on thread ``scanner camera:...``."""

    def __init__(
        self,
        name: SourceName,
        on_scan: ScanCallback,
        on_state: StateCallback,
        once: bool = False,
    ) -> None:
        super().__init__(name.text, on_scan, on_state)
        self.target = camera_target(name.target)
        self.is_file = isinstance(self.target, str)
        self.once = once
        self.dedupe = name.float_option("dedupe", 3.0)
        self.fps: float | None = (
            name.float_option("fps", 0.0) if "fps" in name.options else None
        )
        self.width = int(name.float_option("width", 0))
        self.height = int(name.float_option("height", 0))
        self._seen: dict[str, float] = {}
        self._last_fallback = 0.0

    def _run(self) -> None:
        import cv2

        from decoding.qrimage import read_qr_texts

        while not self._stopping.is_set():
            cap = self._open(cv2)
            if cap is None:
                if self._sleep(RETRY_INTERVAL):
                    return
                continue
            try:
                finished = self._read_frames(cap, cv2, read_qr_texts)
            finally:
                cap.release()
            if finished and self.once:
                self._stopping.wait()  # played once: idle until stop()
                return
            if not self.is_file:
                self._set_state(Connection.DISCONNECTED, "카메라 연결이 끊겼습니다", "camera disconnected")
            if self._sleep(RETRY_INTERVAL):  # a file plays again, like a camera coming back
                return

    def _open(self, cv2: Any) -> Any:
        if self.is_file and not Path(str(self.target)).is_file():
            self._set_state(
                Connection.WAITING,
                f"동영상 파일이 없습니다: {self.target}",
                f"no such video file: {self.target}",
            )
            return None
        node = f"/dev/video{self.target}"
        if isinstance(self.target, int) and os.path.exists(node) and not os.access(node, os.R_OK):
            self._set_state(
                Connection.ERROR,
                f"카메라 접근 권한이 없습니다: {node} (video 그룹 확인)",
                f"permission denied on {node} (add the user to the video group)",
            )
            return None
        cap = cv2.VideoCapture(self.target)
        if not cap.isOpened() and self.is_file:
            cap.release()
            # The installer's OpenCV has no FFmpeg: it reads MJPEG AVI (what the
            # demo and write_qr_video make), not MP4/MKV/WebM.
            self._set_state(
                Connection.WAITING,
                f"동영상을 열 수 없습니다: {self.target} (손상되었거나 읽을 수 없는 형식: MJPEG AVI로 저장하세요)",
                f"cannot open video {self.target} (damaged or an unsupported format: save it as MJPEG AVI)",
            )
            return None
        if not cap.isOpened():
            cap.release()
            self._set_state(
                Connection.WAITING,
                f"카메라를 기다리는 중입니다 ({self.target})",
                f"waiting for camera {self.target} (not present, busy or no permission)",
            )
            return None
        if self.width and self.height:
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        if not self.is_file:
            cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # decode the newest frame, not a backlog
        self._set_state(Connection.CONNECTED)
        return cap

    def _read_frames(self, cap: Any, cv2: Any, read_qr_texts: Any) -> bool:
        """Decode frames until the stream ends (True) or stop() (False)."""
        fps = self.fps if self.fps is not None else (cap.get(cv2.CAP_PROP_FPS) or 0.0)
        interval = 1.0 / fps if self.is_file and fps > 0 else 0.0
        next_frame = time.monotonic()
        while not self._stopping.is_set():
            ok, frame = cap.read()
            if not ok or frame is None:
                return True
            self.handle_frame(frame, read_qr_texts)
            if interval:
                next_frame += interval
                delay = next_frame - time.monotonic()
                if delay > 0 and self._sleep(delay):
                    return False
        return False

    def handle_frame(self, frame: Any, read_qr_texts: Any) -> list[str]:
        """Decode one frame and report the texts not seen recently; returns them."""
        now = time.monotonic()
        new = []
        # pyzbar on a frame with no code costs more than a frame interval: at most once a second.
        fallback = now - self._last_fallback >= FALLBACK_INTERVAL
        texts = read_qr_texts(frame, fallback=fallback)
        if fallback and not texts:
            self._last_fallback = now
        for text in texts:
            last = self._seen.get(text)
            self._seen[text] = now
            if last is None or now - last >= self.dedupe:
                new.append(text)
                self._emit_scan(text)
        if len(self._seen) > 256:  # forget old sightings so a long session stays small
            self._seen = {t: s for t, s in self._seen.items() if now - s < self.dedupe}
        return new


def probe_cameras(limit: int = 4) -> list[int]:
    """Camera indexes that open (used by ``devices list``)."""
    import cv2

    found = []
    for index in range(limit):
        cap = cv2.VideoCapture(index)
        try:
            if cap.isOpened():
                found.append(index)
        finally:
            cap.release()
    return found
