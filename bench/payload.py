"""Benchmark: payload version 1 against version 2 (docs/payload-v2.md) on the README's petitions.

    .venv/bin/python -m bench.payload [--seconds S] [--json]

For (a) one certificate for oneself, (b) three forms (with the README's
1,900-character request, and with a one-line one) and (c) a proxy
application: characters, parts, QR version (level M), and the time a USB
keyboard-wedge scanner takes to type them at 8 ms a key (each part ends with
an Enter); then the decode speed of both versions, measured in the same run,
interleaved. Targets (issue 23): (a) <= 480 characters and QR version <= 13,
(c) <= 560, (b) one part <= 1,000, decode speed within 10 % of version 1.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from counter_app.examples import readme_petitions
from decoding.keys import KeyRing
from decoding.payload import decode, encode
from decoding.qrimage import qr_matrix

KEY_MS = 8  # a wedge scanner's typical upper figure: 4-8 ms a key
OFFICE = "3210000"


def petitions() -> dict[str, dict[str, Any]]:
    """The README's petitions (tests/webform/test_e2e.py types the same into the page)."""
    return readme_petitions(OFFICE)


def qr_version(text: str) -> int:
    return (qr_matrix(text, border=0).shape[0] - 17) // 4


def sizes(texts: list[str]) -> dict[str, Any]:
    chars = sum(map(len, texts))
    return {
        "characters": chars,
        "parts": len(texts),
        "part_characters": [len(t) for t in texts],
        "qr_version": max(qr_version(t) for t in texts),
        "typing_s": round((chars + len(texts)) * KEY_MS / 1000, 2),
    }


def decode_rates(
    made: dict[int, list[list[str]]], ring: KeyRing, seconds: float
) -> dict[int, float]:
    """Payloads a second of each version, in this process's CPU time: one decode of each
    petition in each version in turn, so that a busy machine slows both alike."""
    spent = {1: 0.0, 2: 0.0}
    count = {1: 0, 2: 0}
    now = time.time()
    while spent[1] + spent[2] < seconds:
        for i in range(len(made[1])):
            for version in (1, 2):
                t0 = time.process_time()
                decode(made[version][i], ring, now)
                spent[version] += time.process_time() - t0
                count[version] += 1
    return {v: count[v] / spent[v] for v in (1, 2)}


def run(seconds: float) -> dict[str, Any]:
    key = ec.generate_private_key(ec.SECP256R1())
    ring = KeyRing([key])
    out: dict[str, Any] = {"key_ms": KEY_MS, "petitions": {}}
    made: dict[int, list[list[str]]] = {1: [], 2: []}
    for name, doc in petitions().items():
        row: dict[str, Any] = {}
        for version in (1, 2):
            texts = encode(doc, key.public_key(), version=version)
            assert decode(texts, ring).raw == doc
            row[f"v{version}"] = sizes(texts)
            made[version].append(texts)
        out["petitions"][name] = row
    rates = decode_rates(made, ring, seconds)
    v1, v2 = rates[1], rates[2]
    out["decode_per_s"] = {"v1": round(v1), "v2": round(v2), "v2_vs_v1": round(v2 / v1, 3)}
    return out


def targets(result: dict[str, Any]) -> dict[str, bool]:
    p = result["petitions"]
    a = p["(a) one certificate for oneself"]["v2"]
    b = p["(b') three forms, a one-line request"]["v2"]
    c = p["(c) proxy application"]["v2"]
    return {
        "(a) <= 480 characters": a["characters"] <= 480,
        "(a) QR version <= 13": a["qr_version"] <= 13,
        "(b') one part <= 1,000": b["parts"] == 1 and b["characters"] <= 1000,
        "(c) <= 560 characters": c["characters"] <= 560,
        "decode within 10 % of v1": result["decode_per_s"]["v2_vs_v1"] >= 0.9,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.payload", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--seconds", type=float, default=8.0, help="decode timing in all (default 8)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = run(args.seconds)
    result["targets"] = targets(result)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(f"{'petition':44} {'v1 chars':>9} {'parts':>5} {'QR':>3} {'typing':>7}"
              f" {'v2 chars':>9} {'parts':>5} {'QR':>3} {'typing':>7}")
        for name, row in result["petitions"].items():
            cells = [f"{row[v]['characters']:>9,} {row[v]['parts']:>5} {row[v]['qr_version']:>3}"
                     f" {row[v]['typing_s']:>6.1f}s" for v in ("v1", "v2")]
            print(f"{name:44} {cells[0]} {cells[1]}")
        d = result["decode_per_s"]
        print(f"decode: v1 {d['v1']:,}/s, v2 {d['v2']:,}/s ({d['v2_vs_v1']:.0%} of v1)")
        for target, met in result["targets"].items():
            print(f"{'met   ' if met else 'MISSED'} {target}")
    return 0 if all(result["targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
