"""Devices in the window: the document camera (F7), the keyboard-wedge chip, and the
case database opened on the worker while the window is already up."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

import app.compose
from app.compose import CounterParts
from counter_app.demo import DemoKit
from decoding.forms.catalogue import Catalogue
from tests.ui.helpers import look, make_counter
from ui.counter.devices import DeviceChip, document_capture

WAIT = 10_000  # ms: every wait is bounded


def chip(parts: CounterParts, name: str) -> DeviceChip:
    found = [c for c in parts.window.device_bar.chips if c.adapter.name == name]
    assert found, [c.adapter.name for c in parts.window.device_bar.chips]
    return found[0]


def on_worker(capture: Callable[[], str], threads: list[str]) -> Callable[[], str]:
    def run() -> str:
        threads.append(threading.current_thread().name)
        return capture()

    return run


def scanned(qtbot: QtBot, parts: CounterParts, kit: DemoKit, name: str = "resident-copy") -> None:
    for t in kit.sample(name).texts:
        parts.session.submit_scan(t, "test")
    qtbot.wait_until(lambda: parts.session.current is not None and not parts.session.runner.pending,
                     timeout=WAIT)


def test_f7_takes_a_page_with_the_document_camera(
    qtbot: QtBot, tmp_path: Path, kit: DemoKit, catalogue: Catalogue
) -> None:
    assert kit.document_camera is not None and kit.document_camera.exists()
    threads: list[str] = []
    capture = on_worker(document_capture(str(kit.document_camera), tmp_path / "pages"), threads)
    parts = make_counter(tmp_path, kit, catalogue, document_capture=capture,
                         document_camera=str(kit.document_camera))
    try:
        parts.window.show()
        scanned(qtbot, parts, kit)
        s = parts.session
        cam = chip(parts, str(kit.document_camera))
        assert "실물화상기" in cam.text() and cam.property("state") == "waiting"
        qtbot.keyClick(parts.window, Qt.Key.Key_F7)
        qtbot.wait_until(lambda: len(s.draft.pages) == 1, timeout=WAIT)
        page = s.draft.pages[0]
        assert page.source == "document camera"
        assert Path(page.path).parent == tmp_path / "pages" and Path(page.path).stat().st_size > 1000
        assert threads and threads[0] != threading.main_thread().name  # not the GUI thread
        assert cam.property("state") == "connected"
        assert not parts.window.banner.isVisible()
        # It is a page like any other: assigned and accepted, it is in the database.
        s.assign_page(0, "신분증 사본")
        s.set_seal(str(kit.seals[0]))
        receipts: list[str] = []
        s.accepted.connect(lambda r: receipts.append(r.case_number))
        look(parts)
        parts.window.accept()
        qtbot.wait_until(lambda: bool(receipts), timeout=WAIT)
        kinds = sorted(a.kind for a in parts.store.get(receipts[0]).attachments)
        assert kinds == ["page", "seal"]
    finally:
        parts.close()


@pytest.mark.parametrize("what", ["no page", "no camera"])
def test_a_failing_document_camera_changes_nothing(
    qtbot: QtBot, tmp_path: Path, kit: DemoKit, catalogue: Catalogue, what: str
) -> None:
    import cv2

    if what == "no page":  # the camera sees only the desk
        source = tmp_path / "desk.png"
        cv2.imwrite(str(source), np.full((480, 640, 3), 60, np.uint8))
        name = str(source)
    else:
        name = f"camera:{tmp_path / 'missing.avi'}"
    parts = make_counter(tmp_path, kit, catalogue, document_camera=name,
                         document_capture=document_capture(name, tmp_path / "pages", timeout=2))
    try:
        parts.window.show()
        scanned(qtbot, parts, kit)
        s = parts.session
        before = (list(s.draft.pages), s.current)
        parts.window.capture_document()
        qtbot.wait_until(lambda: parts.window.banner.isVisible(), timeout=WAIT)
        w = parts.window
        assert w.banner.kind == "error"
        text = w.banner.text.text()
        assert "실물화상기로 서류를 찍지 못했습니다" in text
        assert ("no page found" in text) if what == "no page" else ("cannot open the document camera" in text)
        assert (list(s.draft.pages), s.current) == before
        assert not (tmp_path / "pages").exists() or not any((tmp_path / "pages").iterdir())
        assert chip(parts, name).property("state") == "error"
        assert w.busy.text() == ""
    finally:
        parts.close()


def test_f7_without_a_document_camera_says_so(
    qtbot: QtBot, tmp_path: Path, kit: DemoKit, catalogue: Catalogue
) -> None:
    parts = make_counter(tmp_path, kit, catalogue)
    try:
        parts.window.show()
        qtbot.wait_until(lambda: not parts.session.runner.pending, timeout=WAIT)
        qtbot.keyClick(parts.window, Qt.Key.Key_F7)
        qtbot.wait_until(lambda: parts.window.banner.isVisible(), timeout=WAIT)
        assert parts.window.banner.kind == "warning"
        assert "실물화상기가 설정되지 않았습니다" in parts.window.banner.text.text()
        assert all(c.adapter.label != "실물화상기" for c in parts.window.device_bar.chips)
    finally:
        parts.close()


def test_keyboard_scanner_chip(qtbot: QtBot, tmp_path: Path, kit: DemoKit, catalogue: Catalogue) -> None:
    parts = make_counter(tmp_path, kit, catalogue, scanners=["keyboard"])
    try:
        parts.window.show()
        kb = chip(parts, "keyboard")
        assert kb.text() == "◌ 키보드 스캐너: 대기 중" and kb.property("state") == "waiting"
        edit = QLineEdit()
        qtbot.addWidget(edit)
        edit.show()
        edit.setFocus()
        with qtbot.wait_signal(parts.wedge.scanned, timeout=WAIT):  # type: ignore[union-attr]
            qtbot.keyClicks(edit, kit.sample("resident-copy").texts[0])
            qtbot.keyClick(edit, Qt.Key.Key_Return)
        assert kb.property("state") == "connected"
        assert kb.text().startswith("● 키보드 스캐너: 마지막 스캔 ")
    finally:
        parts.close()
    other = make_counter(tmp_path / "2", kit, catalogue, scanners=[])
    try:
        assert all(c.adapter.name != "keyboard" for c in other.window.device_bar.chips)
    finally:
        other.close()


def test_database_opens_on_the_worker_and_scans_wait_for_it(
    qtbot: QtBot, tmp_path: Path, kit: DemoKit, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    opened_on: list[str] = []
    real = app.compose.open_store

    def slow_open(*args: object, **kwargs: object) -> object:
        opened_on.append(threading.current_thread().name)
        assert release.wait(10), "the test never let the database open"
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(app.compose, "open_store", slow_open)
    parts = make_counter(tmp_path, kit, catalogue)
    try:
        parts.window.show()
        w, s = parts.window, parts.session
        qtbot.wait_until(lambda: bool(opened_on), timeout=WAIT)
        assert opened_on[0] != threading.main_thread().name
        assert w.busy.text() == "데이터베이스 여는 중…"
        for t in kit.sample("resident-copy").texts:
            s.submit_scan(t, "test")  # queued behind the open
        qtbot.wait(100)
        assert s.current is None and s.runner.pending and w.busy.text() == "데이터베이스 여는 중…"
        release.set()
        qtbot.wait_until(lambda: s.current is not None and not s.runner.pending, timeout=WAIT)
        assert w.busy.text() == "" and w.database_state == "ready"
        assert "김민원" in w.petition.shown_text()
    finally:
        release.set()
        parts.close()


def test_database_that_cannot_open_is_said_in_the_window(
    qtbot: QtBot, tmp_path: Path, kit: DemoKit, catalogue: Catalogue
) -> None:
    bad = tmp_path / "cases.db"
    bad.write_bytes(b"not a database\n" * 100)
    errors: list[BaseException] = []
    parts = make_counter(tmp_path, kit, catalogue, on_database_error=errors.append)
    try:
        parts.window.show()
        qtbot.wait_until(lambda: bool(errors), timeout=WAIT)
        w = parts.window
        assert w.database_state == "failed" and w.banner.kind == "error"
        assert "데이터베이스를 열 수 없습니다" in w.banner.text.text()
        assert "Cannot open the case database" in w.banner.text.text()
        assert "file is not a database" in w.banner.text.text()
    finally:
        parts.close()
