"""Benchmark: the district — 19 offices × 10 counters by logical replication.

    nice .venv/bin/python -m bench.district [--offices 19] [--servers 3] [--counters 10]
                                            [--cases-per-day 10000] [--minutes 60] [--tick 0.5]

Starts ``--servers`` throwaway PostgreSQL servers for the offices (their
databases spread over them) and one for the district (tests/helpers/pgservers.py),
migrates every office database, fills each with a day of ``--cases-per-day``
case facts, subscribes the district to every office (the first copy), then
plays ``--minutes`` minutes of an office day, one minute every ``--tick``
seconds: each office takes its share of the day's cases and status changes
and each counter sends its heartbeat every minute. Prints:

* **replication lag**: from an office's commit to the row in the district (seen by
  a thread polling the district every few ms), sampled with a probe row per
  office and minute (p50, p95, max), under load;
* **first copy**: the time from the subscriptions' creation to every table ready;
* **review**: what the district window does — open (counts per office and the
  charts' statistics over every office for a day), and a filter (one form; one
  office) — against the reference of the same statistics read for one office
  on its own database's facts (the cost of one office's review, on this
  machine at this moment).

The offices' rows are written as the case store writes facts (bulk, not
through intake: encryption and the audit chain are the office's cost, not
the district's). Everything started is stopped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from records import db
from records.district import PUBLISHED
from records.district_db import add_office, init_district, subscription_status
from records.district_stats import district_stats, office_counts
from records.views import KST
from tests.helpers import pgservers

FORMS = ["RESIDENT_CERT_ISSUE", "FAMILY_CERT_ISSUE", "SEAL_CERT_ISSUE", "LAND_REGISTER",
         "MOVE_IN_REPORT", "BUSINESS_REGISTER", "TAX_CERT", "VEHICLE_REGISTER"]
CATEGORIES = ["documents", "identity", "proxy", "unclear", "fee", "other"]


def office_code(i: int) -> str:
    return f"{3210000 + i * 10000}"


def fact(office: str, at: dt.datetime, rnd: random.Random, counters: int) -> dict[str, Any]:
    status = rnd.choices(["received", "completed", "returned"], [30, 62, 8])[0]
    wait = rnd.expovariate(1 / 45)
    return {
        "office": office, "uid": uuid.uuid4().hex, "counter": f"창구{rnd.randrange(counters) + 1}",
        "form_code": rnd.choice(FORMS), "origin": "qr" if rnd.random() < 0.7 else "paper",
        "proxy": rnd.random() < 0.1, "status": status,
        "scanned_at": at - dt.timedelta(seconds=wait), "accepted_at": at,
        "returned_at": at if status == "returned" else None,
        "completed_at": at + dt.timedelta(minutes=20) if status == "completed" else None,
        "return_category": rnd.choice(CATEGORIES) if status == "returned" else None,
        "warnings": rnd.random() < 0.05, "corrected": rnd.random() < 0.08,
        "documents_missing": rnd.random() < 0.03,
    }


INSERT_FACT = text(
    f"INSERT INTO case_facts ({', '.join(PUBLISHED['case_facts'])}) VALUES "
    f"({', '.join(':' + c for c in PUBLISHED['case_facts'])})")
BEAT = text(
    "INSERT INTO counter_heartbeats (office, counter, host, version, config_hash, checks_failed,"
    " checks_warned, doctor_summary, problem_checks, last_scan_at, seen_at, clock_skew_s) VALUES"
    " (:office, :counter, :host, '0.3.0', 'c0ffee', 0, 0, '[]', '', NULL, :now, 0)"
    " ON CONFLICT (office, counter) DO UPDATE SET seen_at = excluded.seen_at")


def timed(fn: Callable[[], object], repeat: int = 5) -> float:
    """The median of ``repeat`` runs, in ms."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs)


def wait_for(cond: Callable[[], bool], timeout: float) -> float:
    t0 = time.monotonic()
    while not cond():
        if time.monotonic() - t0 > timeout:
            raise SystemExit(f"bench: not within {timeout} s")
        time.sleep(0.05)
    return time.monotonic() - t0


def run(args: argparse.Namespace) -> dict[str, Any]:
    rnd = random.Random(24)
    out: dict[str, Any] = {}
    # Offices commit durably, as in production (the tests turn that off for speed).
    with pgservers.servers(args.servers + 1, {"synchronous_commit": "on"}) as servers:
        district_server, office_servers = servers[-1], servers[:-1]
        offices: dict[str, Engine] = {}
        admin = {s: create_engine(s.url(), isolation_level="AUTOCOMMIT") for s in office_servers}
        for i in range(args.offices):
            server = office_servers[i % len(office_servers)]
            with admin[server].connect() as conn:
                conn.execute(text(f"CREATE DATABASE office_{i}"))
            url = server.url(f"office_{i}")
            engine = create_engine(url)
            db.upgrade(engine, url)
            offices[office_code(i)] = engine
        for e in admin.values():
            e.dispose()
        today = dt.datetime.now(KST).date()
        start = dt.datetime.combine(today, dt.time(9), KST).astimezone(dt.UTC)
        span = 9 * 3600
        for code, engine in offices.items():  # a day already done in every office
            rows = [fact(code, start + dt.timedelta(seconds=rnd.uniform(0, span)), rnd,
                         args.counters) for _ in range(args.cases_per_day)]
            with engine.begin() as conn:
                conn.execute(INSERT_FACT, rows)
        with create_engine(district_server.url(), isolation_level="AUTOCOMMIT").connect() as c:
            c.execute(text("CREATE DATABASE district"))
        district = create_engine(district_server.url("district"))
        init_district(district)
        t0 = time.monotonic()
        for code, engine in offices.items():
            add_office(district, code, engine.url.render_as_string(hide_password=False),
                       now=dt.datetime.now(dt.UTC))
        wait_for(lambda: all(s.state == "ok"
                             for s in subscription_status(district, ask_offices=False)), 600)
        out["first_copy_s"] = time.monotonic() - t0
        out["first_copy_rows"] = args.cases_per_day * args.offices
        # The day goes on: a share of the day's cases per office and minute, heartbeats each minute.
        per_minute = args.cases_per_day / (9 * 60)
        lags: list[float] = []
        pending: dict[str, float] = {}  # probe uid -> when its office committed it
        lock = threading.Lock()
        done = threading.Event()

        def watch() -> None:  # the district side: polls for the probes as they are written
            with district.connect() as conn:
                while not (done.is_set() and not pending):
                    with lock:
                        wanted = list(pending)
                    if wanted:
                        found = {u for (u,) in conn.execute(text(
                            "SELECT uid FROM case_facts WHERE uid = ANY(:u)"), {"u": wanted})}
                        seen = time.monotonic()
                        with lock:
                            for u in found:
                                lags.append((seen - pending.pop(u)) * 1000)
                        conn.rollback()
                    time.sleep(0.005)

        watcher = threading.Thread(target=watch, name="district probe watcher", daemon=True)
        watcher.start()
        carry = 0.0
        for minute in range(args.minutes):
            tick = time.monotonic()
            carry += per_minute
            n, carry = int(carry), carry - int(carry)
            for code, engine in offices.items():
                now = dt.datetime.now(dt.UTC)
                rows = [fact(code, now, rnd, args.counters) for _ in range(n)]
                probe = fact(code, now, rnd, args.counters) | {"uid": f"probe{minute:04d}{code}"}
                with engine.begin() as conn:
                    if rows:
                        conn.execute(INSERT_FACT, rows)
                    conn.execute(text(
                        "UPDATE case_facts SET status = 'completed', completed_at = :now WHERE "
                        "uid IN (SELECT uid FROM case_facts WHERE status = 'received' LIMIT 2)"),
                        {"now": now.replace(tzinfo=None)})
                    conn.execute(BEAT, [{"office": code, "counter": f"창구{k + 1}",
                                         "host": f"pc-{k + 1}", "now": now.replace(tzinfo=None)}
                                        for k in range(args.counters)])
                    conn.execute(INSERT_FACT, [probe])
                with lock:
                    pending[probe["uid"]] = time.monotonic()
            rest = args.tick - (time.monotonic() - tick)
            if rest > 0:
                time.sleep(rest)
        done.set()
        watcher.join(120)
        lags.sort()
        out["lag_ms"] = {"p50": statistics.median(lags), "p95": lags[int(0.95 * (len(lags) - 1))],
                         "max": lags[-1], "samples": len(lags)}
        one = next(iter(offices))
        with district.connect() as conn:
            out["district_rows"] = conn.execute(text("SELECT count(*) FROM case_facts")).scalar_one()
            out["open_ms"] = timed(lambda: (office_counts(conn, today, today),
                                            district_stats(conn, today)))
            out["filter_form_ms"] = timed(lambda: district_stats(conn, today, form=FORMS[0]))
            out["filter_office_ms"] = timed(lambda: district_stats(conn, today, offices=[one]))
        with offices[one].connect() as conn:
            out["reference_one_office_ms"] = timed(lambda: district_stats(conn, today))
        district.dispose()
        for engine in offices.values():
            engine.dispose()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--offices", type=int, default=19)
    ap.add_argument("--servers", type=int, default=3, help="servers the offices are spread over")
    ap.add_argument("--counters", type=int, default=10)
    ap.add_argument("--cases-per-day", type=int, default=10000)
    ap.add_argument("--minutes", type=int, default=60, help="office minutes played")
    ap.add_argument("--tick", type=float, default=0.5, help="seconds per office minute")
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    r = run(args)
    print(f"district: {args.offices} offices on {args.servers} servers × {args.counters} counters, "
          f"{args.cases_per_day:,} cases a day each; {args.minutes} office minutes played")
    print(f"  first copy        {r['first_copy_rows']:>9,} rows in {r['first_copy_s']:.1f} s")
    lag = r["lag_ms"]
    print(f"  replication lag   p50 {lag['p50']:.0f} ms, p95 {lag['p95']:.0f} ms, "
          f"max {lag['max']:.0f} ms ({lag['samples']} probes)")
    print(f"  district rows     {r['district_rows']:>9,}")
    ref = r["reference_one_office_ms"]
    for name in ("open_ms", "filter_form_ms", "filter_office_ms"):
        print(f"  review {name[:-3]:<14} {r[name]:8.1f} ms  ({r[name] / ref:.1f} × one office's "
              f"own review, {ref:.1f} ms)")
    print(f"  ({time.monotonic() - t0:.0f} s in all)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
