"""The draft file: atomic, sealed, restored; a damaged one is kept aside."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ui.counter.draft import Correction, Draft, DraftError, DraftStore, DraftWriter, Page


def sample() -> Draft:
    return Draft(
        texts=["MW1:ABC"],
        corrections=[Correction("F", "rrn", "9001011234568", "9001011234567", "clerk", 1.0)],
        pages=[Page("/tmp/p1.png", "신분증 사본", 90, "folder")],
        seal="/tmp/seal.png",
        warnings_acknowledged=True,
        waiting=[Draft(texts=["MWP:1", "MWP:2"], seal="/tmp/s2.png")],
    )


def test_round_trip(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    store.save(sample())
    assert store.load() == sample()


def test_no_rrn_in_clear_on_disk(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    store.save(sample())
    blob = store.path.read_bytes()
    assert b"9001011234568" not in blob and "신분증".encode() not in blob
    assert oct((tmp_path / "draft.key").stat().st_mode & 0o777) == "0o600"


def test_empty_draft_removes_the_file(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    store.save(sample())
    store.save(Draft())
    assert not store.path.exists() and store.load() is None


def test_damaged_file_is_kept_aside(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    store.save(sample())
    data = bytearray(store.path.read_bytes())
    data[-3] ^= 0xFF
    store.path.write_bytes(bytes(data))
    with pytest.raises(DraftError):
        store.load()
    assert store.path.with_suffix(".damaged").exists() and not store.path.exists()


def test_atomic_write_leaves_old_or_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = DraftStore(tmp_path)
    store.save(sample())

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    newer = sample()
    newer.seal = None
    with pytest.raises(OSError):
        store.save(newer)
    monkeypatch.undo()
    assert store.load() == sample()


def test_writer_keeps_the_newest_and_reports_errors(tmp_path: Path) -> None:
    errors: list[Exception] = []
    store = DraftStore(tmp_path)
    writer = DraftWriter(store, errors.append)
    try:
        for i in range(20):
            d = sample()
            d.texts = [f"MW1:{i}"]
            writer.submit(d)
        assert writer.flush(5)
        loaded = store.load()
        assert loaded is not None and loaded.texts == ["MW1:19"]
        (tmp_path / "draft.bin").unlink()
        (tmp_path / "draft.bin").mkdir()  # the next write cannot replace a folder
        writer.submit(sample())
        assert writer.flush(5)
        assert errors and isinstance(errors[0], OSError)
    finally:
        writer.close()
    assert not writer._thread.is_alive()
