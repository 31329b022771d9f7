# Sourced by installer/build-numpy.sh and installer/build-opencv.sh (their first
# argument is WHEEL_DIR): goes to the repository, sets `out` (the wheel folder,
# absolute, made if missing) and `py` (the virtual environment's Python), and
# defines reuse_wheel.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:-build/wheels}
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ -x .venv/Scripts/python.exe ]; then py=.venv/Scripts/python.exe; else py=.venv/bin/python; fi

# reuse_wheel NAME VERSION STAMP OPTIONS: when WHEEL_DIR holds NAME-VERSION-*.whl and
# STAMP says it was built with OPTIONS, print its path and end the script (a second
# run builds nothing); otherwise remove NAME's old wheels and STAMP, to build anew.
reuse_wheel() {
    local name=$1 version=$2 stamp=$3 options=$4 wheel
    wheel=$(ls "$out"/"$name"-"$version"-*.whl 2>/dev/null | head -1 || true)
    if [ -n "$wheel" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$options" ]; then
        echo "$wheel"
        exit 0
    fi
    rm -f "$out"/"$name"-*.whl "$stamp"
}

# locked_version NAME: the version installer/bundle.lock pins NAME at (the first entry).
locked_version() {
    sed -n "s/^$1==\([^ ;]*\).*/\1/p" installer/bundle.lock | head -1
}

# check_locked_hash NAME FILE: FILE's SHA-256 must be one the lock lists for NAME.
check_locked_hash() {
    local name=$1 file=$2 sha
    sha=$(sha256sum "$file" | cut -d' ' -f1)
    awk -v n="$name" '/^[A-Za-z0-9]/ { on = index($0, n "==") == 1 } on' installer/bundle.lock \
        | grep -q "sha256:$sha" || {
        echo "$file: SHA-256 $sha is not in installer/bundle.lock for $name: refused" >&2
        rm -f "$file"
        exit 1
    }
}
