"""Benchmark: intake of a case with 5 A4 page images, and listing one day of 1,000,000 cases.

    .venv/bin/python -m bench.records [--db-dir DIR] [--pg URL] [--runs N]

Prints the time to record one case (5 scanned A4 pages of about 0.5 MB each,
a seal image; files fsynced, then the commit) as the clerk's "accept" does,
with and without the QR check before it, and the time to list one day of a
database holding 1,000,000 cases. Targets: <= 300 ms and <= 100 ms.

The million-case SQLite database is built once with bulk inserts (a couple of
minutes) and cached under DIR (default: the temp folder), so later runs
start at once. ``--pg URL`` also measures the intake on a PostgreSQL server
(a database of that URL is used as is: give an empty one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import secrets
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from counter_app.intake import IntakeService
from decoding.keys import KeyRing
from decoding.payload import encode, make_document
from records.redact import redact
from records.store import CaseStore
from records.views import KST

TARGET_INTAKE_MS = 300.0
TARGET_LIST_MS = 100.0
MILLION = 1_000_000
DAYS = 1000  # about 1,000 cases a day over four working years
OFFICE = "3210000"
APPLICANT = {"name": "김민원", "rrn": "9001011234568", "birth": "1990-01-01",
             "phone": "010-1234-5678",
             "address": {"postcode": "06750", "road": "서울특별시 서초구 남부순환로 2584",
                         "detail": "101동 1203호"}}
FORM = {"code": "RESIDENT_CERT_ISSUE", "ver": 1,
        "fields": {"cert_kind": "등본", "copies": 2, "purpose": "은행 제출용"}}


def a4_pages(n: int = 5, dpi: int = 200) -> list[bytes]:
    """Scanner-like A4 pages: grey paper, lines of 'text', noise; JPEG as scanners send them."""
    w, h = int(8.27 * dpi), int(11.69 * dpi)
    rng = np.random.default_rng(1)
    pages = []
    for i in range(n):
        img = Image.new("L", (w, h), 245)
        d = ImageDraw.Draw(img)
        for y in range(150, h - 150, 48):
            x = 120
            while x < w - 200:
                word = int(rng.integers(30, 160))
                d.rectangle((x, y, x + word, y + 18), fill=int(rng.integers(20, 90)))
                x += word + 25
        d.text((120, 60), f"page {i + 1}", fill=0)
        arr = np.asarray(img, dtype=np.int16) + rng.normal(0, 6, (h, w)).astype(np.int16)
        out = io.BytesIO()
        Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=80)
        pages.append(out.getvalue())
    return pages


def bench_intake(url: str, folder: Path, runs: int) -> dict[str, float]:
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    store = CaseStore(url, attachments_dir=folder / "files", key_file=folder / "data.key",
                      private_keys=[key])
    service = IntakeService(KeyRing([key]), store, office=OFFICE)
    pages = a4_pages()
    seal = a4_pages(1, dpi=40)[0]
    accept_ms: list[float] = []
    total_ms: list[float] = []
    try:
        for i in range(runs + 2):
            # each case its own scans (no de-duplication helping us)
            these = [p + secrets.token_bytes(16) for p in pages]
            texts = encode(make_document(APPLICANT, [FORM]), key.public_key())
            t0 = time.perf_counter()
            checked = service.check(texts)
            t1 = time.perf_counter()
            service.accept(checked, these, seal, clerk="bench", counter="민원1")
            t2 = time.perf_counter()
            if i >= 2:  # the first ones warm up caches and create the data key
                accept_ms.append((t2 - t1) * 1000)
                total_ms.append((t2 - t0) * 1000)
    finally:
        store.close()
    return {"pages_mb": sum(map(len, pages)) / 1e6,
            "accept_median": statistics.median(accept_ms), "accept_max": max(accept_ms),
            "total_median": statistics.median(total_ms)}


def _rows(start: int, count: int, first_day: dt.date) -> Any:
    rnd = random.Random(start)
    masked = json.dumps(redact({"v": 1, "applicant": APPLICANT, "forms": [FORM]}),
                        ensure_ascii=False)
    names = ["김민원", "이서초", "박구청", "최창구", "정민원"]
    forms = ["RESIDENT_CERT_ISSUE", "FAMILY_CERT_ISSUE", "MOVE_IN_REPORT", "SEAL_CERT_ISSUE"]
    for n in range(start, start + count):
        day = first_day + dt.timedelta(days=n * DAYS // MILLION)
        at = dt.datetime.combine(day, dt.time(9), KST) + dt.timedelta(
            seconds=rnd.randrange(0, 8 * 3600))
        # the text form SQLAlchemy itself stores (always with microseconds)
        at_utc = at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        year = day.year
        serial = n + 1  # one office, numbered across the years for simplicity
        form = forms[n % 4]
        status = "completed" if n % 10 else "received"
        yield (
            secrets.token_hex(16), OFFICE, year, serial, f"{OFFICE}-{year}-{serial:07d}",
            secrets.token_urlsafe(16), "qr", form, 1, form, status, None, at_utc,
            at_utc if status == "completed" else None, "clerk", "민원1", names[n % 5],
            "900101-1******", os.urandom(41), None, None, None, None, masked,
            os.urandom(200), "benchkey",
        )


COLUMNS = ("uid, office, year, serial, case_number, payload_id, source, form_code, form_ver, "
           "form_codes, status, status_reason, received_at, closed_at, clerk, counter, "
           "applicant_name, applicant_rrn_masked, applicant_rrn_enc, delegate_name, "
           "delegate_relation, delegate_rrn_masked, delegate_rrn_enc, document_masked, "
           "document_enc, data_key_id")


def million_db(folder: Path) -> tuple[Path, float | None]:
    """The cached million-case database; (path, build seconds or None if cached)."""
    path = folder / "cases-1m-v2.db"
    done = folder / "cases-1m-v2.done"
    if path.exists() and done.exists():
        return path, None
    path.unlink(missing_ok=True)
    t0 = time.perf_counter()
    CaseStore(f"sqlite:///{path}", attachments_dir=folder / "files-1m").close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")  # building a throwaway file: speed over safety
    conn.execute("PRAGMA cache_size = -400000")
    first_day = dt.date(2023, 1, 2)
    marks = ",".join("?" * 26)
    batch = 50_000
    for start in range(0, MILLION, batch):
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO cases ({COLUMNS}) VALUES ({marks})",
                         _rows(start, batch, first_day))
        conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    done.write_text("ok\n")
    return path, time.perf_counter() - t0


def bench_list(path: Path, runs: int) -> dict[str, float]:
    store = CaseStore(f"sqlite:///{path}", attachments_dir=path.parent / "files-1m")
    try:
        days = [dt.date(2023, 1, 2) + dt.timedelta(days=d) for d in (10, 400, 777, 999)]
        times = []
        counts = []
        for i in range(runs + 1):
            day = days[i % len(days)]
            t0 = time.perf_counter()
            rows = store.list_day(day)
            elapsed = (time.perf_counter() - t0) * 1000
            if i:
                times.append(elapsed)
                counts.append(len(rows))
    finally:
        store.close()
    return {"median": statistics.median(times), "max": max(times),
            "rows": statistics.mean(counts)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db-dir", type=Path,
                    default=Path(tempfile.gettempdir()) / "counter-app-bench")
    ap.add_argument("--pg", metavar="URL", help="also measure intake on this (empty) PostgreSQL db")
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args(argv)
    args.db_dir.mkdir(parents=True, exist_ok=True)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        r = bench_intake(f"sqlite:///{Path(tmp) / 'cases.db'}", Path(tmp), args.runs)
    print(f"intake, 5 A4 pages ({r['pages_mb']:.1f} MB) + seal, SQLite: "
          f"accept median {r['accept_median']:.0f} ms (max {r['accept_max']:.0f} ms), "
          f"with QR check {r['total_median']:.0f} ms; target <= {TARGET_INTAKE_MS:.0f} ms")
    ok &= r["total_median"] <= TARGET_INTAKE_MS
    if args.pg:
        with tempfile.TemporaryDirectory() as tmp:
            r = bench_intake(args.pg, Path(tmp), args.runs)
        print(f"intake, 5 A4 pages + seal, PostgreSQL: accept median {r['accept_median']:.0f} ms"
              f" (max {r['accept_max']:.0f} ms), with QR check {r['total_median']:.0f} ms")
        ok &= r["total_median"] <= TARGET_INTAKE_MS
    path, built = million_db(args.db_dir)
    if built is not None:
        print(f"built the 1,000,000-case database in {built:.0f} s ({path})")
    r = bench_list(path, args.runs)
    print(f"list one day of 1,000,000 cases ({r['rows']:.0f} rows), SQLite: median "
          f"{r['median']:.1f} ms (max {r['max']:.1f} ms); target <= {TARGET_LIST_MS:.0f} ms")
    ok &= r["median"] <= TARGET_LIST_MS
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
