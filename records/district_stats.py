"""What the district sees: the review's counts across offices, and the fleet across offices.

Read from the district database's replicated tables only (case facts and
heartbeats: nothing personal is there to read). :func:`district_stats` gives
the same :class:`records.daystats.DayStats` the review window's charts draw
(the "by clerk" chart becomes "by office": the district has no clerks), plus
one row per office; :func:`district_fleet` the fleet with the office named.
Every query takes ``offices``: None for all, or the offices a viewer may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from records import queries
from records.caselist import WAIT_BUCKETS
from records.daystats import DayStats
from records.district import RETURN_CATEGORIES
from records.fleet import DEFAULT_STALE_AFTER, newer
from records.models import STATUSES

KST_HOURS = 9  # Korea has no daylight saving: its hour is UTC + 9


@dataclass(frozen=True)
class OfficeCounts:
    """One office's (or the district's) counts over a range of days."""

    office: str
    total: int
    received: int
    returned: int
    completed: int
    qr: int
    paper: int
    proxy: int
    warnings: int
    corrected: int
    documents_missing: int

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _where(first: dt.date, last: dt.date, offices: Sequence[str] | None,
           extra: dict[str, str | None] | None = None) -> tuple[str, dict[str, Any]]:
    start, end = queries.day_bounds(first, last)
    sql = "accepted_at >= :start AND accepted_at < :end"
    params: dict[str, Any] = {"start": start.replace(tzinfo=None), "end": end.replace(tzinfo=None)}
    if offices is not None:
        sql += " AND office = ANY(:offices)"
        params["offices"] = list(offices)
    for column, value in (extra or {}).items():
        if value:
            sql += f" AND {column} = :{column}"
            params[column] = value
    return sql, params


def office_counts(conn: Connection, first: dt.date, last: dt.date,
                  offices: Sequence[str] | None = None) -> list[OfficeCounts]:
    """One row per office with cases in the range, then the total (office ``""``)."""
    where, params = _where(first, last, offices)
    rows = conn.execute(text(f"""
        SELECT office, count(*),
               count(*) FILTER (WHERE status = 'received'),
               count(*) FILTER (WHERE status = 'returned'),
               count(*) FILTER (WHERE status = 'completed'),
               count(*) FILTER (WHERE origin = 'qr'), count(*) FILTER (WHERE origin = 'paper'),
               count(*) FILTER (WHERE proxy), count(*) FILTER (WHERE warnings),
               count(*) FILTER (WHERE corrected), count(*) FILTER (WHERE documents_missing)
        FROM case_facts WHERE {where} GROUP BY office ORDER BY office"""), params)
    out = [OfficeCounts(str(r[0]), *(int(v) for v in r[1:])) for r in rows]
    total = OfficeCounts("", *(sum(getattr(o, f) for o in out) for f in (
        "total", "received", "returned", "completed", "qr", "paper", "proxy", "warnings",
        "corrected", "documents_missing")))
    return [*out, total]


def district_stats(conn: Connection, first: dt.date, last: dt.date | None = None, *,
                   offices: Sequence[str] | None = None, form: str | None = None,
                   status: str | None = None, origin: str | None = None,
                   category: str | None = None) -> DayStats:
    """The review's statistics over the offices (all, or those given), with its filters
    (``category``: a return category, records.district.RETURN_CATEGORIES)."""
    last = max(first, last or first)
    where, params = _where(first, last, offices, {"form_code": form, "status": status,
                                                  "origin": origin, "return_category": category})

    # One pass over the range for every chart (GROUPING SETS). The waits come as a histogram
    # of tenths of a second (what the counter records), the buckets and median from it.
    dims = ("status", "form_code", "origin", "office", "h", "return_category", "w", "c")
    # Seven hash tables over a district's day: room for them in memory (this transaction only).
    conn.execute(text("SET LOCAL work_mem = '64MB'"))
    groups: dict[str, list[tuple[str, int]]] = {d: [] for d in dims}
    corrected = warned = missing = 0
    for row in conn.execute(text(
        f"SELECT GROUPING({', '.join(dims)}) AS g, {', '.join(dims)}, count(*) AS n, "
        "count(*) FILTER (WHERE corrected) AS fixed, count(*) FILTER (WHERE warnings) AS warned, "
        "count(*) FILTER (WHERE documents_missing) AS missing FROM (SELECT *, extract(hour FROM "
        f"accepted_at + interval '{KST_HOURS} hours')::int AS h, CASE WHEN scanned_at <= "
        "accepted_at THEN round(extract(epoch FROM accepted_at - scanned_at), 1) END AS w, "
        "CASE WHEN status = 'completed' AND completed_at >= accepted_at THEN "
        "extract(epoch FROM completed_at - accepted_at) END AS c "
        f"FROM case_facts WHERE {where}) f "
        f"GROUP BY GROUPING SETS ({', '.join(f'({d})' for d in dims)})"), params):
        i = next(k for k in range(len(dims)) if not (row.g >> (len(dims) - 1 - k)) & 1)
        if row[1 + i] is not None:
            groups[dims[i]].append((str(row[1 + i]), int(row.n)))
        if dims[i] == "status":
            corrected += int(row.fixed)
            warned += int(row.warned)
            missing += int(row.missing)
    for pairs in groups.values():
        pairs.sort(key=lambda kv: (-kv[1], kv[0]))
    by_status = {s: 0 for s in STATUSES} | dict(groups["status"])
    hours = {int(h): n for h, n in groups["h"]}
    shown = sorted(set(range(9, 18)) | set(hours))
    histogram = sorted((float(w), n) for w, n in groups["w"])
    waits = [0] * len(WAIT_BUCKETS)
    for w, n in histogram:
        waits[next(i for i, (limit, _, _) in enumerate(WAIT_BUCKETS) if w < limit)] += n
    median = _median(histogram)
    done = _median(sorted((float(c), n) for c, n in groups["c"]))
    reasons = [(RETURN_CATEGORIES.get(code, code), n) for code, n in groups["return_category"]]
    return DayStats(
        first=first, last=last, total=sum(by_status.values()), by_status=by_status,
        by_hour=[(h, hours.get(h, 0)) for h in shown], by_form=groups["form_code"],
        by_clerk=groups["office"], by_source={"qr": 0, "paper": 0} | dict(groups["origin"]),
        waits=waits, wait_median_s=median,
        reasons=reasons, corrected=corrected, warnings_accepted=warned,
        documents_missing=missing, complete_median_s=done,
    )


def _median(histogram: list[tuple[float, int]]) -> float | None:
    """The median of sorted (value, count) pairs (as statistics.median of the values)."""
    total = sum(n for _, n in histogram)
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # the middle value(s), counted from 0
    found: list[float] = []
    seen = 0
    for value, n in histogram:
        while wanted and wanted[0] < seen + n:
            found.append(value)
            wanted.pop(0)
        seen += n
    return (found[0] + found[1]) / 2


def district_fleet(conn: Connection, offices: Sequence[str] | None = None, *,
                   stale_after: dt.timedelta = DEFAULT_STALE_AFTER) -> dict[str, Any]:
    """Every counter of the offices: stale, version (outdated), config hash, failing checks,
    refused configurations and update results (from the checks that are not fine)."""
    sql = ("SELECT office, counter, host, version, config_hash, checks_failed, checks_warned, "
           "problem_checks, last_scan_at, seen_at, clock_skew_s, "
           "extract(epoch FROM now() AT TIME ZONE 'UTC' - seen_at) AS age FROM counter_heartbeats")
    params: dict[str, Any] = {}
    if offices is not None:
        sql += " WHERE office = ANY(:offices)"
        params["offices"] = list(offices)
    rows = list(conn.execute(text(sql + " ORDER BY office, counter"), params))
    latest = ""
    for r in rows:
        if not latest or newer(r.version, latest):
            latest = r.version
    hashes: dict[str, set[str]] = {}
    for r in rows:
        hashes.setdefault(r.office, set()).add(r.config_hash)
    counters = []
    for r in rows:
        checks = dict(w.split(":", 1) for w in (r.problem_checks or "").split() if ":" in w)
        issues = []
        if float(r.age) > stale_after.total_seconds():
            issues.append("stale")
        if latest and newer(latest, r.version):
            issues.append("outdated")
        if r.checks_failed:
            issues.append("failing")
        if checks.get("config") == "fail" or checks.get("signature") == "fail":
            issues.append("config_refused")
        if "update" in checks:
            issues.append("update_" + checks["update"])
        if len(hashes[r.office]) > 1:
            issues.append("config_differs")
        counters.append({
            "office": r.office, "counter": r.counter, "host": r.host, "version": r.version,
            "config_hash": r.config_hash, "checks_failed": r.checks_failed,
            "checks_warned": r.checks_warned, "checks": checks,
            "last_scan_at": _iso(r.last_scan_at), "seen_at": _iso(r.seen_at),
            "clock_skew_s": r.clock_skew_s, "issues": issues,
        })
    counters.sort(key=lambda c: (not c["issues"], c["office"], c["counter"]))
    per_office: dict[str, dict[str, int]] = {}
    for c in counters:
        o = per_office.setdefault(c["office"], {"counters": 0, "with_issues": 0})
        o["counters"] += 1
        o["with_issues"] += bool(c["issues"])
    return {"latest_version": latest, "offices": per_office, "counters": counters,
            "problems": sum(bool(c["issues"]) for c in counters)}


def _iso(value: dt.datetime | None) -> str | None:
    return value.replace(tzinfo=dt.UTC).isoformat() if value is not None else None
