"""Accounts: Argon2id only, first account an admin, failed sign-ins slowed, limited and audited,
disabled accounts refused, every change audited; the access review finds a planted burst."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from records import access, accounts
from records.accounts import Account
from records.errors import AccountError, AuthError
from records.models import AuditEvent
from records.store import CaseStore
from tests.records.support import db_url, new_case, open_test_store

__all__ = ["db_url"]

PW = "Sup3r-secret"


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now.timestamp()


@pytest.fixture
def clock() -> Clock:
    # 2026-11-25 10:00 KST, a Wednesday: inside office hours
    return Clock(dt.datetime(2026, 11, 25, 1, 0, tzinfo=dt.UTC))


@pytest.fixture
def store(db_url: str, tmp_path: Path, clock: Clock) -> Iterator[CaseStore]:
    s = open_test_store(db_url, tmp_path, clock=clock)
    yield s
    s.close()


def events(store: CaseStore, action: str | None = None) -> list[AuditEvent]:
    with store.read() as s:
        q = select(AuditEvent).order_by(AuditEvent.seq)
        if action:
            q = q.where(AuditEvent.action == action)
        return list(s.execute(q).scalars())


def setup_accounts(store: CaseStore) -> None:
    accounts.add(store, "boss", "admin", PW, by=None, counter="IT")
    accounts.add(store, "kim", "clerk", "Clerk-pass-1", by="boss", counter="IT")
    accounts.add(store, "park", "supervisor", "Chief-pass-1", by="boss", counter="IT")


def test_first_account_must_be_admin_and_passwords_are_argon2id(store: CaseStore) -> None:
    assert not accounts.required(store)
    with pytest.raises(AccountError, match="first account must be an admin"):
        accounts.add(store, "kim", "clerk", "Clerk-pass-1", by=None, counter="IT")
    setup_accounts(store)
    assert accounts.required(store)
    with store.read() as s:
        hashes = list(s.execute(select(Account.password_hash)).scalars())
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert not any(p in h for h in hashes for p in (PW, "Clerk-pass-1"))
    with pytest.raises(AuthError, match="already"):  # no second "first" account
        accounts.add(store, "lee", "admin", "Other-pass-1", by=None, counter="IT")
    with pytest.raises(AccountError):
        accounts.add(store, "lee", "clerk", "short", by="boss", counter="IT")
    with pytest.raises(AccountError):
        accounts.add(store, "lee", "clerk", "lee-12345678", by="boss", counter="IT")  # contains name
    ev = [json.loads(e.detail) for e in events(store, "account")]
    assert [(d["op"], d["account"], d["role"]) for d in ev] == [
        ("add", "boss", "admin"), ("add", "kim", "clerk"), ("add", "park", "supervisor")]
    assert [e.actor for e in events(store, "account")] == ["boss", "boss", "boss"]
    assert all(e.counter == "IT" for e in events(store, "account"))


def test_emptied_accounts_table_does_not_reopen_set_up_mode(store: CaseStore) -> None:
    setup_accounts(store)

    def wipe(s: object) -> None:
        s.execute(delete(Account))  # type: ignore[attr-defined]

    store.write(wipe)
    assert accounts.required(store)  # the meta latch stays


def test_failed_sign_ins_are_slowed_limited_and_audited(store: CaseStore, clock: Clock) -> None:
    setup_accounts(store)
    slept: list[float] = []
    for n in range(1, accounts.MAX_FAILURES + 1):
        with pytest.raises(AuthError) as info:
            accounts.authenticate(store, "kim", "guess-123", counter="민원1", via="test",
                                  sleep=slept.append)
        assert info.value.reason == ("locked" if n == accounts.MAX_FAILURES else "wrong_password")
    assert slept == [0.5, 1.0, 2.0, 4.0, 8.0]
    # locked: even the right password is refused, without verifying anything
    with pytest.raises(AuthError, match="locked") as info:
        accounts.authenticate(store, "kim", "Clerk-pass-1", counter="민원1", via="test", sleep=slept.append)
    assert info.value.reason == "locked"
    signins = [json.loads(e.detail) for e in events(store, "signin")]
    assert [d["ok"] for d in signins] == [False] * 6
    assert [d.get("reason") for d in signins] == ["wrong_password"] * 4 + ["locked", "locked"]
    assert signins[4]["locked_minutes"] == accounts.LOCK_MINUTES
    assert all(e.actor == "kim" and e.counter == "민원1" for e in events(store, "signin"))
    # after the lock time a wrong password counts from one again (it does not re-lock at once)
    clock.now += dt.timedelta(minutes=accounts.LOCK_MINUTES + 1)
    with pytest.raises(AuthError) as info:
        accounts.authenticate(store, "kim", "guess-123", counter="민원1", via="test", sleep=slept.append)
    assert info.value.reason == "wrong_password" and slept[-1] == 0.5
    # and the right password works and resets the count
    info2 = accounts.authenticate(store, "kim", "Clerk-pass-1", counter="민원1", via="test")
    assert info2.name == "kim" and info2.role == "clerk"
    assert accounts.get(store, "kim").failed_count == 0  # type: ignore[union-attr]
    # an unknown name is slowed too and recorded, without an account
    with pytest.raises(AuthError) as info:
        accounts.authenticate(store, "nobody", "x", counter="민원1", via="test", sleep=slept.append)
    assert info.value.reason == "unknown" and slept[-1] == 0.5
    assert events(store, "signin")[-1].actor == "?"


def test_a_disabled_account_cannot_sign_in_and_is_kept(store: CaseStore) -> None:
    setup_accounts(store)
    accounts.disable(store, "kim", by="boss", counter="IT", reason="퇴직")
    with pytest.raises(AuthError, match="disabled") as info:
        accounts.authenticate(store, "kim", "Clerk-pass-1", counter="민원1", via="test")
    assert info.value.reason == "disabled"
    kim = accounts.get(store, "kim")
    assert kim is not None and not kim.active and kim.rights == frozenset()
    with pytest.raises(AccountError, match="last active admin"):
        accounts.disable(store, "boss", by="boss", counter="IT")
    with pytest.raises(AccountError, match="last active admin"):
        accounts.set_role(store, "boss", "clerk", by="boss", counter="IT")
    accounts.enable(store, "kim", by="boss", counter="IT")
    accounts.set_role(store, "kim", "supervisor", by="boss", counter="IT")
    accounts.set_password(store, "kim", "New-pass-22", by="kim", counter="민원1")
    assert accounts.authenticate(store, "kim", "New-pass-22", counter="민원1", via="t").can("reveal")
    ops = [json.loads(e.detail)["op"] for e in events(store, "account")]
    assert ops[3:] == ["disable", "enable", "role", "password"]


def test_a_role_without_the_right_is_refused_and_audited(store: CaseStore) -> None:
    setup_accounts(store)
    with pytest.raises(AuthError, match="no right to reveal"):
        accounts.authenticate(store, "kim", "Clerk-pass-1", counter="민원1", via="t", right="reveal")
    assert accounts.authenticate(store, "park", "Chief-pass-1", counter="민원1", via="t",
                                 right="reveal").name == "park"
    admin = accounts.authenticate(store, "boss", PW, counter="IT", via="t")
    from counter_app import authz  # the one gate every entry point asks

    with pytest.raises(AuthError):
        authz.authorize(store, admin, "export", counter="IT", via="t")
    last = json.loads(events(store, "signin")[-1].detail)
    assert last == {"op": "right", "account": "boss", "via": "t", "right": "export", "ok": False,
                    "reason": "no_right"}


def test_the_access_review_finds_a_planted_burst_of_reveals(store: CaseStore, clock: Clock) -> None:
    setup_accounts(store)
    receipts = [store.record(new_case(clerk="kim")) for _ in range(14)]
    # park reveals 12 applicants' numbers within 20 minutes: a burst (rule: more than 10 an hour)
    for r in receipts[:12]:
        clock.now += dt.timedelta(minutes=1, seconds=40)
        store.reveal_rrn(r.case_id, "applicant", clerk="park", counter="민원3", reason="본인 확인 요청")
    # an ordinary reveal later that day, with a junk reason, by kim on kim's case
    clock.now += dt.timedelta(hours=3)
    store.reveal_rrn(receipts[12].case_id, "applicant", clerk="kim", counter="민원1", reason="ㅁㅁㅁ")
    # and one at 22:30 KST
    clock.now = dt.datetime(2026, 11, 25, 13, 30, tzinfo=dt.UTC)
    store.reveal_rrn(receipts[13].case_id, "applicant", clerk="kim", counter="민원1", reason="민원인 요청으로 확인")
    day = dt.date(2026, 11, 25)
    report = access.access_report(store, day, day)
    rules = {f.rule for f in report.flags}
    assert {"burst", "bad_reason", "out_of_hours"} <= rules
    # park is a supervisor: another clerk's case is the review's work, flagged only as a burst
    assert "not_own_case" not in rules
    burst = [f for f in report.flags if f.rule == "burst"]
    assert len(burst) == 1 and burst[0].actor == "park" and len(burst[0].seqs) == 12
    assert not any(f.rule == "burst" and f.actor == "kim" for f in report.flags)
    bad = [f for f in report.flags if f.rule == "bad_reason"]
    assert [f.actor for f in bad] == ["kim"]
    # the reveals name the person and the terminal; filters by account and person work
    reveals = [e for e in report.events if e.action == "reveal_rrn"]
    assert len(reveals) == 14 and reveals[0].person and reveals[0].counter == "민원3"
    only_kim = access.access_report(store, day, day, user="kim", action="reveal_rrn")
    assert {e.actor for e in only_kim.events} == {"kim"} and len(only_kim.events) == 2
    assert not any(f.rule == "burst" for f in only_kim.flags)
    # the supervisor records the review; it is kept and audited
    rec = access.record_review(store, report, reviewer="park", counter="민원3",
                               findings="park 대량 열람: 본인 확인 요청 공문 확인함")
    again = access.access_report(store, day, day)
    assert again.reviews == [rec]
    last = events(store)[-1]
    assert last.action == "access_review" and last.actor == "park"
    assert json.loads(last.detail)["flags"] == len(report.flags)


@pytest.mark.parametrize(("reason", "junk"), [
    (None, True), ("", True), ("  ", True), ("ㅁㅁㅁ", True), ("asdf", True), ("....", True),
    ("1234", True), ("aaaaaa", True), ("test", True), ("ㅋㅋㅋㅋ", True),
    ("본인확인", False), ("민원인 요청", False), ("세무서 제출용 확인", False),
    ("identity check", False),
])
def test_junk_reasons(reason: str | None, junk: bool) -> None:
    assert access.junk_reason(reason) is junk


def test_rules_from_counter_toml() -> None:
    r = access.Rules.from_settings({"burst_per_hour": 5, "office_hours": "09:00-18:00"})
    assert r.burst_per_hour == 5 and r.office_start == dt.time(9) and r.office_end == dt.time(18)
    with pytest.raises(ValueError, match="office_hours"):
        access.Rules.from_settings({"office_hours": "nine to six"})


def test_account_events_are_keyed_when_the_store_keys_its_chain(
    store: CaseStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12 keys the audit chain: account events then carry the store's integrity key."""
    import inspect

    from records import audit

    real = audit.append
    takes_key = "key" in inspect.signature(real).parameters
    seen: list[object] = []

    def spy(s: object, **kw: object) -> object:
        seen.append(kw.get("key"))
        if not takes_key:
            kw.pop("key", None)
        return real(s, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(audit, "append", spy)
    if not hasattr(store, "integrity_key"):
        monkeypatch.setattr(store, "integrity_key", lambda: b"k" * 32, raising=False)
    key = store.integrity_key()  # type: ignore[attr-defined]
    setup_accounts(store)
    with pytest.raises(AuthError):
        accounts.authenticate(store, "kim", "nope-1234", counter="민원1", via="t", sleep=lambda _s: None)
    assert len(seen) == 4 and all(k == key for k in seen)


def test_a_refused_sign_in_does_not_tell_whether_the_account_exists(store: CaseStore) -> None:
    """Unknown, wrong password, disabled and locked read the same until the password is proven."""
    setup_accounts(store)
    accounts.disable(store, "kim", by="boss", counter="IT", reason="퇴직")
    said = []
    for name in ("nobody", "park", "kim"):
        with pytest.raises(AuthError) as info:
            accounts.authenticate(store, name, "guess-123", counter="민원1", via="test",
                                  sleep=lambda _s: None)
        said.append((info.value.message, info.value.to_json()["details"].get("reason")))
    assert len(set(said)) == 1 and said[0][1] == "denied", said
    reasons = [json.loads(e.detail)["reason"] for e in events(store, "signin")]
    assert reasons == ["unknown", "wrong_password", "disabled"]  # the audit trail still knows
    # with the right password, the disabled account is told why
    with pytest.raises(AuthError, match="disabled") as info:
        accounts.authenticate(store, "kim", "Clerk-pass-1", counter="민원1", via="test")
    assert info.value.reason == "disabled"


def test_two_first_admins_at_once_make_one(db_url: str, tmp_path: Path, clock: Clock) -> None:
    """Two counters making "the first admin" at the same moment: one wins, the other is told."""
    import threading

    inside, go = threading.Event(), threading.Event()

    class Holding(Clock):
        """Holds the first transaction after it decided "first account" until ``go``."""

        def __call__(self) -> float:
            if not inside.is_set():
                inside.set()
                go.wait(30)
            return super().__call__()

    first = open_test_store(db_url, tmp_path, clock=Holding(clock.now))
    second = open_test_store(db_url, tmp_path, clock=clock)
    outcome: dict[str, BaseException | None] = {}

    def make(store: CaseStore, name: str) -> None:
        try:
            accounts.add(store, name, "admin", PW, by=None, counter=name)
            outcome[name] = None
        except BaseException as exc:  # recorded for the assertion below
            outcome[name] = exc

    try:
        a = threading.Thread(target=make, args=(first, "boss-a"))
        a.start()
        assert inside.wait(30)
        b = threading.Thread(target=make, args=(second, "boss-b"))
        b.start()
        b.join(1.0)  # without the lock, the second finishes here as a "first admin" too
        go.set()
        a.join(30)
        b.join(30)
        # one of them is the first admin, the other is told that accounts exist already
        won = [name for name, exc in outcome.items() if exc is None]
        lost = [exc for exc in outcome.values() if exc is not None]
        assert len(won) == 1 and len(lost) == 1 and isinstance(lost[0], AuthError), outcome
        assert [x.name for x in accounts.list_accounts(second)] == won
    finally:
        go.set()
        first.close()
        second.close()
