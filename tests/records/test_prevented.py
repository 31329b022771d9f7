"""What the integrity model prevents, not only detects: the program never builds on a row
changed behind its back, and every write it makes is sealed by one rule."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from records import accounts, audit, check, purge
from records.accounts import Account
from records.errors import AuthError, Tampered
from records.models import Case, CaseStatus, Meta, StatusChange
from records.store import CaseStore
from tests.records.support import new_case
from tests.records.world import COUNTER, PASSWORD


def _people(store: CaseStore) -> None:
    accounts.add(store, "admin1", "admin", PASSWORD, by=None, counter=COUNTER)
    accounts.add(store, "kim", "clerk", PASSWORD, by="admin1", counter=COUNTER)


def test_a_role_raised_by_sql_signs_nobody_in(store: CaseStore) -> None:
    _people(store)
    with store.engine.begin() as conn:
        conn.execute(update(Account).where(Account.name == "kim").values(role="supervisor"))
    with pytest.raises(Tampered) as err:
        accounts.authenticate(store, "kim", PASSWORD, counter=COUNTER, via="test",
                              right="export", sleep=lambda _: None)
    assert err.value.details["where"] == "accounts.kim"
    with pytest.raises(Tampered):
        accounts.get(store, "kim")  # the account read again at an action
    assert accounts.get(store, "admin1") is not None


def test_deleting_accounts_and_marker_does_not_reopen_set_up(store: CaseStore) -> None:
    _people(store)
    with store.engine.begin() as conn:
        conn.execute(delete(Account))
        conn.execute(delete(Meta).where(Meta.key == "accounts"))
    assert accounts.required(store)
    with pytest.raises(AuthError):
        accounts.add(store, "mallory", "admin", PASSWORD, by=None, counter=COUNTER)
    kinds = {p.kind for p in check.check(store).problems}
    assert {"setup_marker", "account_missing"} <= kinds


def test_a_case_put_back_to_an_older_state_is_not_built_on(store: CaseStore) -> None:
    number = store.record(new_case()).case_number
    with store.read() as s:
        old = s.execute(select(Case.status, Case.seal, Case.seal_seq, Case.closed_at,
                               Case.status_reason).where(Case.case_number == number)).one()
    store.set_status(number, "returned", reason="서류 미비", clerk="kim", counter=COUNTER)
    with store.engine.begin() as conn:
        cid = conn.execute(select(Case.id).where(Case.case_number == number)).scalar_one()
        last = conn.execute(select(StatusChange.id).where(StatusChange.case_id == cid)
                            .order_by(StatusChange.id.desc())).scalars().first()
        conn.execute(delete(StatusChange).where(StatusChange.id == last))
        conn.execute(update(Case).where(Case.id == cid).values(**old._asdict()))
    with pytest.raises(Tampered) as err:
        store.set_status(number, "completed", clerk="kim", counter=COUNTER)
    assert err.value.details["problem"] == "rolled_back"


def test_a_case_made_purgeable_by_sql_is_not_destroyed(store: CaseStore) -> None:
    kept = store.record(new_case()).case_number
    with store.engine.begin() as conn:  # closed long ago, says the edit
        conn.execute(update(Case).where(Case.case_number == kept).values(
            status="completed", closed_at=store.now() - dt.timedelta(days=4000)))
    with pytest.raises(Tampered) as err:
        purge.purge(store, store.now().date(), clerk="lee", counter=COUNTER)
    assert err.value.details["case"] == kept
    with store.read() as s:
        assert s.execute(select(Case.id).where(Case.case_number == kept)).first() is not None


def test_any_write_through_the_store_is_sealed_when_it_ends(store: CaseStore) -> None:
    """The kind of the Ctrl+R false alarm: a change no code path sealed by hand."""
    number = store.record(new_case()).case_number
    store.integrity_key()

    def work(s: Session) -> None:  # no seal_case call anywhere here
        c = s.execute(select(Case).where(Case.case_number == number)).scalar_one()
        c.status, c.status_reason = CaseStatus.RETURNED, "서류 미비"
        c.closed_at = store.now()
        s.add(StatusChange(case_id=c.id, at=store.now(), status=CaseStatus.RETURNED,
                           reason="서류 미비", clerk="kim", counter=COUNTER))
        audit.append(s, action="status", actor="kim", counter=COUNTER, at=store.now(),
                     key=store.integrity_key(), case_id=c.id, case_number=number,
                     detail={"status": "returned"})

    store.write(work)
    report = check.check(store)
    assert report.ok, report.to_json()
