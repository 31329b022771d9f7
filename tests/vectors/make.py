"""Write ``project.json``: the MW1 test vectors this project makes itself.

Each petition document of ``basic.json`` (the outside vectors, see README.md
here) is encrypted twice to the test key: once by the counter's Python encoder
(:func:`decoding.payload.encode`) and once by the phone's encoder
(``webform/mw1.js``, run under node by ``webform/tests/encode.mjs``). The
reader must open both and give back the same document; ``tests/decoding/
test_payload.py::test_every_vector`` checks every ``*.json`` in this folder.

    python tests/vectors/make.py        # after a change to either encoder's output
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from decoding.keys import load_public_key  # noqa: E402  (the repository is put on the path first)
from decoding.payload import encode  # noqa: E402

KEY = "keys/test-p256-1.pem"
PUBLIC = HERE / "keys" / "test-p256-1.pub.pem"


def _case(name: str, texts: list[str], base: dict[str, Any]) -> dict[str, Any]:
    case: dict[str, Any] = {"name": name}
    if len(texts) == 1:
        case["qr"] = texts[0]
    else:
        case["parts"] = texts
    case.update(key=KEY, now=base["now"], expect=base["expect"])
    return case


def _node_encode(document: dict[str, Any], parts: int | None) -> list[str]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as f:
        json.dump(document, f, ensure_ascii=False)
        f.flush()
        args = ["node", str(REPO / "webform" / "tests" / "encode.mjs"), str(PUBLIC), f.name]
        if parts:
            args += ["--parts", str(parts)]
        out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return out.splitlines()


def make() -> list[dict[str, Any]]:
    outside = json.loads((HERE / "basic.json").read_text("utf-8"))
    public = load_public_key(PUBLIC)
    cases = []
    for base in outside:
        if not base["expect"]["ok"]:
            continue
        document = base["expect"]["document"]
        parts = len(base["parts"]) if "parts" in base else None
        cases.append(_case(f"{base['name']} (Python encoder)", encode(document, public, parts), base))
        cases.append(_case(f"{base['name']} (phone encoder, node)", _node_encode(document, parts), base))
    return cases


if __name__ == "__main__":
    out = HERE / "project.json"
    out.write_text(json.dumps(make(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")
