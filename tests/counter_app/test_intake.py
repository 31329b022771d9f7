"""The intake workflow (IntakeService): spec steps 1-15 in order, then a durable record."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from counter_app.intake import Checked, IntakeService, apply_corrections
from decoding.errors import ErrorCode, PayloadError
from decoding.forms import default_catalogue
from decoding.keys import KeyRing, load_public_key
from decoding.payload import encode
from records.errors import InvalidChange
from records.models import AuditEvent
from records.store import CaseStore
from tests.records.support import (
    PUB_PATH,
    RRN,
    applicant,
    db_url,
    document,
    private_key,
    resident_copy_form,
    store,
)

__all__ = ["db_url", "store"]


@pytest.fixture
def service(store: CaseStore) -> IntakeService:
    return IntakeService(KeyRing([private_key()]), store, office="3210000",
                         catalogue=default_catalogue())


def qr(doc: dict[str, Any] | None = None) -> list[str]:
    return encode(doc or document(), load_public_key(PUB_PATH))


def test_check_then_accept(service: IntakeService, store: CaseStore, tmp_path: Path) -> None:
    page = tmp_path / "page.png"
    page.write_bytes(b"\x89PNG page")
    checked = service.check(qr())
    assert isinstance(checked, Checked) and checked.findings == ()
    r = service.accept(checked, [page, b"\xff\xd8 page two"], b"\x89PNG seal",
                       clerk="kim", counter="민원1")
    d = store.get(r.case_number)
    assert d.payload_id == checked.document.id and d.row.clerk == "kim"
    assert [a.kind for a in d.attachments] == ["page", "page", "seal"]


def test_replay_reports_when_and_by_whom(service: IntakeService) -> None:
    texts = qr()
    first = service.accept(service.check(texts), clerk="kim", counter="민원1")
    with pytest.raises(PayloadError) as err:
        service.check(texts)
    e = err.value
    assert e.code == ErrorCode.REPLAY
    assert e.details["case_number"] == first.case_number
    assert e.details["clerk"] == "kim" and e.details["counter"] == "민원1"
    assert "kim" in e.message_ko and first.case_number in e.message_ko
    assert e.to_json()["error"] == "MW_REPLAY"


def test_replay_comes_before_the_catalogue(store: CaseStore, service: IntakeService) -> None:
    doc = document()
    doc["forms"][0]["code"] = "NOT_IN_CATALOGUE"
    texts = qr(doc)
    with pytest.raises(PayloadError) as err:
        service.check(texts)
    assert err.value.code == ErrorCode.FORM_UNKNOWN
    # recorded by a counter without the catalogue: now step 13 answers first
    bare = IntakeService(service.keyring, store, office="3210000", catalogue=None)
    bare.accept(bare.check(texts), clerk="kim", counter="민원1")
    with pytest.raises(PayloadError) as err:
        service.check(texts)
    assert err.value.code == ErrorCode.REPLAY


def test_invalid_field_and_expired(service: IntakeService) -> None:
    """A field error is a finding of the check (the clerk can correct it); accepting the
    petition while it stands is ``MW_FIELD_INVALID``."""
    doc = document()
    doc["forms"][0]["fields"]["cert_kind"] = "없는종류"
    checked = service.check(qr(doc))
    assert [(f.field, f.severity) for f in checked.errors] == [("cert_kind", "error")]
    with pytest.raises(PayloadError) as err:
        service.accept(checked, clerk="kim", counter="민원1")
    assert err.value.code == ErrorCode.FIELD_INVALID
    late = IntakeService(service.keyring, service.store, office="3210000",
                         clock=lambda: float(document()["exp"] + 10))
    with pytest.raises(PayloadError) as err:
        late.check(qr())
    assert err.value.code == ErrorCode.EXPIRED


def test_simultaneous_accepts_of_one_petition(service: IntakeService) -> None:
    checked = service.check(qr())
    results: list[object] = []

    def take(clerk: str) -> None:
        try:
            results.append(service.accept(checked, clerk=clerk, counter=clerk))
        except PayloadError as exc:
            results.append(exc.code)

    threads = [threading.Thread(target=take, args=(f"c{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert sorted(map(str, results)).count("MW_REPLAY") == 2
    assert len([r for r in results if not isinstance(r, str)]) == 1


def test_corrections_are_applied_and_kept(service: IntakeService, store: CaseStore) -> None:
    checked = service.check(qr())
    r = service.accept(checked, clerk="kim", counter="민원1", corrections=[
        ("applicant.phone", "010-1234-5678", "010-5555-6666"),
        ("forms[0].fields.purpose", "은행 제출용", "회사 제출용"),
    ])
    full = store.document(r.case_id)
    assert full["applicant"]["phone"] == "010-5555-6666"
    assert full["forms"][0]["fields"]["purpose"] == "회사 제출용"
    assert [c.field for c in store.get(r.case_id).corrections] == [
        "applicant.phone", "forms[0].fields.purpose"]
    with store.read() as s:
        actions = list(s.execute(select(AuditEvent.action)).scalars())
    assert actions == ["intake", "correction"]

    checked = service.check(qr())
    with pytest.raises(InvalidChange):  # the screen showed another value
        service.accept(checked, clerk="kim", counter="민원1",
                       corrections=[("applicant.phone", "010-0000-0000", "010-1")])
    with pytest.raises(PayloadError) as err:  # a correction may not break the document
        service.accept(checked, clerk="kim", counter="민원1",
                       corrections=[("applicant.rrn", RRN, "12345")])
    assert err.value.code == ErrorCode.SCHEMA


def test_apply_corrections_paths() -> None:
    doc = {"a": {"b": 1}, "forms": [{"fields": {"x": "1"}}]}
    out = apply_corrections(doc, [("a.b", 1, 2), ("forms[0].fields.y", None, "new"),
                                  ("forms[0].fields.x", "1", None)])
    assert out == {"a": {"b": 2}, "forms": [{"fields": {"y": "new"}}]}
    assert doc["a"] == {"b": 1}  # the original is untouched
    with pytest.raises(InvalidChange):
        apply_corrections(doc, [("forms[3].fields.x", None, "1")])


def test_paper_petition(service: IntakeService, store: CaseStore) -> None:
    r = service.accept_paper(applicant(), [resident_copy_form()], attachments=[b"scan"],
                             clerk="kim", counter="민원1")
    d = store.get(r.case_id)
    assert d.payload_id is None and d.row.source == "paper"
    assert "id" not in d.document
    with pytest.raises(PayloadError) as err:
        service.accept_paper({"name": ""}, [resident_copy_form()], clerk="kim", counter="민원1")
    assert err.value.code == ErrorCode.SCHEMA


def test_after_intake(service: IntakeService, store: CaseStore) -> None:
    r = service.accept(service.check(qr()), clerk="kim", counter="민원1")
    assert service.reveal_rrn(r.case_number, "applicant", clerk="lee", counter="민원2") == RRN
    service.record_print(r.case_id, clerk="lee", counter="민원2", what="접수증")
    service.return_case(r.case_id, "신분증 미지참", clerk="lee", counter="민원2")
    d = store.get(r.case_id)
    assert d.row.status == "returned" and d.status_reason == "신분증 미지참"
    other = service.accept(service.check(qr()), clerk="kim", counter="민원1")
    service.complete_case(other.case_number, clerk="kim", counter="민원1")
    assert store.get(other.case_id).row.status == "completed"
    with store.read() as s:
        events = [(e.action, e.actor) for e in s.execute(
            select(AuditEvent).order_by(AuditEvent.seq)).scalars()]
    assert events[:4] == [("intake", "kim"), ("reveal_rrn", "lee"), ("print", "lee"),
                          ("status", "lee")]
