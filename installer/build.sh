#!/usr/bin/env bash
# Build the one-folder bundle (dist/counter-app) and smoke-test it: the bundled
# program must decode the spec's first test vector and pass the demo's self-test
# (forms, font, migrations and the window all found inside the bundle).
#
# The bundle's size by component is printed and checked against the budget in
# installer/size-budget.toml: past it, the build fails. The build is heavy on
# the CPU: it runs under `nice`. Works in Git Bash on Windows as well (the
# virtual environment's Scripts\ folder, counter-app.exe).
set -euo pipefail
cd "$(dirname "$0")/.."
# The tests' environment (.venv, as ./dev makes it) runs the build's helpers and writes the
# smoke test's files with PyPI's OpenCV; on a fresh clone it is made here first.
if [ ! -x .venv/bin/python ] && [ ! -x .venv/Scripts/python.exe ]; then python3 -m venv .venv; fi
if [ -x .venv/Scripts/python.exe ]; then bin=.venv/Scripts; exe=.exe; else bin=.venv/bin; exe=; fi
"$bin/python" -c "import counter_app, cv2, cryptography" 2>/dev/null \
    || "$bin/python" -m pip install -q -e ".[test]"

# The bundle is built from its own virtual environment (build/bundle-venv) and
# from installer/bundle.lock only: every package at its locked version, each
# file checked against the lock's SHA-256 (--require-hashes), so an upstream
# release cannot change or break a bundle (installer/update-lock.sh updates the
# lock, on purpose). OpenCV (only the modules the program uses) and NumPy
# (without BLAS) are built here from their locked, hash-checked source archives
# once and kept in build/wheels (installer/build-opencv.sh, build-numpy.sh).
start=$(date +%s)
opencv=$(installer/build-opencv.sh build/wheels)
numpy=$(installer/build-numpy.sh build/wheels)
env=build/bundle-venv
[ -x "$env/bin/python" ] || [ -x "$env/Scripts/python.exe" ] || "$bin/python" -m venv "$env"
if [ -x "$env/Scripts/python.exe" ]; then ebin=$env/Scripts; else ebin=$env/bin; fi
awk '/^[A-Za-z0-9]/ { skip = 0 } /^(numpy|opencv-python-headless)==/ { skip = 1 } !skip' \
    installer/bundle.lock >build/bundle-lock-pypi.txt
"$ebin/python" -m pip install -q --require-hashes --no-deps -r build/bundle-lock-pypi.txt
"$ebin/python" -m pip install -q --no-deps --force-reinstall "$numpy" "$opencv"
"$ebin/python" -m pip install -q --no-deps --no-build-isolation -e .
"$ebin/python" -m pip check
"$ebin/python" - <<'PY'
import cv2, numpy
config = numpy.show_config(mode="dicts")["Build Dependencies"]
reg = cv2.videoio_registry
backends = [reg.getBackendName(b) for b in reg.getBackends() if reg.isBackendBuiltIn(b)]
print(f"bundle environment: OpenCV {cv2.__version__} (video: {', '.join(backends)}), "
      f"NumPy {numpy.__version__} (BLAS: {config['blas'].get('name', 'none')})")
PY
# The Windows executables are signed before their hashes are listed (installer/windows/sign.sh).
nice -n 10 "$ebin/pyinstaller" --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller installer/counter-app.spec
bundle=dist/counter-app/counter-app$exe
if [ -z "$exe" ]; then
    "$bin/python" installer/strip_bundle.py dist/counter-app
    "$bin/python" installer/trim_icu.py dist/counter-app
fi
if [ -n "$exe" ]; then bash installer/windows/sign.sh dist/counter-app/counter-app.exe dist/counter-app/counter-window.exe; fi
# The bundle's own file list with hashes, for `counter-app doctor` (the bundle's integrity).
"$bin/python" -m counter_app.integrity write dist/counter-app
"$bundle" --version
vectors=tests/vectors
if [ -f "$vectors/basic.json" ]; then
    "$bin/python" - "$vectors" <<'PY' | "$bundle" decode --key "$vectors/keys/test-p256-1.pem" --now 1764000000 -
import json, sys
print(json.load(open(sys.argv[1] + "/basic.json"))[0]["qr"])
PY
fi
"$bundle" forms list --json | "$bin/python" -c 'import json,sys; n=len(json.load(sys.stdin)); print(f"{n} forms in the bundle")'
QT_QPA_PLATFORM=offscreen COUNTER_APP_DATA="$(mktemp -d)" "$bundle" demo --self-test
# What the bundle's own OpenCV must still do, on files the tests' OpenCV (PyPI's)
# writes: read a QR from a rotated JPEG photo and a seal from a photo (imdecode,
# warps, contours), and play an MJPEG AVI as a camera (OpenCV's own AVI reader:
# the bundle has no FFmpeg).
smoke=$(mktemp -d)
"$bin/python" - "$smoke" "$vectors" <<'PY'
import json
import sys
from pathlib import Path

import cv2

from drivers.simulate import qr_frame, write_qr_video, write_seal_images

out, vectors = Path(sys.argv[1]), Path(sys.argv[2])
# The spec's first vector when the spec is beside the repository (then it must decode).
basic = vectors / "basic.json"
text = json.loads(basic.read_text())[0]["qr"] if basic.is_file() else "MW1:bundle smoke test"
frame = qr_frame(text)
turn = cv2.getRotationMatrix2D((frame.shape[1] / 2, frame.shape[0] / 2), 17, 0.9)
frame = cv2.warpAffine(frame, turn, (frame.shape[1], frame.shape[0]), borderValue=(200, 200, 200))
cv2.imwrite(str(out / "qr.jpg"), frame, [cv2.IMWRITE_JPEG_QUALITY, 80])
write_qr_video(out / "clip.avi", [text], frames_per_code=4)
write_seal_images(out / "seals")
(out / "expected.txt").write_text(text)
PY
if [ -f "$vectors/basic.json" ]; then
    "$bundle" decode --key "$vectors/keys/test-p256-1.pem" --now 1764000000 --image "$smoke/qr.jpg" \
        | grep -qF '"ok": true' || { echo "bundle: the QR in a photo did not decode (decode --image)" >&2; exit 1; }
fi
"$bundle" devices watch --count 1 --timeout 60 "camera:$smoke/clip.avi?fps=0" | grep -qF "\"$(cat "$smoke/expected.txt")\"" \
    || { echo "bundle: the MJPEG AVI camera gave no scan" >&2; exit 1; }
"$bundle" seal extract "$smoke/seals/seal-rotated.jpg" "$smoke/seal.png" >/dev/null \
    || { echo "bundle: seal extract failed on a photo" >&2; exit 1; }
echo "bundle OpenCV: QR from a photo, MJPEG AVI camera, seal from a photo: ok"
rm -rf "$smoke"
# Last: the size by component, failing the build past installer/size-budget.toml.
echo "Bundle size by component (MB = 10^6 bytes):"
"$bin/python" installer/size_report.py dist/counter-app
echo "bundle built from installer/bundle.lock in $(( ($(date +%s) - start) / 60 )) min"
