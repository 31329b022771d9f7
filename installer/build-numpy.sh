#!/usr/bin/env bash
# Build the NumPy the bundle ships: PyPI's source distribution built without
# BLAS/LAPACK (the program does no linear algebra: image arrays only), so the
# bundle carries no OpenBLAS (25 MB) nor libgfortran. SIMD kernels are built
# for the baseline (x86-64-v2) and x86-64-v3 (AVX2) only.
#
#   installer/build-numpy.sh [WHEEL_DIR]     (default build/wheels)
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
reuse_wheel numpy "$version" "$stamp" "${opts[*]}"
mkdir -p build/numpy
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
