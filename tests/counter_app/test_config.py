"""counter.toml: the document camera setting (parsed like the seal scanner's)."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter_app.config import ConfigError, load_settings


def test_document_camera_setting(tmp_path: Path) -> None:
    cfg = tmp_path / "counter.toml"
    cfg.write_text('document_camera = "camera:2"\nseal_scanner = "camera:1"\n', encoding="utf-8")
    s = load_settings(cfg)
    assert s.document_camera == "camera:2" and s.seal_scanner == "camera:1"
    for none in ('office = "1"\n', 'document_camera = ""\n'):
        cfg.write_text(none, encoding="utf-8")
        assert load_settings(cfg).document_camera is None


@pytest.mark.parametrize("value", ["2", '["camera:2"]'])
def test_document_camera_must_be_a_name(tmp_path: Path, value: str) -> None:
    cfg = tmp_path / "counter.toml"
    cfg.write_text(f"document_camera = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="document_camera"):
        load_settings(cfg)
