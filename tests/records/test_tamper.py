"""Edits made behind the program's back, on SQLite and PostgreSQL: each kind is
named by ``db check`` (cases) or ``audit verify`` (events), with the case or the
event it touches. Someone with write access to the database but without the
office key cannot make a seal or a chain link that verifies."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, select, update

from app.cli import main
from records import audit, check, purge
from records.errors import Tampered
from records.models import Attachment, AuditEvent, AuditHead, Case, Meta, StatusChange
from records.store import CaseStore
from tests.records.support import KEY_PATH, new_case


def _kinds(report: check.CheckReport) -> dict[str, list[str | None]]:
    out: dict[str, list[str | None]] = {}
    for p in report.problems:
        out.setdefault(p.kind, []).append(p.where)
    return out


def _two(store: CaseStore) -> tuple[str, str]:
    a = store.record(new_case(pages=[b"\x89PNG page a"]))
    b = store.record(new_case())
    return a.case_number, b.case_number


def _edit(store: CaseStore, statement: object) -> None:
    with store.engine.begin() as conn:
        conn.execute(statement)  # type: ignore[arg-type]


def test_a_sound_database_checks_clean(store: CaseStore) -> None:
    _two(store)
    report = check.check(store)
    assert report.ok, report.to_json()
    assert store.verify_audit().ok


@pytest.mark.parametrize("column, value", [
    ("status", "completed"),
    ("applicant_name", "김변조"),
    ("status_reason", "없던 사유"),
    ("clerk", "nobody"),
    ("received_at_shift", None),
])
def test_an_edited_case_column_is_named(store: CaseStore, column: str, value: object) -> None:
    first, _second = _two(store)
    if column == "received_at_shift":
        with store.read() as s:
            at = s.execute(select(Case.received_at).where(Case.case_number == first)).scalar_one()
        stmt = update(Case).where(Case.case_number == first).values(
            received_at=at.replace(year=at.year - 1))
    else:
        stmt = update(Case).where(Case.case_number == first).values({column: value})
    _edit(store, stmt)
    report = check.check(store)
    assert _kinds(report) == {"case_tampered": [first]}, report.to_json()


def test_an_edited_case_number_is_named(store: CaseStore) -> None:
    first, _ = _two(store)
    forged = first[:-6] + "000777"
    _edit(store, update(Case).where(Case.case_number == first).values(case_number=forged))
    report = check.check(store)
    assert "case_tampered" in _kinds(report) and forged in _kinds(report)["case_tampered"]


def test_swapped_encrypted_numbers_are_named(store: CaseStore) -> None:
    first, second = _two(store)
    with store.read() as s:
        blobs = dict(s.execute(select(Case.case_number, Case.applicant_rrn_enc)).all())
    _edit(store, update(Case).where(Case.case_number == first)
          .values(applicant_rrn_enc=blobs[second]))
    _edit(store, update(Case).where(Case.case_number == second)
          .values(applicant_rrn_enc=blobs[first]))
    report = check.check(store)
    assert sorted(_kinds(report)["case_tampered"]) == sorted([first, second])


def test_edited_history_and_attachment_rows_are_named(store: CaseStore) -> None:
    _first, second = _two(store)
    with store.read() as s:
        case_id = s.execute(select(Case.id).where(Case.case_number == second)).scalar_one()
    _edit(store, update(StatusChange).where(StatusChange.case_id == case_id)
          .values(clerk="someone else"))
    report = check.check(store)
    assert _kinds(report) == {"case_tampered": [second]}


def test_a_row_inserted_behind_the_program_is_named(store: CaseStore) -> None:
    first, _ = _two(store)
    with store.read() as s:
        row = s.execute(select(Case).where(Case.case_number == first)).scalar_one()
        values = {c.key: getattr(row, c.key) for c in Case.__table__.columns if c.key != "id"}
    values.update(uid="f" * 32, case_number=first[:-6] + "000003", serial=3, payload_id=None,
                  seal=None)
    _edit(store, insert(Case).values(**values))
    kinds = _kinds(check.check(store))
    assert kinds["case_unsealed"] == [first[:-6] + "000003"]


def test_an_attachment_path_outside_the_store_is_never_followed(
    store: CaseStore, tmp_path: Path
) -> None:
    first, _ = _two(store)
    # root/ab/NAME: with NAME "../X" the path is root/../../X, outside the store
    outside = tmp_path.parent / f"{tmp_path.name[-20:]}-outside.txt"
    outside.write_bytes(b"a file of someone else, not in the store")
    before = outside.read_bytes()
    rel = "../" + outside.name
    assert (store.files.root / rel[:2] / rel).resolve() == outside.resolve()
    _edit(store, update(Attachment).values(sha256=rel))
    kinds = _kinds(check.check(store))
    assert kinds["file_name_tampered"] == [first]
    # the case still shows (the path is not followed), and purge leaves the file alone
    shown = store.get(first)
    assert ".." not in str(shown.attachments[0].path.relative_to(store.files.root))
    store.set_status(first, "completed", clerk="kim", counter="민원1")
    purge.purge(store, dt.date.today() + dt.timedelta(days=2), clerk="it", counter="it")
    assert outside.read_bytes() == before


def test_an_edited_event_is_named_even_with_every_later_hash_recomputed(
    store: CaseStore
) -> None:
    _two(store)
    with store.read() as s:
        events = list(s.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars())
    # the attacker edits event 1 and recomputes every link after it, with the only
    # hash they can compute (no office key): plain SHA-256 over the same columns
    prev = audit.GENESIS
    for e in events:
        actor = "nobody" if e.seq == 1 else e.actor
        body = json.dumps([e.seq, e.at, actor, e.counter, e.case_id, e.case_number, e.action,
                           e.detail, prev], ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256(body.encode()).hexdigest()
        _edit(store, update(AuditEvent).where(AuditEvent.seq == e.seq)
              .values(actor=actor, prev_hash=prev, hash=digest))
        prev = digest
    _edit(store, update(AuditHead).values(hash=prev))
    v = store.verify_audit()
    assert not v.ok and v.broken_seq == 1 and "#1" in v.problem_en


def test_events_cut_off_the_end_are_caught_against_a_kept_checkpoint(store: CaseStore) -> None:
    _two(store)
    kept = store.checkpoint()  # printed in the day's report, kept by the supervisor
    store.log("view", None, clerk="kim", counter="민원1")
    assert store.verify_audit([kept.text]).ok
    with store.read() as s:
        events = list(s.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars())
    # delete the last two events and move the head back to the one before
    keep = events[-3]
    _edit(store, delete(AuditEvent).where(AuditEvent.seq > keep.seq))
    _edit(store, update(AuditHead).values(seq=keep.seq, hash=keep.hash))
    v = store.verify_audit([kept.text])
    assert not v.ok and "cut off" in v.problem_en and f"#{kept.seq}" in v.problem_en
    # a checkpoint not made with this office's key is refused, not trusted
    forged = kept.text[:-4] + "0000"
    assert not store.verify_audit([forged]).ok


def test_cli_names_the_case_and_the_event(store: CaseStore, capsys: pytest.CaptureFixture[str]) -> None:
    first, _ = _two(store)
    args = ["--db", store.url, "--files", str(store.files.root), "--key", str(KEY_PATH),
            "--data-key", str(store.key_file)]
    assert main(["audit", "checkpoint", *args]) == 0
    kept = json.loads(capsys.readouterr().out)["checkpoint"]
    _edit(store, update(Case).where(Case.case_number == first).values(status="completed"))
    _edit(store, update(AuditEvent).where(AuditEvent.seq == 2).values(detail="{}"))
    assert main(["db", "check", *args]) == 1
    out = json.loads(capsys.readouterr().out)
    assert any(p["kind"] == "case_tampered" and p["where"] == first for p in out["problems"])
    assert main(["audit", "verify", *args, "--checkpoint", kept]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["broken_seq"] == 2 and "#2" in out["message"]


def test_the_integrity_record_and_the_chain_head_cannot_be_removed(store: CaseStore) -> None:
    _two(store)
    _edit(store, delete(Meta).where(Meta.key == "integrity"))
    assert not store.verify_audit().ok
    reopened = CaseStore(store.url, attachments_dir=store.files.root, key_file=store.key_file,
                         private_keys=store._private_keys)
    try:
        with pytest.raises(Tampered):
            reopened.data_key()  # never silently re-bound
    finally:
        reopened.close()
    _edit(store, delete(AuditHead))
    with pytest.raises(Tampered):
        store.log("view", None, clerk="kim", counter="민원1")


def test_a_wrong_or_missing_data_key_is_a_problem(store: CaseStore, tmp_path: Path) -> None:
    _two(store)
    for key_file in (tmp_path / "nowhere.key", None):
        if key_file is None:
            key_file = tmp_path / "other.key"
            other = CaseStore(f"sqlite:///{tmp_path / 'other.db'}",
                              attachments_dir=tmp_path / "o", key_file=key_file,
                              private_keys=store._private_keys)
            other.data_key()
            other.close()
        s2 = CaseStore(store.url, attachments_dir=store.files.root, key_file=key_file,
                       private_keys=store._private_keys)
        try:
            kinds = _kinds(check.check(s2))
        finally:
            s2.close()
        assert "data_key" in kinds, kinds
