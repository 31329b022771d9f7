#!/usr/bin/env bash
# Build the one-folder bundle (dist/counter-app) and smoke-test it: the bundled
# program must decode the spec's first test vector and pass the demo's self-test
# (forms, font, migrations and the window all found inside the bundle).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pip install -q -e '.[installer]'
.venv/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller installer/counter-app.spec
bundle=dist/counter-app/counter-app
du -sh dist/counter-app
"$bundle" --version
vectors=../shared/spec/vectors
if [ -f "$vectors/basic.json" ]; then
    python3 - "$vectors" <<'PY' | "$bundle" decode --key "$vectors/keys/test-p256-1.pem" --now 1764000000 -
import json, sys
print(json.load(open(sys.argv[1] + "/basic.json"))[0]["qr"])
PY
fi
"$bundle" forms list --json | python3 -c 'import json,sys; n=len(json.load(sys.stdin)); print(f"{n} forms in the bundle")'
QT_QPA_PLATFORM=offscreen COUNTER_APP_DATA="$(mktemp -d)" "$bundle" demo --self-test
