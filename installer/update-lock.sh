#!/usr/bin/env bash
# Update the bundle's lock on purpose: installer/bundle.lock, every package the
# bundle installs at one version with the SHA-256 of each of its wheels and of
# its source archive, for Linux and Windows at once (uv pip compile --universal,
# the pip-compile format). installer/build.sh installs from it with
# --require-hashes, so a new upstream release can neither break nor silently
# change a bundle: it arrives only through this command and a reviewed commit.
#
#   installer/update-lock.sh                 re-resolve within pyproject.toml + bundle-pins.in
#   installer/update-lock.sh --upgrade-package numpy   (any uv pip compile option)
#
# Then run `bash installer/build.sh` (size budget and smoke test) before committing
# the new lock: that is what shows an upgrade is fit to ship.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=build/lock-venv
if [ -x "$tool/Scripts/python.exe" ]; then tbin=$tool/Scripts; else tbin=$tool/bin; fi
if [ ! -x "$tbin/uv" ] && [ ! -x "$tbin/uv.exe" ]; then
    python3 -m venv "$tool" 2>/dev/null || python -m venv "$tool"
    if [ -x "$tool/Scripts/python.exe" ]; then tbin=$tool/Scripts; else tbin=$tool/bin; fi
    "$tbin/python" -m pip install -q "uv==0.13.10"
fi
"$tbin/uv" pip compile --universal --python-version 3.11 --generate-hashes --quiet \
    --extra installer --extra postgres --no-emit-package counter-app \
    --custom-compile-command "installer/update-lock.sh" \
    "$@" pyproject.toml installer/bundle-pins.in -o installer/bundle.lock
grep -c '^[A-Za-z0-9]' installer/bundle.lock | xargs echo "installer/bundle.lock: packages:"
echo "now: bash installer/build.sh (size budget and smoke test), then commit the lock"
