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
if [ -x .venv/Scripts/python.exe ]; then bin=.venv/Scripts; exe=.exe; else bin=.venv/bin; exe=; fi
"$bin/python" -m pip install -q -e '.[installer]'
nice -n 10 "$bin/pyinstaller" --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller installer/counter-app.spec
bundle=dist/counter-app/counter-app$exe
[ -n "$exe" ] || "$bin/python" installer/strip_bundle.py dist/counter-app
# The bundle's own file list with hashes, for `counter-app doctor` (the bundle's integrity).
"$bin/python" -m counter_app.integrity write dist/counter-app
"$bundle" --version
vectors=../shared/spec/vectors
if [ -f "$vectors/basic.json" ]; then
    "$bin/python" - "$vectors" <<'PY' | "$bundle" decode --key "$vectors/keys/test-p256-1.pem" --now 1764000000 -
import json, sys
print(json.load(open(sys.argv[1] + "/basic.json"))[0]["qr"])
PY
fi
"$bundle" forms list --json | "$bin/python" -c 'import json,sys; n=len(json.load(sys.stdin)); print(f"{n} forms in the bundle")'
QT_QPA_PLATFORM=offscreen COUNTER_APP_DATA="$(mktemp -d)" "$bundle" demo --self-test
# Last: the size by component, failing the build past installer/size-budget.toml.
echo "Bundle size by component (MB = 10^6 bytes):"
"$bin/python" installer/size_report.py dist/counter-app
