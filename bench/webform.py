"""Benchmark: the citizen's form on a slow phone — first-load bytes and time to the QR.

    nice .venv/bin/python -m bench.webform [--reference REV] [--engines chromium,webkit,firefox]

For each engine that runs here, a fresh browser (empty cache) opens the site served by
``web serve`` and the one-certificate petition of the README is filled in and made into
a QR. Printed per engine:

* bytes transferred until the first step can be used (compressed sizes on the wire);
* time to the first step, and time from "QR 코드 만들기" to the QR on screen;
* in Chromium, under DevTools' "Fast 3G" (562.5 ms RTT, 180 KB/s down) and 4x CPU
  slowdown (CDP ``Network.emulateNetworkConditions``, ``Emulation.setCPUThrottlingRate``);
  WebKitGTK and Firefox have no such controls over WebDriver: unthrottled, bytes from
  Resource Timing (``transferSize``).

The reference is the same measurement of the site as built by ``REV`` (default ``main``,
exported with ``git archive`` and built by its own code), in the same run. Target: first
load <= 400 KB.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 180 * 1024, "uploadThroughput": 84 * 1024}
CPU_SLOWDOWN = 4
TARGET_BYTES = 400 * 1024
RESIDENT = "주민등록표 열람·등본·초본 교부"

# Fill the one-certificate petition through the page's own controls (input events), the
# same in every engine; what typing costs is not what is measured here.
FILL = """
const byLabel = (group, text) => {
  const root = group ? [...document.querySelectorAll('fieldset')].find((f) =>
    (f.querySelector(':scope > legend') || {}).textContent === group) : document;
  const label = [...root.querySelectorAll('label')].find((l) => l.textContent.trim() === text);
  return document.getElementById(label.htmlFor);
};
const type = (el, v) => { el.value = v; el.dispatchEvent(new Event('input')); el.dispatchEvent(new Event('blur')); };
byLabel('신청인', '성명') && type(byLabel('신청인', '성명'), '김민원');
type(byLabel('신청인', '주민등록번호'), '9001011234568');
type(byLabel('신청인', '전화번호'), '010-1234-5678');
type(byLabel('', '우편번호'), '06750');
type(byLabel('', '도로명주소'), '서울특별시 서초구 남부순환로 2584');
byLabel('신청 구분', '등본').click();
type(byLabel('', '통수'), '1');
type(byLabel('', '용도'), '은행 제출용');
"""


def _site(out: Path, rev: str | None) -> Path:
    """The site built by the working tree (``rev`` None) or by revision ``rev``."""
    from tests.records.support import PUB_PATH

    src = ROOT
    if rev is not None:
        src = out.parent / f"src-{rev.replace('/', '_')}"
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
        src.mkdir()
        with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
            tar.extractall(src, filter="data")
    env = dict(os.environ, PYTHONPATH=str(src))
    env.pop("COUNTER_WEBFORM_DIR", None)
    entry = "app" if (src / "app" / "__main__.py").is_file() else "counter_app"  # the CLI moved to app/
    subprocess.run(
        [sys.executable, "-m", entry, "web", "build", "--out", str(out), "--office",
         "3210000=서초구청 민원실", "--key", str(PUB_PATH)],
        check=True, cwd=src, env=env, capture_output=True,
    )
    return out


@contextlib.contextmanager
def _served(site: Path) -> Iterator[str]:
    from counter_app.web import serve_in_thread

    server, url = serve_in_thread(site)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def _chromium(url: str, fill: bool) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    from tests.webform.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                          is_mobile=True, has_touch=True, locale="ko-KR")
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            cdp.send("Network.emulateNetworkConditions", FAST_3G)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
            sizes: dict[str, float] = {}
            cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
            page.goto(url)
            page.wait_for_function("() => !!(document.getElementById('to-fill') || document.querySelector('.form-choice'))",
                                   timeout=120_000)
            page.wait_for_function("() => document.fonts.status === 'loaded'", timeout=120_000)
            page.wait_for_timeout(500)  # late requests (fonts, the fallback) still count
            ready = _ready_ms(page.evaluate)
            result = {"bytes": sum(sizes.values()), "ready_ms": ready}
            if fill:
                result["qr_ms"] = _time_to_qr(page.evaluate, lambda: page.get_by_label(RESIDENT, exact=True).check(),
                                              lambda: page.get_by_role("button", name="다음", exact=True).click(),
                                              lambda: page.get_by_role("button", name="QR 코드 만들기").click())
            context.close()
            return result
        finally:
            browser.close()


def _ready_ms(evaluate: Any) -> float:
    """Navigation start to the first step usable: the page's own mark, or (an older page)
    the last resource fetched."""
    return float(evaluate(
        "(() => { const m = performance.getEntriesByName('mw-ready')[0]; if (m) return m.startTime;"
        " return Math.max(...performance.getEntriesByType('resource').map((e) => e.responseEnd)); })()"
    ))


def _time_to_qr(evaluate: Any, choose: Any, next_: Any, make: Any) -> float:
    choose()
    next_()
    evaluate(f"(() => {{ {FILL} }})()")
    make()
    deadline = time.monotonic() + 120
    while not evaluate("performance.getEntriesByName('mw-qr').length"):
        assert time.monotonic() < deadline, "no QR after 120 s"
        time.sleep(0.05)
    return float(evaluate(
        "performance.getEntriesByName('mw-qr').at(-1).startTime - performance.getEntriesByName('mw-make').at(-1).startTime"
    ))


def _selenium(engine: str, url: str, fill: bool) -> dict[str, float]:
    from tests.webform.engines import SeleniumPage, firefox, webkit

    with (webkit() if engine == "webkit" else firefox()) as driver:
        p = SeleniumPage(driver, engine)
        p.goto(url)
        p.wait("document.getElementById('to-fill') || document.querySelector('.form-choice')", timeout=120)
        p.wait("document.fonts.status === 'loaded'", timeout=120)
        time.sleep(0.5)
        evaluate = lambda js: driver.execute_script(f"return {js};")  # noqa: E731 - a one-line adapter
        size = evaluate(
            "[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]"
            ".reduce((s, e) => s + (e.transferSize || 0), 0)"
        )
        result = {"bytes": float(size), "ready_ms": _ready_ms(evaluate)}
        if fill:
            result["qr_ms"] = _time_to_qr(evaluate, lambda: p.check([], RESIDENT), lambda: p.press("다음"),
                                          lambda: p.press("QR 코드 만들기"))
        return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference", default="main", help="git revision measured as the reference (default main)")
    ap.add_argument("--engines", default="chromium,webkit,firefox")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.webform.engines import missing

    work = Path(tempfile.mkdtemp(prefix="bench-webform-"))
    try:
        sites = {"this tree": _site(work / "now", None), f"reference {args.reference}": _site(work / "ref", args.reference)}
        print(f"{'engine':9} {'site':16} {'first load':>11} {'first step':>11} {'make -> QR':>11}")
        for engine in args.engines.split(","):
            why = missing(engine)
            if why:
                print(f"{engine:9} not run: {why} missing")
                continue
            for label, site in sites.items():
                with _served(site) as url:
                    measure = _chromium if engine == "chromium" else lambda u, f, e=engine: _selenium(e, u, f)
                    r = measure(url, label == "this tree")
                qr = f"{r['qr_ms']:9.0f}ms" if "qr_ms" in r else f"{'':>11}"
                print(f"{engine:9} {label:16} {r['bytes'] / 1024:9.0f}KB {r['ready_ms']:9.0f}ms {qr}"
                      + ("" if label != "this tree" or r["bytes"] <= TARGET_BYTES else "  (over 400 KB)"))
        print("chromium: Fast 3G + 4x CPU slowdown; webkit, firefox: unthrottled loopback")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
