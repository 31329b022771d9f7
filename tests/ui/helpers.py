"""Building a counter window for a test (same wiring as the program)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from counter_app.demo import DemoKit
from decoding.forms.catalogue import Catalogue
from ui.compose import CounterParts, build_counter
from ui.devices import DeviceAdapter


def make_counter(
    tmp_path: Path,
    kit: DemoKit,
    catalogue: Catalogue,
    *,
    scanners: list[str] | None = None,
    extra: list[DeviceAdapter] | None = None,
    restore: bool = True,
    **more: Any,
) -> CounterParts:
    parts = build_counter(
        data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'cases.db'}",
        key_files=[kit.private_key], office="3210000", counter="민원1", clerk="tester",
        scanners=scanners if scanners is not None else ["keyboard"], extra_devices=extra,
        seal_capture=lambda: str(kit.seals[0]), catalogue=catalogue, sound=False,
        restore=restore, **more,
    )  # fmt: skip
    parts.window.resize(1366, 768)
    return parts
