"""The short alert played with a rejected scan.

QtMultimedia is not part of PySide6-Essentials, so the sound is a WAV made
with the standard library (:func:`alert_wav`) and played by the platform's
own player (``winsound`` on Windows, ``aplay``/``paplay``/``afplay``
elsewhere) in the background; with none available, ``QApplication.beep()``.
"""

from __future__ import annotations

import math
import shutil
import struct
import subprocess
import sys
import wave
from pathlib import Path

from PySide6.QtWidgets import QApplication

RATE = 22050


def alert_wav(path: Path) -> Path:
    """Two falling tones (880 Hz then 660 Hz, 0.12 s each): noticeable, not shrill."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = bytearray()
    for freq in (880.0, 660.0):
        n = int(RATE * 0.12)
        for i in range(n):
            fade = min(1.0, i / 200, (n - i) / 200)
            frames += struct.pack("<h", int(12000 * fade * math.sin(2 * math.pi * freq * i / RATE)))
    tmp = path.with_suffix(".tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(frames))
    tmp.replace(path)
    return path


class Alert:
    """Plays the alert without blocking the window; ``enabled=False`` in tests and screenshots."""

    def __init__(self, folder: Path, enabled: bool = True) -> None:
        self.enabled = enabled
        self.path = alert_wav(folder / "alert.wav")
        self.played = 0
        self._proc: subprocess.Popen[bytes] | None = None

    def play(self) -> None:
        self.played += 1
        if not self.enabled:
            return
        if sys.platform == "win32":
            import winsound

            winsound.PlaySound(str(self.path), winsound.SND_FILENAME | winsound.SND_ASYNC)
            return
        for player in ("paplay", "aplay", "afplay"):
            exe = shutil.which(player)
            if exe:
                if self._proc is not None and self._proc.poll() is None:
                    return
                args = [exe, "-q", str(self.path)] if player == "aplay" else [exe, str(self.path)]
                self._proc = subprocess.Popen(
                    args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
                return
        QApplication.beep()

    def close(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            self._proc.wait(2)
