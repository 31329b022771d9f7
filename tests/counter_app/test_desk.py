"""One counter's use of the pipeline (counter_app.intake.Desk): multi-part feeding, findings,
re-validation after a correction, and a return recorded in the accept's transaction."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from counter_app.desk import Desk, PartNews
from counter_app.intake import Checked, Correction, IntakeService, PartProgress
from decoding.errors import ErrorCode, PayloadError
from decoding.forms import default_catalogue
from decoding.keys import KeyRing, load_public_key
from decoding.payload import encode
from records.errors import InvalidChange
from records.models import AuditEvent, StatusChange
from records.store import CaseStore
from tests.records.support import PUB_PATH, db_url, document, private_key, store

__all__ = ["db_url", "store"]


@pytest.fixture
def desk(store: CaseStore) -> Desk:
    service = IntakeService(KeyRing([private_key()]), store, office="3210000",
                            catalogue=default_catalogue())
    return Desk(service, clerk="kim", counter="민원1")


def qr(doc: dict[str, Any] | None = None, parts: int | None = None) -> list[str]:
    return encode(doc or document(), load_public_key(PUB_PATH), parts=parts)


def test_parts_fed_one_by_one_with_a_single_qr_in_between(desk: Desk) -> None:
    parts = qr(parts=3)
    other = qr()
    assert isinstance(desk.feed(parts[2]), PartProgress)
    single = desk.feed(other[0])  # another citizen's single QR between two parts
    assert isinstance(single, Checked) and single.texts == (other[0],)
    assert isinstance(desk.feed(parts[0]), PartProgress)
    done = desk.feed(parts[1])
    assert isinstance(done, Checked) and sorted(done.texts) == sorted(parts)
    again = desk.check(done.texts)  # a restored draft reads the same texts again
    assert again.document.id == done.document.id


def test_two_sets_interleaved_each_kept_with_a_word(desk: Desk) -> None:
    """A part of another petition in the middle of a set starts its own set (the first is kept,
    not reset); the first set's next part joins it; a duplicate says so; missing parts are named."""
    first, second = qr(parts=3), qr(document(), parts=3)  # another payload id
    a = desk.feed(first[0])
    b = desk.feed(first[1])
    assert isinstance(b, PartNews) and (b.received, b.missing, b.word()) == (2, [3], ("", ""))
    c = desk.feed(second[0])  # another citizen's part in between
    assert isinstance(c, PartNews) and c.started and (c.received, c.total, c.missing) == (1, 3, [2, 3])
    assert [(o.received, o.missing) for o in c.others] == [(2, [3])]  # the first set is kept
    assert "다른 신청서의 조각" in c.word()[0] and "2, 3" in c.word()[0]
    d = desk.feed(first[1])  # scanned again
    assert isinstance(d, PartNews) and d.duplicate and d.received == 2
    assert "이미 스캔한 조각" in d.word()[0] and "남은 조각: 3" in d.word()[0]
    done = desk.feed(first[2])  # the first set completes; the second is still open
    assert isinstance(done, Checked) and sorted(done.texts) == sorted(first)
    assert isinstance(a, PartNews) and a.missing == [2, 3]
    e = desk.feed(second[2])
    assert isinstance(e, PartNews) and (e.received, e.missing) == (2, [2]) and not e.started
    other = desk.feed(second[1])
    assert isinstance(other, Checked) and other.document.id != done.document.id
    assert sorted(other.texts) == sorted(second)


def test_a_serial_scanner_s_aim_prefix_and_suffix_are_taken_off(desk: Desk) -> None:
    text = qr()[0]
    done = desk.feed("]Q1" + text + "\x03")
    assert isinstance(done, Checked) and done.texts == (text,)



def test_the_scanner_test_code_at_the_counter_says_what_it_is(desk: Desk) -> None:
    """Not "damaged, scan again" (a rescan never helps): the scanner works, scan a petition."""
    from decoding.calibration import TEST_PAYLOAD

    for text in (TEST_PAYLOAD, TEST_PAYLOAD.lower() + "\r", "]Q1" + TEST_PAYLOAD + "\x03"):
        with pytest.raises(PayloadError) as info:
            desk.feed(text)
        assert info.value.code == ErrorCode.PREFIX and "시험 코드" in info.value.message_ko
        assert "test code" in info.value.message_en

def test_a_set_set_aside_is_forgotten(desk: Desk) -> None:
    parts = qr(parts=2)
    first = desk.feed(parts[0])
    assert isinstance(first, PartNews)
    assert desk.set_aside(first.msg_id) and not desk.set_aside(first.msg_id)
    again = desk.feed(parts[1])  # starts afresh: part 1 is missing again
    assert isinstance(again, PartNews) and again.missing == [1]


def test_field_errors_are_findings_and_a_correction_clears_them(desk: Desk) -> None:
    doc = document()
    doc["forms"][0]["fields"]["copies"] = 0
    checked = desk.feed(qr(doc)[0])
    assert isinstance(checked, Checked)
    assert [(f.field, f.severity) for f in checked.errors] == [("copies", "error")]
    with pytest.raises(PayloadError) as err:
        desk.accept(checked, [], None, [])
    assert err.value.code == ErrorCode.FIELD_INVALID
    fix = [Correction("RESIDENT_CERT_ISSUE", "copies", 0, 2, "kim")]
    fixed = desk.revalidate(checked, fix)
    assert fixed.errors == [] and fixed.document.forms[0].fields["copies"] == 2
    assert fixed.as_given is checked.document  # corrections apply to what the citizen sent
    broken = desk.revalidate(checked, [Correction("RESIDENT_CERT_ISSUE", "subject_rrn", None,
                                                  "12345", "kim")])
    assert any(f.field == "subject_rrn" and f.severity == "error" for f in broken.errors)
    receipt = desk.accept(fixed, [], None, fix)
    stored = desk.service.store.get(receipt.case_number)
    assert stored.document["forms"][0]["fields"]["copies"] == 2
    assert [c.field for c in stored.corrections] == ["forms[0].fields.copies"]


def test_a_return_is_recorded_in_the_accepts_transaction(desk: Desk, store: CaseStore) -> None:
    doc = document()
    doc["forms"][0]["fields"]["copies"] = 0  # errors do not stop a return: often they are why
    checked = desk.check(qr(doc))
    with pytest.raises(InvalidChange):
        desk.accept(checked, [], None, [], returned="  ")
    receipt = desk.accept(checked, [b"\x89PNG page"], None, [], returned="통수 오류")
    assert receipt.status == "returned" and receipt.reason == "통수 오류"
    assert receipt.to_json()["status"] == "returned"
    detail = store.get(receipt.case_id)
    assert detail.row.status == "returned" and detail.status_reason == "통수 오류"
    with store.read() as s:
        history = [tuple(r) for r in s.execute(select(StatusChange.status, StatusChange.reason))]
        actions = list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    assert history == [("received", None), ("returned", "통수 오류")]
    assert actions == ["intake", "status"]
    with pytest.raises(PayloadError) as err:  # the same QR again is a replay, saying so
        desk.check(checked.texts)
    assert err.value.code == ErrorCode.REPLAY and receipt.case_number in err.value.message_en
    # rescanned, a returned QR says when, by whom and why it was returned (not "접수했습니다")
    with pytest.raises(PayloadError) as err:
        desk.feed(checked.texts[0])
    ko = err.value.message_ko
    assert ko.startswith("반려된 신청서입니다") and "통수 오류" in ko and "kim" in ko and "민원1" in ko, ko
    assert "(으)로 접수했습니다" not in ko and "returned" in err.value.message_en
