"""Benchmark: the review window with a busy day (GUI-thread work only).

    .venv/bin/python -m bench.review [--rows N] [--runs R]

Prints the time the GUI thread spends drawing a day of N cases (default
3,000: several busy offices on one server), the first filter keystroke (its
search text is built then), a later keystroke, clearing the filter, and
drawing one case in the detail pane. The database side of listing a day is
in ``bench.records``. Target: every figure <= 100 ms, so the window never
stutters under the supervisor's keys.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _ms(fn: Callable[[], object], runs: int, app: object) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        app.processEvents()  # type: ignore[attr-defined]
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rows", type=int, default=3000)
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args(argv)

    from counter_app.demo import build_demo
    from decoding.forms.catalogue import default_catalogue
    from records.views import CaseRow
    from ui.app import make_app
    from ui.review import ReviewWindow, make_opener
    from ui.review.demo import fill_day, wait_for
    from ui.review.model import DayData

    app = make_app("ko")
    catalogue = default_catalogue()
    forms = [f.code for f in catalogue.latest()]
    with tempfile.TemporaryDirectory() as tmp:
        kit = build_demo(Path(tmp) / "kit", catalogue)
        day = fill_day(Path(tmp), kit, catalogue)
        w = ReviewWindow(make_opener(day.settings, catalogue=catalogue))
        w.resize(1366, 768)
        w.show()
        wait_for(lambda: w.data is not None and not w.runner.pending, 15)
        case_id = day.receipts["proxy-resident-copy"].case_id
        bundle = w.service.case(case_id) if w.service else None
        now = dt.datetime.now(dt.UTC)
        rows = [CaseRow(i, f"3210000-2026-{i:06d}", now, "received", forms[i % len(forms)],
                        forms[i % len(forms)], f"신청인{i}", "900101-1******", None, "kim",
                        "민원1", "qr") for i in range(1, args.rows + 1)]  # fmt: skip
        data = DayData(w.day, rows, {"received": len(rows)})

        def load() -> None:
            w.proxy.set_text("")
            w.filter_edit.blockSignals(True)
            w.filter_edit.clear()
            w.filter_edit.blockSignals(False)
            w._day_loaded(data)

        figures = {"day drawn": _ms(load, args.runs, app)}
        first = []
        for _ in range(args.runs):
            load()
            app.processEvents()
            t = time.perf_counter()
            w.proxy.set_text("0029")
            app.processEvents()
            first.append((time.perf_counter() - t) * 1000)
        figures["first filter key"] = statistics.median(first)
        figures["next filter key"] = _ms(lambda: w.proxy.set_text("00299"), args.runs, app)
        figures["filter cleared"] = _ms(lambda: w.proxy.set_text(""), args.runs, app)
        if bundle is not None and w.service is not None:
            service = w.service
            figures["case drawn"] = _ms(lambda: w.detail.show_case(bundle, service), args.runs, app)
        w.shutdown()
    print(f"review window, {args.rows} cases, median of {args.runs} (target <= 100 ms each):")
    for name, ms in figures.items():
        print(f"  {name:<18} {ms:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
