"""Fixtures for the window tests: a demo kit, a counter on tmp_path (the leak guard is
the whole suite's, in ``tests/conftest.py``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.compose import CounterParts
from app.review_demo import DemoDay, fill_day
from counter_app.demo import DemoKit, build_demo
from decoding.forms.catalogue import Catalogue, default_catalogue
from drivers.keyboard import WedgeDetector
from tests.ui.helpers import make_counter
from ui.counter.wedge_filter import WedgeFilter


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return default_catalogue()


@pytest.fixture
def counter(qtbot: QtBot, tmp_path: Path, kit: DemoKit, catalogue: Catalogue) -> Iterator[CounterParts]:
    """A counter window on tmp_path (demo keys, keyboard wedge), shown; closed after the test."""
    parts = make_counter(tmp_path, kit, catalogue)
    parts.window.show()
    yield parts
    parts.close()


@pytest.fixture(scope="session")
def kit(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> DemoKit:
    return build_demo(tmp_path_factory.mktemp("demo"), catalogue)


@pytest.fixture
def day(tmp_path: Path, kit: DemoKit, catalogue: Catalogue) -> DemoDay:
    """A day of cases the real intake wrote, on tmp_path (for the review window)."""
    return fill_day(tmp_path, kit, catalogue)


@pytest.fixture
def wedge(qapp: QApplication) -> Iterator[WedgeFilter]:
    """The scanner filter installed on the application, as the counter installs it."""
    f = WedgeFilter(WedgeDetector())
    f.install(qapp)
    yield f
    f.uninstall(qapp)


class Pty:
    """A serial scanner simulated by a pty pair (the serial source opens the slave by name)."""

    def __init__(self) -> None:
        self.master, slave = os.openpty()
        self.name = os.ttyname(slave)
        os.close(slave)

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> None:
        os.close(self.master)


@pytest.fixture
def pty() -> Iterator[Pty]:
    p = Pty()
    yield p
    p.close()


def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"
