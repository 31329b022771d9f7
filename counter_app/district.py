"""The district's services: who may see which offices, the review and fleet across offices,
and the health of each office's subscription (for ``district status`` and ``doctor``).

One rule for access (:func:`visible_offices`): a ``district`` viewer sees every
office; a ``supervisor`` viewer sees only the office named on the account, and
asking for another is refused. The CLI and the window both go through it.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from records import district_stats
from records.accounts import check_password, hash_password
from records.daystats import DayStats
from records.district import PUBLICATION
from records.district_db import DistrictError, check_office, viewers
from records.errors import AuthError

ROLES = ("district", "supervisor")


@dataclass(frozen=True)
class Viewer:
    """A signed-in district account: ``district`` (all offices) or an office's ``supervisor``."""

    name: str
    role: str
    office: str | None


def visible_offices(viewer: Viewer, asked: str | None = None) -> list[str] | None:
    """The offices ``viewer`` may read (None: all), narrowed to ``asked``; refused (AuthError)
    when the viewer may not see the office asked for. The one access rule of the district."""
    if viewer.role == "district":
        return [check_office(asked)] if asked else None
    if viewer.role == "supervisor" and viewer.office:
        if asked and asked != viewer.office:
            raise AuthError(f"{viewer.name} 은(는) 기관 {viewer.office} 만 볼 수 있습니다",
                            f"{viewer.name} may see office {viewer.office} only")
        return [viewer.office]
    raise AuthError("지구 열람 권한이 없습니다", "no right to view the district")


def add_viewer(engine: Engine, name: str, role: str, password: str, office: str | None,
               now: dt.datetime) -> Viewer:
    if role not in ROLES:
        raise DistrictError(f"역할은 {', '.join(ROLES)} 중 하나입니다: {role!r}",
                            f"the role must be one of {', '.join(ROLES)}: {role!r}")
    if role == "supervisor":
        if not office:
            raise DistrictError("감독자 계정에는 기관(--office)이 필요합니다",
                                "a supervisor account needs its office (--office)")
        check_office(office)
    else:
        office = None
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-" for c in name):
        raise DistrictError("계정 이름은 영문·숫자·._- 64자 이내입니다",
                            "an account name is at most 64 letters, digits or ._-")
    check_password(password, name)
    with engine.begin() as conn:
        if conn.execute(select(viewers.c.name).where(viewers.c.name == name)).first():
            raise DistrictError(f"이미 있는 계정입니다: {name}", f"the account exists: {name}")
        conn.execute(viewers.insert().values(name=name, role=role, office=office,
                                             password_hash=hash_password(password),
                                             created_at=now))
    return Viewer(name, role, office)


_hasher = PasswordHasher()


def sign_in(engine: Engine, name: str, password: str) -> Viewer:
    """The viewer of ``name`` if the password is right; AuthError (one message for both)."""
    with engine.connect() as conn:
        row = conn.execute(select(viewers).where(viewers.c.name == name)).first()
    ok = False
    if row is not None:
        try:
            ok = _hasher.verify(row.password_hash, unicodedata.normalize("NFC", password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
    if row is None or not ok:
        raise AuthError("계정 이름이나 비밀번호가 맞지 않습니다",
                        "wrong account name or password")
    return Viewer(row.name, row.role, row.office)


def review(engine: Engine, viewer: Viewer, first: dt.date, last: dt.date | None = None, *,
           office: str | None = None, **filters: str | None) -> tuple[DayStats, list[Any]]:
    """The charts' statistics and the per-office counts (last row: the total) a viewer may see."""
    scope = visible_offices(viewer, office)
    with engine.connect() as conn:
        stats = district_stats.district_stats(conn, first, last, offices=scope, **filters)
        counts = district_stats.office_counts(conn, stats.first, stats.last, scope)
    return stats, counts


def form_title(code: str, english: bool = False) -> str:
    """A form's title from the shipped catalogue (its code when the catalogue lacks it)."""
    from decoding.forms.catalogue import default_catalogue

    fd = default_catalogue().get(code)
    if fd is None:
        return code
    return fd.title_en if english and fd.title_en else fd.title_ko


def fleet(engine: Engine, viewer: Viewer, office: str | None = None,
          stale_after: dt.timedelta | None = None) -> dict[str, Any]:
    scope = visible_offices(viewer, office)
    with engine.connect() as conn:
        if stale_after is None:
            return district_stats.district_fleet(conn, scope)
        return district_stats.district_fleet(conn, scope, stale_after=stale_after)


# -- the office's side, for doctor ---------------------------------------------------

WAL_WARN_BYTES = 1 << 30  # a slot holding back more than this is worth a look


def office_slots(url: str) -> tuple[str, str] | None:
    """What the office's database says of the district's slots, for ``doctor``: ("ok"|"warn"|
    "fail", detail), or None when the database publishes nothing (not part of a district)."""
    from records import db

    engine = db.make_engine(url, busy_timeout=5)
    try:
        with engine.connect() as conn:
            if conn.dialect.name != "postgresql" or conn.execute(text(
                    "SELECT 1 FROM pg_publication WHERE pubname = :p"), {"p": PUBLICATION}).first() is None:
                return None
            limit = conn.execute(text("SHOW max_slot_wal_keep_size")).scalar_one()
            slots = list(conn.execute(text(
                "SELECT slot_name, active, wal_status, "
                "pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) AS kept "
                "FROM pg_replication_slots WHERE slot_name LIKE 'district\\_%' ORDER BY 1")))
    finally:
        engine.dispose()
    if not slots:
        return ("ok", f"지구 구독 없음, WAL 한도 {limit} / no district subscription yet, "
                      f"max_slot_wal_keep_size {limit}")
    status, notes = "ok", []
    for s in slots:
        kept = int(s.kept or 0)
        if s.wal_status == "lost":
            status = "fail"
            notes.append(f"{s.slot_name}: 무효(WAL 한도 초과) / invalidated (WAL limit)")
        elif not s.active or s.wal_status in ("unreserved", "extended") or kept > WAL_WARN_BYTES:
            status = "warn" if status == "ok" else status
            notes.append(f"{s.slot_name}: {'연결됨' if s.active else '연결 끊김'}, "
                         f"{kept // (1 << 20)} MB 보관 / {'active' if s.active else 'not connected'}, "
                         f"{kept // (1 << 20)} MB kept")
    if limit == "-1":
        status = "warn" if status == "ok" else status
        notes.append("max_slot_wal_keep_size 무제한: 지구가 멈추면 디스크가 찰 수 있습니다 / "
                     "unbounded: a stopped district can fill the disk")
    summary = f"지구 구독 {len(slots)}개, WAL 한도 {limit} / {len(slots)} district slots, limit {limit}"
    return (status, "; ".join([summary, *notes]))


def offices_of(engine: Engine) -> Sequence[str]:
    from records.district_db import offices

    with engine.connect() as conn:
        return [str(o) for (o,) in conn.execute(select(offices.c.office).order_by(offices.c.office))]
