#!/usr/bin/env bash
# Build the OpenCV the bundle ships: opencv-python-headless from PyPI's source
# distribution, with only the modules the program uses (core, imgproc,
# imgcodecs, videoio and the Python binding) and none of the optional libraries
# PyPI's wheel links (FFmpeg, OpenBLAS/LAPACK, AVIF, OpenEXR, WebP, OpenJPEG...).
# Cameras: V4L2 on Linux, Media Foundation / DirectShow on Windows. Video files:
# OpenCV's own MJPEG AVI reader and writer (the demo's simulated camera and
# `camera:/path/video.avi` are MJPG AVI).
#
#   installer/build-opencv.sh [WHEEL_DIR]     (default build/wheels)
#   OPENCV_CONFIGURE_ONLY=1 installer/build-opencv.sh   the parts that fail fast (CI):
#       the locked source archive, its hash, the typing patch and CMake's configure step
#
# Prints the path of the wheel. The wheel is kept in WHEEL_DIR with a stamp of
# the version and options it was built with: a second run with the same ones
# builds nothing. The tests' virtual environment keeps PyPI's wheel; only
# installer/build.sh installs this one (into the bundle's own environment).
# It compiles for a long time (about 25 minutes of CPU): it runs under nice
# with 2 jobs (CMAKE_BUILD_PARALLEL_LEVEL overrides).
set -euo pipefail
source "$(dirname "$0")/wheel-cache.sh"
# The version installer/bundle.lock pins (installer/bundle-pins.in says why).
version=$(locked_version opencv-python-headless)
[ -n "$version" ] || { echo "installer/bundle.lock pins no opencv-python-headless" >&2; exit 1; }

common=(
    -DBUILD_LIST=core,imgproc,imgcodecs,videoio,python3
    -DPYTHON3_LIMITED_API=ON
    -DWITH_FFMPEG=OFF -DWITH_GSTREAMER=OFF -DWITH_LAPACK=OFF -DWITH_EIGEN=OFF
    -DWITH_IPP=OFF -DWITH_ITT=OFF -DWITH_OPENCL=OFF -DWITH_VA=OFF -DWITH_VA_INTEL=OFF
    -DWITH_TBB=OFF -DWITH_OPENMP=OFF -DWITH_PROTOBUF=OFF -DWITH_FLATBUFFERS=OFF
    -DWITH_AVIF=OFF -DWITH_WEBP=OFF -DWITH_OPENEXR=OFF -DBUILD_OPENEXR=OFF
    -DWITH_OPENJPEG=OFF -DWITH_JASPER=OFF -DWITH_JPEGXL=OFF -DWITH_SPNG=OFF
    -DWITH_GDAL=OFF -DWITH_GDCM=OFF -DWITH_IMGCODEC_HDR=OFF -DWITH_IMGCODEC_PFM=OFF
    -DWITH_IMGCODEC_SUNRASTER=OFF -DWITH_IMGCODEC_GIF=OFF -DWITH_UNIFONT=OFF
    -DWITH_JPEG=ON -DBUILD_JPEG=ON -DWITH_PNG=ON -DBUILD_PNG=ON -DBUILD_ZLIB=ON
    -DWITH_TIFF=ON -DBUILD_TIFF=ON
    -DWITH_1394=OFF -DWITH_OBSENSOR=OFF -DWITH_VTK=OFF -DWITH_QT=OFF -DWITH_GTK=OFF
    -DWITH_OPENGL=OFF -DWITH_VULKAN=OFF -DWITH_CAROTENE=OFF -DWITH_KLEIDICV=OFF
    -DWITH_ONNXRUNTIME=OFF -DWITH_OPENVINO=OFF -DWITH_CUDA=OFF
    -DCPU_DISPATCH=AVX2 -DENABLE_PRECOMPILED_HEADERS=OFF
    -DBUILD_TESTS=OFF -DBUILD_PERF_TESTS=OFF -DBUILD_EXAMPLES=OFF -DBUILD_opencv_apps=OFF
    -DOPENCV_GENERATE_PKGCONFIG=OFF -DCMAKE_BUILD_TYPE=Release
)
case "$(uname -s)" in
    MINGW*|MSYS*|CYGWIN*) platform=(-DWITH_MSMF=ON -DWITH_DSHOW=ON -DWITH_V4L=OFF -DWITH_WIN32UI=OFF) ;;
    *) platform=(-DWITH_V4L=ON -DCMAKE_SHARED_LINKER_FLAGS=-s) ;;
esac
args="${common[*]} ${platform[*]}"
stamp="$out/opencv-python-headless-$version.options"
[ -n "${OPENCV_CONFIGURE_ONLY:-}" ] || reuse_wheel opencv_python_headless "$version" "$stamp" "$args"

src=build/opencv
mkdir -p "$src"
sdist="$src/opencv_python_headless-$version.tar.gz"
if [ ! -f "$sdist" ]; then
    # pip download would build the package's metadata (that is, OpenCV) just to
    # name it: fetch the source distribution PyPI lists instead.
    "$py" - "$version" "$sdist" <<'PY'
import json, sys, urllib.request
version, dest = sys.argv[1], sys.argv[2]
req = urllib.request.Request("https://pypi.org/simple/opencv-python-headless/",
                             headers={"Accept": "application/vnd.pypi.simple.v1+json"})
files = json.load(urllib.request.urlopen(req, timeout=60))["files"]
name = f"opencv_python_headless-{version}.tar.gz"
url = next(f["url"] for f in files if f["filename"] == name)
urllib.request.urlretrieve(url, dest)
PY
fi
check_locked_hash opencv-python-headless "$sdist"

# Built in a kept source tree (build/opencv/src-VERSION), not pip's temporary
# copy: a failure after compiling costs a re-run of the last steps, not the build.
tree="$src/src-$version"
if [ ! -f "$tree/setup.py" ]; then
    rm -rf "$tree" && mkdir -p "$tree"
    tar xzf "$sdist" -C "$tree" --strip-components=1
    # The typing stubs (py.typed, cv2/typing) are generated from every module's
    # API and fail without the modules left out ("Feature2D is not registered");
    # a bundle has no use for them, so the package does not ask for them.
    sed -i -e 's|\[ r"python/cv2/py.typed" \] if sys.version_info >= (3, 6) else \[\]|[]|' \
        -e 's|^\( *\)rearrange_cmake_output_data\["cv2.typing"\] = .*|\1pass|' "$tree/setup.py"
    grep -q 'py.typed' "$tree/setup.py" && { echo "setup.py of OpenCV $version: typing patch did not apply" >&2; exit 1; }
fi
# OpenCV 5.x installs the stubs from its own CMake script as well; the build would
# stop there after half an hour of compiling (5.1.0.95). Say so now instead.
if grep -qs 'py.typed' "$tree/cmake/package/install_package.cmake"; then
    echo "OpenCV $version installs cv2/py.typed from cmake/package/install_package.cmake: the" \
         "typing patch does not cover it. Keep the version in installer/bundle-pins.in, or extend" \
         "the patch first." >&2
    exit 1
fi
if [ -n "${OPENCV_CONFIGURE_ONLY:-}" ]; then
    conf=$src/configure-$version
    rm -rf "$conf"
    start=$(date +%s)
    nice -n 10 cmake -S "$tree/opencv" -B "$conf" $args -DBUILD_opencv_python3=ON \
        -DPYTHON3_EXECUTABLE="$(command -v python3)" >"$src/configure.log" 2>&1 \
        || { tail -30 "$src/configure.log" >&2; echo "OpenCV $version: CMake configure failed" >&2; exit 1; }
    grep -E '^--   (To be built|Disabled):' "$src/configure.log" >&2 || true
    echo "OpenCV $version: source patched, CMake configured in $(( $(date +%s) - start )) s" >&2
    exit 0
fi

echo "building OpenCV $version for the bundle (log: $src/build.log)" >&2
start=$(date +%s)
# setup.py reads ENABLE_HEADLESS/ENABLE_CONTRIB; scikit-build passes CMAKE_ARGS to CMake.
ENABLE_HEADLESS=1 ENABLE_CONTRIB=0 ENABLE_JAVA=0 \
CMAKE_ARGS="$args" CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2} \
    nice -n 10 "$py" -m pip wheel -v --no-deps --no-binary opencv-python-headless \
    -w "$out" "$tree" >"$src/build.log" 2>&1 \
    || { tail -40 "$src/build.log" >&2; echo "OpenCV build failed: $src/build.log" >&2; exit 1; }
echo "$args" >"$stamp"
echo "OpenCV built in $(( ($(date +%s) - start) / 60 )) min" >&2
ls "$out"/opencv_python_headless-"$version"-*.whl
