"""The schema and the document rules agree on every length (PostgreSQL refuses what
SQLite takes: ``StringDataRightTruncation``); past the rules, a clear error."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import String

from decoding.document import MAX_NAME, MAX_PERSON_TEXT, MAX_RELATION
from records.errors import InvalidChange
from records.fleet import MAX_VERSION
from records.limits import MAX_CLERK, MAX_COUNTER, MAX_REASON
from records.models import Base
from records.store import CaseStore
from tests.records.support import document, new_case, payload_id

# Where every bounded string column gets its value, and the rule that bounds it.
RULES: dict[str, int | str] = {
    "cases.uid": "uuid4().hex: 32",
    "cases.office": 16,
    "cases.case_number": "office 16 + year 4 + serial up to 10 + 2 hyphens = 32",
    "cases.payload_id": "22 base64url characters (MW_SCHEMA)",
    "cases.source": "qr | paper",
    "cases.form_code": "[A-Za-z0-9_.-]{1,64} (MW_SCHEMA)",
    "cases.form_codes": "10 codes of 64 + 9 commas = 649, cut at 700",
    "cases.status": "received | returned | completed",
    "cases.clerk": MAX_CLERK,
    "cases.counter": MAX_COUNTER,
    "cases.applicant_name": MAX_NAME,
    "cases.applicant_rrn_masked": "13 digits masked: 14",
    "cases.delegate_name": MAX_NAME,
    "cases.delegate_relation": MAX_RELATION,
    "cases.delegate_rrn_masked": "13 digits masked: 14",
    "cases.data_key_id": "16 hex",
    "cases.seal": "64 hex (HMAC-SHA256)",
    "status_changes.status": "as cases.status",
    "status_changes.clerk": MAX_CLERK,
    "status_changes.counter": MAX_COUNTER,
    "corrections.field": "cut at 200",
    "corrections.clerk": MAX_CLERK,
    "attachments.kind": "page | seal",
    "attachments.sha256": "64 hex",
    "attachments.media_type": "one of five types",
    "attachments.name": "a file name: 255 on every file system, cut at 255",
    "case_counters.office": 16,
    "purged_cases.case_number": "as cases.case_number",
    "purged_cases.office": 16,
    "audit_events.at": "ISO time: 27",
    "audit_events.actor": MAX_CLERK,
    "audit_events.counter": MAX_COUNTER,
    "audit_events.case_number": "as cases.case_number",
    "audit_events.action": "one of ACTIONS",
    "audit_events.prev_hash": "64 hex",
    "audit_events.hash": "64 hex",
    "audit_head.hash": "64 hex",
    "meta.key": "program-chosen names",
    "accounts.name": "records.accounts.NAME_RE: 2 to 32 characters",
    "accounts.role": "clerk | supervisor | admin",
    "accounts.password_hash": "an Argon2id hash string: about 100",
    "accounts.created_by": "an account name (32) or the set-up mode's clerk: MAX_CLERK",
    "access_reviews.period_from": "ISO date: 10",
    "access_reviews.period_to": "ISO date: 10",
    "access_reviews.reviewer": "an account name: 32",
    "access_reviews.counter": MAX_COUNTER,
    "counter_heartbeats.office": "the configured office: OFFICE, 16 (records.fleet.bounded)",
    "counter_heartbeats.counter": MAX_COUNTER,
    "counter_heartbeats.host": "the PC's host name, cut at 128 (records.fleet.bounded)",
    "counter_heartbeats.version": MAX_VERSION,
    "counter_heartbeats.config_hash": "64 hex (SHA-256), cut at 64 (records.fleet.bounded)",
    # row seals (records.sealing): HMAC-SHA256 in hex
    **{f"{t}.mac": "64 hex" for t in ("accounts", "access_reviews", "purged_cases",
                                       "case_counters", "meta")},
    "counter_heartbeats.update_state": "a kind of counter_app.update.KINDS, cut at 16 (bounded)",
    "counter_heartbeats.problem_checks": "id:status words, cut at 400 (records.fleet.problem_checks)",
    # issue 24: copies of the case's own columns (same lengths) and closed vocabularies
    "case_facts.office": "cases.office: 16",
    "case_facts.uid": "cases.uid: 32",
    "case_facts.counter": MAX_COUNTER,
    "case_facts.form_code": "cases.form_code: 64",
    "case_facts.origin": "qr | paper",
    "case_facts.status": "received | returned | completed",
    "case_facts.return_category": "records.district.RETURN_CATEGORIES: at most 9",
}


def test_every_bounded_column_has_a_rule_that_fits() -> None:
    seen = {}
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String) and column.type.length is not None:
                seen[f"{table.name}.{column.name}"] = column.type.length
    # a new bounded column must say where its values come from and what bounds them
    assert set(seen) <= set(RULES), sorted(set(seen) - set(RULES))
    for name, rule in RULES.items():
        if name in seen and isinstance(rule, int):
            assert rule <= seen[name], (name, rule, seen[name])
    assert MAX_PERSON_TEXT <= 4000 and MAX_REASON > 0


def _longest(**over: Any) -> Any:
    pid = payload_id()
    doc = document(pid, delegate=True)
    doc["applicant"]["name"] = "김" * MAX_NAME
    doc["delegate"]["name"] = "이" * MAX_NAME
    doc["delegate"]["relation"] = "관" * MAX_RELATION
    doc["forms"] = [{"code": f"{i}" + "F" * 63, "ver": 1, "fields": {}} for i in range(10)]
    values = {"document": doc, "office": "A" * 16, "clerk": "c" * MAX_CLERK,
              "counter": "창" * MAX_COUNTER}
    values.update(over)
    return new_case(pid, **values)


def test_the_longest_values_fit_on_every_backend(store: CaseStore) -> None:
    receipt = store.record(_longest(pages=[b"x"]))
    store.set_status(receipt.case_id, "returned", clerk="c" * MAX_CLERK,
                     counter="창" * MAX_COUNTER, reason="사" * MAX_REASON)
    row = store.get(receipt.case_id).row
    assert row.applicant_name == "김" * MAX_NAME and row.delegate_name == "이" * MAX_NAME


@pytest.mark.parametrize("over", [
    {"clerk": "c" * (MAX_CLERK + 1)},
    {"counter": "창" * (MAX_COUNTER + 1)},
    {"office": "A" * 17},
    {"office": "../../x"},
    {"office": ""},
    {"clerk": "kim\x00"},
])
def test_too_long_or_unstorable_is_a_clear_error_on_every_backend(
    store: CaseStore, over: dict[str, Any]
) -> None:
    with pytest.raises(InvalidChange):
        store.record(_longest(**over))
    assert store.list_day(__import__("datetime").date.today()) == []


def test_a_relation_past_the_rule_is_refused_by_the_flush_too(store: CaseStore) -> None:
    # a document that skipped the reader's rules (e.g. built by other code): still no
    # driver error, the column is named
    case = _longest()
    case.document["delegate"]["relation"] = "관" * 81
    with pytest.raises(InvalidChange) as caught:
        store.record(case)
    assert caught.value.details["column"] == "cases.delegate_relation"


def test_a_return_reason_keeps_no_resident_number(store: CaseStore) -> None:
    r = store.record(new_case())
    store.set_status(r.case_id, "returned", clerk="kim", counter="민원1",
                     reason="주민번호 900101-1234568 확인 불가, 9001011234568 재확인")
    from sqlalchemy import select

    from records.models import AuditEvent, Case, StatusChange

    with store.read() as s:
        texts = [*s.execute(select(AuditEvent.detail)).scalars(),
                 *s.execute(select(StatusChange.reason)).scalars(),
                 *s.execute(select(Case.status_reason)).scalars()]
    joined = " ".join(t for t in texts if t)
    assert "1234568" not in joined and "900101-1******" in joined
