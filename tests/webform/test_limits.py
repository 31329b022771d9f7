"""The phone's limits are the counter's: ``webform/limits.js`` is generated, never copied."""

from __future__ import annotations

from counter_app.web import limits_js, webform_dir


def test_the_phones_limits_are_the_counters() -> None:
    shipped = (webform_dir() / "limits.js").read_text(encoding="utf-8")
    assert shipped == limits_js(), "webform/limits.js is stale: run python -m counter_app.web"
