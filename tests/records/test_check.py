"""``db check``: missing and altered files, broken references, numbering; orphans repaired."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, text

from records import check
from records.errors import AlreadyReceived
from records.models import Attachment, Case, StatusChange
from records.store import CaseStore
from tests.records.support import KEY_PATH, new_case

REPO = Path(__file__).resolve().parents[2]


def _problems(store: CaseStore) -> list[str]:
    return [p.kind for p in check.check(store).problems]


def test_sound_store_passes(store: CaseStore) -> None:
    store.record(new_case(pages=[b"one", b"two"], seal=b"seal"))
    store.record(new_case(pages=[b"one"]))  # the same content is stored once
    report = check.check(store)
    assert report.ok, report.to_json()
    assert report.cases == 2 and report.attachments == 4 and report.files_checked == 3


def test_missing_and_altered_files_are_reported(store: CaseStore) -> None:
    r = store.record(new_case(pages=[b"page one", b"page two"]))
    a, b = store.get(r.case_id).attachments
    a.path.unlink()
    b.path.write_bytes(b"page tw0")
    report = check.check(store)
    assert sorted(p.kind for p in report.problems) == ["file_altered", "file_missing"]
    assert all(p.where == r.case_number for p in report.problems)


def test_broken_reference_and_number_gap(store: CaseStore) -> None:
    store.record(new_case())
    second = store.record(new_case())
    store.record(new_case())
    if store.engine.dialect.name == "sqlite":
        # foreign keys can only be switched off outside a transaction, on one connection
        raw = store.engine.raw_connection()
        try:
            cur = raw.cursor()
            cur.execute("PRAGMA foreign_keys = OFF")
            cur.execute("DELETE FROM status_changes WHERE case_id = ?", (second.case_id,))
            cur.execute("DELETE FROM cases WHERE id = ?", (second.case_id,))
            cur.execute("INSERT INTO attachments (case_id, kind, position, sha256, size, "
                        "media_type) VALUES (9999, 'page', 1, ?, 1, 'x')", ("0" * 64,))
            cur.execute("PRAGMA foreign_keys = ON")
        finally:
            raw.close()
    else:
        with store.engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # no FK triggers
            conn.execute(delete(StatusChange).where(StatusChange.case_id == second.case_id))
            conn.execute(delete(Case).where(Case.id == second.case_id))
            conn.execute(insert(Attachment).values(
                case_id=9999, kind="page", position=1, sha256="0" * 64, size=1, media_type="x"))
    report = check.check(store)
    kinds = sorted(p.kind for p in report.problems)
    assert kinds == ["broken_reference", "numbering"], report.to_json()
    gap = next(p for p in report.problems if p.kind == "numbering")
    assert second.case_number in gap.message_en


def test_orphans_are_reported_and_repaired(store: CaseStore) -> None:
    store.record(new_case(pages=[b"kept"]))
    orphan = store.files.put(b"written by an intake that crashed before its commit")
    tmp = store.files.root / f".{os.getpid()}-dead.tmp"
    tmp.write_bytes(b"half")
    report = check.check(store)
    assert report.ok and report.orphans == [orphan.sha256]
    # a young orphan may be another counter's intake in flight: left alone
    assert check.check(store, repair=True).removed == []
    report = check.check(store, repair=True, grace=0)
    assert sorted(report.removed) == sorted([orphan.sha256, tmp.name])
    assert not store.files.path_of(orphan.sha256).exists() and not tmp.exists()
    assert check.check(store).ok


def test_cli_db_check(store: CaseStore) -> None:
    r = store.record(new_case(pages=[b"page"]))

    def run() -> tuple[int, dict[str, object]]:
        p = subprocess.run(
            [sys.executable, "-m", "app", "db", "check", "--db", store.url,
             "--files", str(store.files.root), "--key", str(KEY_PATH),
             "--data-key", str(store.key_file)],
            cwd=REPO, capture_output=True, text=True, timeout=60,
        )
        return p.returncode, json.loads(p.stdout)

    code, out = run()
    assert code == 0 and out["ok"] is True and out["cases"] == 1
    store.get(r.case_id).attachments[0].path.unlink()
    code, out = run()
    assert code == 1 and out["ok"] is False
    assert "missing" in str(out["message"]) and r.case_number in str(out["message"])


def test_cleanup_removes_files_of_failed_intakes_only(store: CaseStore) -> None:
    shared = b"\x89PNG a seal another case uses"
    kept = store.record(new_case(seal=shared))
    case = new_case(payload_id=store.get(kept.case_id).payload_id,  # a replay: will fail
                    pages=[b"scanned for nothing"], seal=shared)
    with pytest.raises(AlreadyReceived):
        store.record(case)
    assert len(check.check(store).orphans) == 1
    assert store.cleanup() == []  # young: may be another counter's intake in flight
    assert store.cleanup(grace=0) != []
    report = check.check(store)
    assert report.ok and report.orphans == []
    assert store.get(kept.case_id).attachments[0].path.read_bytes() == shared
    assert list((store.files.root / "pending").iterdir()) == []
