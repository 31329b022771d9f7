"""The district database: every office's facts and heartbeats, by PostgreSQL logical replication.

The district holds copies of the published tables (:data:`records.district.PUBLISHED`:
the same names, the published columns only, so nothing else *can* arrive) and
one subscription per office (``district_<office>``) to the office's
publication. PostgreSQL does the rest: the first copy of an office's rows,
then every change in commit order; an office that was offline resumes from
its replication slot where it stopped, so nothing is lost or applied twice.

:func:`init_district` creates (or brings up to date) the tables,
:func:`add_office` / :func:`remove_office` manage subscriptions and
:func:`subscription_status` says how each one is doing, from the district's
side (worker, table sync, errors, last message) and, when the office answers,
from the office's side (its slot: how much WAL it keeps for the district,
whether ``max_slot_wal_keep_size`` invalidated it).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Column,
    Index,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    inspect,
    text,
)
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError

from records.district import PUBLICATION, PUBLISHED, published_columns
from records.errors import RecordsError
from records.models import NAMING, Base, UTCDateTime

OFFICE_RE = re.compile(r"[0-9A-Za-z]{1,16}")
LAG_WARN_S = 300  # a subscription silent this long is reported as lagging


class DistrictError(RecordsError):
    """A district command that cannot be done (unknown office, unreachable source, …)."""

    code = "DISTRICT"


class BadOfficeCode(DistrictError):
    """An office code that is not one (a usage error)."""

    code = "DISTRICT_OFFICE"


meta = MetaData(naming_convention=NAMING)


def _replica(name: str) -> Table:
    source = Base.metadata.tables[name]
    return Table(name, meta, *(source.c[c]._copy() for c in PUBLISHED[name]))


facts = _replica("case_facts")
Index("ix_case_facts_office_accepted_at", facts.c.office, facts.c.accepted_at)
heartbeats = _replica("counter_heartbeats")
offices = Table(
    "district_offices", meta,
    Column("office", String(16), primary_key=True),
    Column("subscription", String(63), nullable=False),
    Column("source", Text, nullable=False),  # the office's URL, password hidden
    Column("added_at", UTCDateTime(), nullable=False),
)
viewers = Table(
    "district_viewers", meta,
    Column("name", String(64), primary_key=True),
    Column("role", String(16), nullable=False),  # "district" (all offices) or "supervisor"
    Column("office", String(16)),  # a supervisor's office
    Column("password_hash", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)


def _require_pg(url: str) -> None:
    try:
        backend = make_url(url).get_backend_name()
    except Exception:  # SQLAlchemy's ArgumentError, a ValueError: not a URL
        backend = ""
    if backend != "postgresql":
        raise DistrictError("지구 데이터베이스와 기관 원본은 PostgreSQL 이어야 합니다",
                            "the district database and the offices' sources must be PostgreSQL")


def engine_for(url: str) -> Engine:
    _require_pg(url)
    return create_engine(url, pool_pre_ping=True)


def init_district(engine: Engine) -> list[str]:
    """Create the district's tables, or add the columns a newer program publishes (the
    district goes first: see README). The names of the columns added."""
    added: list[str] = []
    with engine.begin() as conn:
        meta.create_all(conn)
        have = {t: {c["name"] for c in inspect(conn).get_columns(t)} for t in PUBLISHED}
        for table_name, cols in PUBLISHED.items():
            for col in cols:
                if col not in have[table_name]:
                    column = meta.tables[table_name].c[col]
                    kind = column.type.compile(dialect=conn.dialect)
                    conn.execute(text(f"ALTER TABLE {table_name} ADD COLUMN {col} {kind}"))
                    added.append(f"{table_name}.{col}")
    return added


def check_office(office: str) -> str:
    if not OFFICE_RE.fullmatch(office or ""):
        raise BadOfficeCode(f"기관 코드는 영문·숫자 16자 이내입니다: {office[:20]!r}",
                            f"an office code is at most 16 letters or digits: {office[:20]!r}")
    return office


def subscription_name(office: str) -> str:
    return f"district_{check_office(office).lower()}"


def conninfo(url: str | URL) -> str:
    """A libpq connection string (what a subscription stores) from a SQLAlchemy URL."""
    u = make_url(url) if isinstance(url, str) else url
    parts = {"host": u.host or "", "port": str(u.port or 5432), "user": u.username or "",
             "password": u.password or "", "dbname": u.database or ""}
    for k, v in (u.query or {}).items():
        parts[k] = v if isinstance(v, str) else v[0]

    def quoted(v: str) -> str:
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"

    return " ".join(f"{k}={quoted(v)}" for k, v in parts.items() if v)


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def add_office(engine: Engine, office: str, source: str, *, now: dt.datetime) -> dict[str, Any]:
    """Subscribe the district to one office's publication (its rows are copied first)."""
    name = subscription_name(office)
    _require_pg(source)
    with engine.connect() as conn:
        if conn.execute(offices.select().where(offices.c.office == office)).first():
            raise DistrictError(f"기관 {office} 은(는) 이미 구독 중입니다 (먼저 remove-office)",
                                f"office {office} is already subscribed (remove-office first)")
    src = create_engine(source)
    try:
        with src.connect() as sconn:
            listed = published_columns(sconn)
            found = {str(o) for (o,) in sconn.execute(text(
                "SELECT office FROM case_facts UNION SELECT office FROM counter_heartbeats"))}
    except DBAPIError as exc:
        raise DistrictError(f"기관 데이터베이스에 연결할 수 없습니다: {_first_line(exc)}",
                            f"cannot reach the office database: {_first_line(exc)}") from None
    finally:
        src.dispose()
    if listed is None:
        raise DistrictError("기관 데이터베이스에 발행(district)이 없습니다: counter-app db upgrade",
                            "the office database has no 'district' publication: run counter-app db upgrade")
    wanted = {t: sorted(c) for t, c in PUBLISHED.items()}
    if {t: sorted(c) for t, c in listed.items()} != wanted:
        raise DistrictError("기관의 발행 열 목록이 이 프로그램과 다릅니다 (두 쪽 버전 확인)",
                            "the office publishes other columns than this program expects "
                            f"(check both versions): {listed}")
    others = sorted(found - {office})
    if others:
        raise DistrictError(f"원본에 다른 기관의 자료가 있습니다: {', '.join(others)[:80]}",
                            f"the source holds other offices' rows: {', '.join(others)[:80]}")
    # Kept without its password: status reaches the office with ~/.pgpass or PGPASSWORD, if at all.
    shown = make_url(source).set(password=None).render_as_string(hide_password=False)
    with engine.begin() as conn:  # an office added again starts from its own full copy
        conn.execute(facts.delete().where(facts.c.office == office))
        conn.execute(heartbeats.delete().where(heartbeats.c.office == office))
        conn.execute(offices.insert().values(office=office, subscription=name, source=shown,
                                             added_at=now))
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(
                f"CREATE SUBSCRIPTION {name} CONNECTION {_sql_literal(conninfo(source))} "
                f"PUBLICATION {PUBLICATION} WITH (copy_data = true)"))
    except DBAPIError as exc:
        with engine.begin() as conn:
            conn.execute(offices.delete().where(offices.c.office == office))
        raise DistrictError(f"구독을 만들 수 없습니다: {_first_line(exc)}",
                            f"the subscription could not be created: {_first_line(exc)}") from None
    return {"office": office, "subscription": name, "source": shown}


def remove_office(engine: Engine, office: str, *, keep_data: bool = False) -> dict[str, Any]:
    """Drop an office's subscription (and its slot at the office, when the office answers)."""
    name = subscription_name(office)
    with engine.connect() as conn:
        if not conn.execute(offices.select().where(offices.c.office == office)).first():
            raise DistrictError(f"구독 중인 기관이 아닙니다: {office}",
                                f"no such office in the district: {office}")
    slot_left = False
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_subscription WHERE subname = :n"),
                              {"n": name}).first()
        if exists:
            try:
                conn.execute(text(f"DROP SUBSCRIPTION {name}"))
            except DBAPIError:  # the office does not answer: its slot stays there
                conn.execute(text(f"ALTER SUBSCRIPTION {name} DISABLE"))
                conn.execute(text(f"ALTER SUBSCRIPTION {name} SET (slot_name = NONE)"))
                conn.execute(text(f"DROP SUBSCRIPTION {name}"))
                slot_left = True
    with engine.begin() as conn:
        conn.execute(offices.delete().where(offices.c.office == office))
        if not keep_data:
            conn.execute(facts.delete().where(facts.c.office == office))
            conn.execute(heartbeats.delete().where(heartbeats.c.office == office))
    out: dict[str, Any] = {"office": office, "removed": True, "kept_data": keep_data}
    if slot_left:
        out["slot_left_at_office"] = name
    return out


def _first_line(exc: BaseException) -> str:
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return lines[0][:300] if lines else type(exc).__name__


@dataclass
class SubscriptionStatus:
    """How one office's subscription is doing; ``state`` is ok, syncing, lagging, failing or
    disabled, and ``problems`` say why in Korean and English."""

    office: str
    subscription: str
    source: str  # the office URL without password
    state: str = "ok"
    enabled: bool = False
    worker: bool = False
    tables: dict[str, str] = field(default_factory=dict)  # table -> ready, copying, …
    errors: int = 0  # apply and sync errors since the subscription began
    last_message_s: float | None = None  # seconds since the office was last heard
    lag_bytes: int | None = None  # the office's WAL not yet confirmed by the district
    slot: str | None = None  # the office's wal_status: reserved, extended, unreserved, lost
    safe_wal_bytes: int | None = None  # WAL left before max_slot_wal_keep_size cuts the slot
    problems: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


SYNC_STATES = {"i": "initializing", "d": "copying", "f": "copied", "s": "synced", "r": "ready"}


def subscription_status(engine: Engine, *, ask_offices: bool = True) -> list[SubscriptionStatus]:
    """Every office of the district, failing ones first."""
    out = []
    with engine.connect() as conn:
        rows = list(conn.execute(offices.select().order_by(offices.c.office)))
        for r in rows:
            st = SubscriptionStatus(r.office, r.subscription, r.source)
            _district_side(conn, st)
            out.append(st)
    if ask_offices:
        for st in out:
            _office_side(st)
    for st in out:
        _judge(st)
    order = {"failing": 0, "disabled": 1, "lagging": 2, "syncing": 3, "ok": 4}
    out.sort(key=lambda s: (order.get(s.state, 0), s.office))
    return out


def _district_side(conn: Connection, st: SubscriptionStatus) -> None:
    sub = conn.execute(text("SELECT oid, subenabled FROM pg_subscription WHERE subname = :n"),
                       {"n": st.subscription}).first()
    if sub is None:
        st.problems.append("구독이 없습니다 / the subscription is missing")
        return
    st.enabled = bool(sub.subenabled)
    for relname, state in conn.execute(text(
        "SELECT c.relname, r.srsubstate FROM pg_subscription_rel r "
        "JOIN pg_class c ON c.oid = r.srrelid WHERE r.srsubid = :oid"), {"oid": sub.oid}):
        st.tables[str(relname)] = SYNC_STATES.get(str(state), str(state))
    worker = conn.execute(text(
        "SELECT pid, extract(epoch FROM now() - last_msg_receipt_time) AS quiet "
        "FROM pg_stat_subscription WHERE subid = :oid AND relid IS NULL"), {"oid": sub.oid}).first()
    if worker is not None and worker.pid is not None:
        st.worker = True
        st.last_message_s = float(worker.quiet) if worker.quiet is not None else None
    errs = conn.execute(text(
        "SELECT apply_error_count + sync_error_count FROM pg_stat_subscription_stats "
        "WHERE subid = :oid"), {"oid": sub.oid}).scalar()
    st.errors = int(errs or 0)


def _office_side(st: SubscriptionStatus) -> None:
    """The office's view of the slot; silent (``None`` figures) when it cannot be reached."""
    try:
        src = create_engine(st.source, connect_args={"connect_timeout": 3})
    except Exception:  # a stored URL this program cannot open: the office side stays unknown
        return
    try:
        with src.connect() as conn:
            row = conn.execute(text(
                "SELECT wal_status, safe_wal_size, "
                "pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) AS lag "
                "FROM pg_replication_slots WHERE slot_name = :n"), {"n": st.subscription}).first()
        if row is None:
            st.slot = "missing"
        else:
            st.slot = str(row.wal_status)
            st.lag_bytes = int(row.lag) if row.lag is not None else None
            st.safe_wal_bytes = int(row.safe_wal_size) if row.safe_wal_size is not None else None
    except DBAPIError:
        st.slot = None
    finally:
        src.dispose()


def _judge(st: SubscriptionStatus) -> None:
    p = st.problems
    if st.slot == "missing":
        p.append("기관에 복제 슬롯이 없습니다(삭제됨): remove-office 후 add-office / "
                 "the office's replication slot is gone (dropped): remove-office, then add-office")
    elif st.slot == "lost":
        p.append("기관의 복제 슬롯이 WAL 한도(max_slot_wal_keep_size)를 넘어 무효가 되었습니다: "
                 "remove-office 후 add-office / the slot passed max_slot_wal_keep_size and was "
                 "invalidated: remove-office, then add-office")
    elif st.slot == "unreserved":
        p.append("복제 슬롯이 WAL 한도에 닿았습니다 / the slot is at its WAL limit")
    if st.enabled and not st.worker:
        p.append("복제 작업자가 멈춰 있습니다 (기관 연결 불가, 슬롯 삭제 또는 구조 불일치: 서버 로그 확인) / "
                 "the apply worker is not running (office unreachable, slot dropped or schema "
                 "mismatch: see the server log)")
    if st.errors and not st.worker:  # a cumulative count: a problem while it keeps failing
        p.append(f"복제 오류 {st.errors}회 / {st.errors} replication errors")
    if not st.enabled and st.tables:
        st.state = "disabled"
    elif p and (not st.worker or st.slot in ("missing", "lost") or not st.tables):
        st.state = "failing"
    elif any(v != "ready" for v in st.tables.values()):
        st.state = "syncing"
    elif st.last_message_s is not None and st.last_message_s > LAG_WARN_S:
        st.state = "lagging"
        p.append(f"{st.last_message_s:.0f}초 동안 소식 없음 / silent for {st.last_message_s:.0f} s")
    else:
        st.state = "ok" if not p else "lagging"
