"""The case store on SQLite and PostgreSQL: numbers, replay, history, reveal, masking."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from records import audit
from records.errors import AlreadyReceived, CaseNotFound, DataKeyError, InvalidChange
from records.models import AuditEvent
from records.store import CaseStore
from records.views import KST
from tests.records.support import OFFICE, RRN, new_case, open_test_store, payload_id


def _today() -> dt.date:
    return dt.datetime.now(KST).date()


def test_case_numbers_count_up_per_office_and_year(store: CaseStore) -> None:
    year = _today().year
    a = store.record(new_case())
    b = store.record(new_case())
    c = store.record(new_case(office="1234567"))
    assert a.case_number == f"{OFFICE}-{year}-000001"
    assert b.case_number == f"{OFFICE}-{year}-000002"
    assert c.case_number == f"1234567-{year}-000001"
    assert re.fullmatch(r"\d{7}-\d{4}-\d{6}", a.case_number)


def test_replay_is_refused_with_when_and_who(store: CaseStore) -> None:
    pid = payload_id()
    first = store.record(new_case(pid, clerk="kim", counter="민원1"))
    with pytest.raises(AlreadyReceived) as err:
        store.record(new_case(pid, clerk="lee", counter="민원2"))
    assert err.value.code == "MW_REPLAY"
    assert err.value.details["case_number"] == first.case_number
    assert err.value.details["clerk"] == "kim"
    assert err.value.details["counter"] == "민원1"
    assert "kim" in err.value.message_ko and first.case_number in err.value.message_en
    # the refused attempt took no number: the next case follows the first
    nxt = store.record(new_case())
    assert nxt.case_number.endswith("000002")
    assert store.find_by_payload(pid) is not None


def test_list_and_show_are_masked(store: CaseStore, tmp_path: Path) -> None:
    page = tmp_path / "page1.png"
    page.write_bytes(b"\x89PNG\r\n\x1a\n" + b"p" * 1000)
    r = store.record(new_case(pages=[page, b"\xff\xd8second page"], seal=b"\x89PNGseal",
                              corrections=[("applicant.phone", "010-0000-0000", "010-1234-5678")]))
    rows = store.list_day(_today())
    assert [x.case_number for x in rows] == [r.case_number]
    assert rows[0].applicant_rrn_masked == "900101-1******"
    d = store.get(r.case_number)
    assert d.row.id == r.case_id
    assert d.document["applicant"]["rrn"] == "900101-1******"
    assert [(a.kind, a.position, a.media_type) for a in d.attachments] == [
        ("page", 1, "image/png"), ("page", 2, "image/jpeg"), ("seal", 1, "image/png")]
    assert d.attachments[0].path.read_bytes() == page.read_bytes()
    assert d.attachments[0].name == "page1.png"
    assert [(c.field, c.before, c.after) for c in d.corrections] == [
        ("applicant.phone", "010-0000-0000", "010-1234-5678")]
    assert [h.status for h in d.history] == ["received"]
    assert store.list_day(_today() - dt.timedelta(days=1)) == []
    with pytest.raises(CaseNotFound):
        store.get("3210000-1999-000001")


def test_reveal_is_audited_and_full_document_kept(store: CaseStore) -> None:
    r = store.record(new_case())
    assert store.reveal_rrn(r.case_number, "applicant", clerk="kim", counter="민원1") == RRN
    assert store.reveal_rrn(r.case_id, "delegate", clerk="kim", counter="민원1") is None
    assert store.document(r.case_id)["applicant"]["rrn"] == RRN
    with store.read() as s:
        actions = [e.action for e in s.execute(select(AuditEvent).order_by(AuditEvent.seq))
                   .scalars()]
        assert actions == ["intake", "reveal_rrn", "reveal_rrn"]
        assert audit.verify(s, store.integrity_key()).ok


def test_status_changes_keep_history(store: CaseStore) -> None:
    a = store.record(new_case())
    b = store.record(new_case())
    with pytest.raises(InvalidChange):
        store.set_status(a.case_id, "returned", clerk="kim", counter="민원1")  # no reason
    store.set_status(a.case_id, "returned", reason="구비서류 미비", clerk="kim", counter="민원1")
    store.set_status(b.case_number, "completed", clerk="lee", counter="민원2")
    with pytest.raises(InvalidChange):
        store.set_status(a.case_id, "completed", clerk="kim", counter="민원1")
    d = store.get(a.case_id)
    assert d.row.status == "returned" and d.status_reason == "구비서류 미비"
    assert [(h.status, h.reason) for h in d.history] == [
        ("received", None), ("returned", "구비서류 미비")]
    assert d.closed_at is not None
    assert store.get(b.case_id).row.status == "completed"


def test_paper_cases_have_no_payload_id(store: CaseStore) -> None:
    a = store.record(new_case(payload_id=None, source="paper"))
    b = store.record(new_case(payload_id=None, source="paper"))
    assert store.get(a.case_id).payload_id is None
    assert store.get(b.case_id).row.source == "paper"


def test_data_key_file_must_match_the_database(db_url: str, tmp_path: Path) -> None:
    with open_test_store(db_url, tmp_path) as s:
        s.record(new_case())
    (tmp_path / "data.key").rename(tmp_path / "old.key")
    with open_test_store(db_url, tmp_path) as s:
        # the database knows its key: a missing key file is not silently replaced
        with pytest.raises(DataKeyError, match="missing"):
            s.record(new_case())
        assert not (tmp_path / "data.key").exists()
        # a key file of another database is refused too
        other = tmp_path / "other"
        with open_test_store(f"sqlite:///{tmp_path / 'other.db'}", other) as o:
            o.record(new_case())
        (other / "data.key").rename(tmp_path / "data.key")
        with pytest.raises(DataKeyError, match="does not belong"):
            s.record(new_case())
