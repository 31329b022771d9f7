#!/usr/bin/env bash
# Build the NumPy the bundle ships: PyPI's source distribution built without
# BLAS/LAPACK (the program does no linear algebra: image arrays only), so the
# bundle carries no OpenBLAS (25 MB) nor libgfortran. SIMD kernels are built
# for the baseline (x86-64-v2) and x86-64-v3 (AVX2) only.
#
#   installer/build-numpy.sh [WHEEL_DIR]     (default build/wheels)
#   NUMPY_CONFIGURE_ONLY=1 installer/build-numpy.sh   the part that fails fast (CI): the
#       locked source archive, its hash, and Meson's configure step with these options
#
# Prints the path of the wheel; kept in WHEEL_DIR with a stamp of the version
# and options, so a second run builds nothing. The tests' virtual environment
# keeps PyPI's wheel; only installer/build.sh installs this one. The libraries
# are stripped in the bundle (installer/strip_bundle.py).
set -euo pipefail
source "$(dirname "$0")/wheel-cache.sh"
version=$(locked_version numpy)
[ -n "$version" ] || { echo "installer/bundle.lock pins no numpy" >&2; exit 1; }

opts=(-Csetup-args=-Dblas=none -Csetup-args=-Dlapack=none -Csetup-args=-Dallow-noblas=true
      "-Csetup-args=-Dcpu-dispatch=X86_V3" -Ccompile-args=-j2 -Csetup-args=-Dbuildtype=release -Csetup-args=-Db_ndebug=if-release)
stamp="$out/numpy-$version.options"
[ -n "${NUMPY_CONFIGURE_ONLY:-}" ] || reuse_wheel numpy "$version" "$stamp" "${opts[*]}"
mkdir -p build/numpy
if [ -n "${NUMPY_CONFIGURE_ONLY:-}" ]; then
    sdist=build/numpy/numpy-$version.tar.gz
    if [ ! -f "$sdist" ]; then
        # Not pip download: it would build NumPy to learn its metadata.
        "$py" - "$version" "$sdist" <<'PY'
import json, sys, urllib.request
version, dest = sys.argv[1], sys.argv[2]
req = urllib.request.Request("https://pypi.org/simple/numpy/",
                             headers={"Accept": "application/vnd.pypi.simple.v1+json"})
files = json.load(urllib.request.urlopen(req, timeout=60))["files"]
url = next(f["url"] for f in files if f["filename"] == f"numpy-{version}.tar.gz")
urllib.request.urlretrieve(url, dest)
PY
    fi
    check_locked_hash numpy "$sdist"
    tree=build/numpy/src-$version
    [ -f "$tree/pyproject.toml" ] || { rm -rf "$tree"; mkdir -p "$tree"; tar xzf "$sdist" -C "$tree" --strip-components=1; }
    # NumPy's own build requirements, as its pyproject.toml names them, in a tools venv.
    tools=build/numpy/tools
    [ -x "$tools/bin/python" ] || [ -x "$tools/Scripts/python.exe" ] || "$py" -m venv "$tools"
    if [ -x "$tools/Scripts/python.exe" ]; then tpy=$tools/Scripts/python.exe; else tpy=$tools/bin/python; fi
    "$tpy" - "$tree/pyproject.toml" <<'PY' >build/numpy/build-requires.txt
import sys, tomllib
print("\n".join(tomllib.load(open(sys.argv[1], "rb"))["build-system"]["requires"]))
PY
    "$tpy" -m pip install -q -r build/numpy/build-requires.txt ninja
    conf=build/numpy/configure-$version
    rm -rf "$conf"
    start=$(date +%s)
    setup=()
    for o in "${opts[@]}"; do case "$o" in -Csetup-args=*) setup+=("${o#-Csetup-args=}") ;; esac; done
    PATH="$(cd "$(dirname "$tpy")" && pwd):$PATH" nice -n 10 "$tpy" "$tree/vendored-meson/meson/meson.py" setup \
        "${setup[@]}" "$conf" "$tree" >build/numpy/configure.log 2>&1 \
        || { tail -30 build/numpy/configure.log >&2; echo "NumPy $version: Meson configure failed" >&2; exit 1; }
    grep -iE 'blas|lapack' build/numpy/configure.log | tail -3 >&2 || true
    echo "NumPy $version: Meson configured in $(( $(date +%s) - start )) s" >&2
    exit 0
fi
echo "building NumPy $version without BLAS for the bundle (log: build/numpy/build.log)" >&2
start=$(date +%s)
# Only the locked source archive, checked against its hash (--require-hashes).
awk -v v="numpy==$version" '/^[A-Za-z0-9]/ { on = index($0, v) == 1 } on' installer/bundle.lock \
    >build/numpy/lock.txt
nice -n 10 "$py" -m pip wheel -v --no-deps --no-binary numpy --require-hashes "${opts[@]}" -w "$out" -r build/numpy/lock.txt \
    >build/numpy/build.log 2>&1 \
    || { tail -40 build/numpy/build.log >&2; echo "NumPy build failed: build/numpy/build.log" >&2; exit 1; }
echo "${opts[*]}" >"$stamp"
echo "NumPy built in $(( ($(date +%s) - start) / 60 )) min" >&2
ls "$out"/numpy-"$version"-*.whl
