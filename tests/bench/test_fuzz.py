"""A short run of the fuzzing harness (``bench/fuzz.py`` runs a million inputs).

Every input ends as an accepted (and recorded) petition or an ``MW_*`` code:
the harness raises on anything else, which fails these tests with the input.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.fuzz import Target, run_random, seeds

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    t = Target(tmp_path_factory.mktemp("fuzz") / "db")
    try:
        yield t
    finally:
        t.close()


def test_random_mutations_of_every_form(target: Target) -> None:
    run_random(target, 3000, seed=7)
    counts = target.outcomes.counts
    assert target.outcomes.runs >= 3000
    assert all(k.startswith(("MW_", "ok")) for k in counts), counts
    assert counts["ok:recorded"] >= len(seeds()) // 3  # every seed form is taken in
    assert counts["MW_SCHEMA"] > 0 and counts["MW_JSON"] > 0 and counts["MW_CODING"] > 0


json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False), st.text(max_size=30),  # any code point, surrogates included
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    member=st.sampled_from(["applicant", "delegate", "forms", "iat", "exp", "office", "id", "v"]),
    sub=st.sampled_from(["name", "rrn", "birth", "phone", "email", "address", "relation",
                         "fields", "code", "ver"]),
    value=json_value,
)
def test_any_json_value_anywhere(target: Target, member: str, sub: str, value: Any) -> None:
    doc = json.loads(seeds()[3][1:])  # a proxy application (the second form, "\x01" kind)
    node = doc.get(member)
    if isinstance(node, dict):
        node[sub] = value
    elif isinstance(node, list) and node and isinstance(node[0], dict):
        node[0][sub if sub in ("fields", "code", "ver") else "fields"] = value
    else:
        doc[member] = value
    body = json.dumps(doc, ensure_ascii=True).encode()
    assert target.run(b"\x01" + body).startswith(("MW_", "ok"))
    assert target.run(b"\x03" + body).startswith(("MW_", "ok"))


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris not installed")
def test_coverage_guided_short_run(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.fuzz", "--runs", "3000", "--dir", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    result = json.loads(proc.stdout)
    assert proc.returncode == 0 and result["ok"], result
    assert result["engine"] == "atheris" and result["runs"] >= 3000
