"""Benchmark: the device paths the clerk waits on.

    .venv/bin/python -m bench.drivers [--rounds N]

Prints, as median and 95th percentile:

* camera: a 1920x1080 frame to QR text, through the camera source's own
  frame handler (the code the camera thread runs); target <= 30 ms; and,
  for information, a frame with no QR (read_qr_texts also tries pyzbar then);
* serial: the scanner's end-of-payload byte to the on_scan callback, over a
  real pty and the real serial source thread; target <= 5 ms;
* seal: extracting an impression from a 1280x960 and a 1920x1080 photo;
  target <= 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from decoding.qrimage import qr_matrix, read_qr_texts
from drivers.base import DeviceState, Scan, SourceName
from drivers.camera import CameraSource
from drivers.seal import extract_seal
from drivers.serial_source import SerialSource
from drivers.simulate import seal_impression

# a payload of typical size (one QR symbol of ~600 characters)
PAYLOAD = "MW1:" + "6BFOXN*TS0BI$ZDFRH NCF/:Q.-+%" * 20


def _report(name: str, samples_ms: list[float], target_ms: float) -> None:
    ordered = sorted(samples_ms)
    median = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    verdict = "ok" if p95 <= target_ms else "OVER TARGET"
    print(
        f"{name:<44} median {median:7.2f} ms   p95 {p95:7.2f} ms   "
        f"target <= {target_ms:g} ms  {verdict}"
    )


def _time(fn: Callable[[], Any], rounds: int) -> list[float]:
    fn()  # warm up (imports, allocations)
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def camera_frame(rng: np.random.Generator) -> np.ndarray[Any, Any]:
    """A 1080p photo-like frame: a phone screen with the QR on a textured desk."""
    frame = rng.normal(110, 18, (1080, 1920, 3)).clip(0, 255).astype(np.uint8)
    frame = cv2.GaussianBlur(frame, (7, 7), 0)
    symbol = qr_matrix(PAYLOAD)
    module = 560 // symbol.shape[0]
    big = cv2.resize(symbol, None, fx=module, fy=module, interpolation=cv2.INTER_NEAREST)
    y, x = 220, 700
    frame[y : y + big.shape[0], x : x + big.shape[1]] = big[..., None]
    frame = cv2.GaussianBlur(frame, (3, 3), 0)
    noisy = frame.astype(np.int16) + rng.normal(0, 4, frame.shape).astype(np.int16)
    return noisy.clip(0, 255).astype(np.uint8)


def bench_camera(rounds: int) -> None:
    rng = np.random.default_rng(1)
    frame = camera_frame(rng)
    # the same desk with nothing on it: read_qr_texts then also tries its pyzbar fallback
    empty = cv2.GaussianBlur(
        rng.normal(110, 18, (1080, 1920, 3)).clip(0, 255).astype(np.uint8), (7, 7), 0
    )
    found: list[str] = []
    source = CameraSource(
        SourceName.parse("camera:0?dedupe=0"), lambda s: found.append(s.text), lambda s: None
    )
    assert read_qr_texts(frame) == [PAYLOAD], "the bench frame must decode"
    with_qr = _time(lambda: source.handle_frame(frame, read_qr_texts), rounds)
    _report("camera 1920x1080 frame -> text", with_qr, 30)
    without = _time(lambda: source.handle_frame(empty, read_qr_texts), rounds)
    # no target: this bounds how many idle frames a second the camera thread looks at
    median = statistics.median(without)
    print(f"{'camera 1920x1080 frame, no QR in view':<44} median {median:7.2f} ms   "
          f"(info: {1000 / median:.0f} idle frames/s per camera)")
    assert found and found[-1] == PAYLOAD


def bench_serial(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        master, slave = os.openpty()
        link = Path(tmp) / "ttyBench"
        link.symlink_to(os.ttyname(slave))
        os.close(slave)
        arrived = threading.Event()
        stamps: list[float] = []
        connected = threading.Event()

        def on_scan(scan: Scan) -> None:
            stamps.append(time.perf_counter())
            arrived.set()

        def on_state(state: DeviceState) -> None:
            if state.state == "connected":
                connected.set()

        source = SerialSource(SourceName.parse(f"serial:{link}?baud=115200"), on_scan, on_state)
        samples = []
        with source:
            if not connected.wait(5):
                raise RuntimeError("the pty did not open")
            for _ in range(rounds + 1):
                arrived.clear()
                os.write(master, PAYLOAD.encode())
                time.sleep(0.01)  # the body is in; time only the terminator's way
                start = time.perf_counter()
                os.write(master, b"\r")
                if not arrived.wait(5):
                    raise RuntimeError("no scan arrived")
                samples.append((stamps[-1] - start) * 1000)
        os.close(master)
    _report(f"serial end-of-payload -> on_scan ({len(PAYLOAD)} chars)", samples[1:], 5)


def bench_seal(rounds: int) -> None:
    for size in ((1280, 960), (1920, 1080)):
        photo = seal_impression("clear", size=size, seed=4)
        samples = _time(lambda p=photo: extract_seal(p), rounds)
        _report(f"seal extraction {size[0]}x{size[1]}", samples, 50)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    print(f"bench.drivers: {args.rounds} rounds each, OpenCV {cv2.__version__}, "
          f"{os.cpu_count()} CPUs")
    bench_camera(args.rounds)
    bench_serial(args.rounds)
    bench_seal(args.rounds)


if __name__ == "__main__":
    main()
