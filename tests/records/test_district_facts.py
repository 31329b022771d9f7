"""The case facts at the office (issue 24): written with every case and status change, and
filled by migration 0006 for the cases recorded before it, the same either way."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import select, text

from records import db
from records.district import CaseFact
from tests.records.support import document, new_case, open_test_store


def facts(store: object) -> list[tuple[object, ...]]:
    with store.read() as s:  # type: ignore[attr-defined]
        return [tuple(getattr(f, c.key) for c in CaseFact.__table__.columns)
                for f in s.scalars(select(CaseFact).order_by(CaseFact.uid))]


def test_facts_follow_every_case_and_the_migration_fills_the_same(db_url: str,
                                                                  tmp_path: Path) -> None:
    with open_test_store(db_url, tmp_path) as store:
        plain = store.record(new_case(detail={"warnings": 2, "check_to_accept_s": 12.5}))
        proxy = store.record(new_case(document=document(delegate=True)))
        store.record(new_case(source="paper", payload_id=None, returned_reason="수수료 미납",
                              corrections=[("applicant.phone", "1", "2")],
                              detail={"missing_documents": ["위임장"]}))
        store.set_status(plain.case_id, "returned", reason="구비서류 미비: 사본 없음",
                         clerk="kim", counter="민원1")
        store.set_status(proxy.case_id, "completed", clerk="kim", counter="민원1")
        written = facts(store)
        with store.read() as s:
            rows = {(f.status, f.origin): f for f in s.scalars(select(CaseFact))}
        assert len(written) == 3
        returned = rows["returned", "qr"]
        assert returned.warnings and returned.return_category == "documents"
        assert returned.scanned_at is not None and returned.returned_at is not None
        assert (returned.accepted_at - returned.scanned_at).total_seconds() == 12.5
        assert not (returned.proxy or returned.corrected or returned.documents_missing)
        done = rows["completed", "qr"]
        assert done.proxy and done.completed_at is not None and not done.warnings
        paper = rows["returned", "paper"]
        assert paper.return_category == "fee" and paper.corrected and paper.documents_missing
        assert paper.returned_at == paper.accepted_at and paper.scanned_at is None
        with store.engine.begin() as conn:
            command.downgrade(db._alembic_config(conn), "0005")
            assert "case_facts" not in {str(t) for (t,) in conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type = 'table'" if db_url.startswith(
                    "sqlite") else "SELECT tablename FROM pg_tables"))}
    with open_test_store(db_url, tmp_path) as store:  # upgrades: 0006 fills the facts again
        assert store.upgraded
        filled = facts(store)
    # The paper case returned at intake: the migration reads the same audit and case rows.
    assert filled == written
