"""``fake:`` scanners: replaying recorded QR texts, images or a video.

``fake:/path/scans.txt`` sends each line (blank lines and ``#`` comments
skipped), ``fake:/path/code.png`` or a folder sends the QR texts read from
the image(s), ``fake:/path/clip.avi`` plays the video through the camera
source once. ``fake:NAME`` (no slash) looks in ``resources/demo/`` for
``NAME.txt``, ``NAME.avi`` or a folder ``NAME``. Options: ``interval``
seconds between scans (default 0.5), ``delay`` before the first (default
0.2, so the window is ready), ``loop=1`` to repeat.

The images go through the same ``read_qr_texts`` as the camera frames, and
the scans through the same callbacks as every other source.
"""

from __future__ import annotations

from pathlib import Path

from decoding.limits import TEXT_BYTES, read_bounded
from drivers.base import Connection, ScanCallback, ScanSource, SourceName, StateCallback
from drivers.files import IMAGE_SUFFIXES

VIDEO_SUFFIXES = {".avi", ".mp4", ".mkv", ".mov", ".webm"}


def demo_dir() -> Path:
    from resources import RESOURCES

    return RESOURCES / "demo"


def resolve_fake(target: str) -> Path | None:
    """The file or folder a ``fake:`` name stands for, or None."""
    path = Path(target).expanduser()
    if path.exists():
        return path
    if "/" in target or "\\" in target:
        return None
    base = demo_dir()
    for candidate in (base / f"{target}.txt", base / f"{target}.avi", base / target):
        if candidate.exists():
            return candidate
    return None


def read_scan_file(path: Path) -> list[str]:
    lines = read_bounded(path, TEXT_BYTES).decode("utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


class FakeSource(ScanSource):
    """Replays a text file or images on thread ``scanner fake:...``."""

    def __init__(self, name: SourceName, on_scan: ScanCallback, on_state: StateCallback) -> None:
        super().__init__(name.text, on_scan, on_state)
        self.path = resolve_fake(name.target)
        self.interval = name.float_option("interval", 0.5)
        self.delay = name.float_option("delay", 0.2)
        self.loop = name.options.get("loop", "0") not in ("0", "", "no", "false")
        self.target = name.target

    def _texts(self) -> list[str]:
        assert self.path is not None
        from decoding.qrimage import read_qr_texts

        if self.path.is_dir():
            files = sorted(p for p in self.path.iterdir() if p.is_file())
        else:
            files = [self.path]
        texts: list[str] = []
        for file in files:
            if file.suffix.lower() == ".txt":
                texts.extend(read_scan_file(file))
            elif file.suffix.lower() in IMAGE_SUFFIXES:
                texts.extend(read_qr_texts(file))
        return texts

    def _run(self) -> None:
        if self.path is None:
            self._set_state(
                Connection.ERROR,
                f"가상 스캐너 자료가 없습니다: {self.target}",
                f"no recording for the fake scanner: {self.target}",
            )
            return
        try:
            texts = self._texts()
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            self._set_state(
                Connection.ERROR,
                f"가상 스캐너 자료를 읽을 수 없습니다: {exc}",
                f"cannot read the recording: {exc}",
            )
            return
        self._set_state(Connection.CONNECTED)
        if self._sleep(self.delay):
            return
        while True:
            for n, text in enumerate(texts):
                if n and self._sleep(self.interval):
                    return
                self._emit_scan(text)
            if not self.loop or not texts or self._sleep(self.interval):
                break
        self._stopping.wait()  # replayed: stay "connected" and idle until stop()
