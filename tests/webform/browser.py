"""Headless Debian Chromium driven by Playwright for Python, at phone size.

``playwright install`` cannot download here: the tests use the system's
``/usr/bin/chromium`` (Debian package ``chromium``; ``fonts-noto-cjk`` for Hangul).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}  # a common phone in CSS pixels
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).is_file()


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless; Playwright gives it a fresh temporary profile
    (``--user-data-dir``) and removes it afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def phone_context(
    browser: Any, *, dark: bool = False, viewport: dict[str, int] | None = None, scale: float = 2
) -> Any:
    """A phone-sized browsing context (390x844 CSS pixels at DPR 2 unless told)."""
    return browser.new_context(
        viewport=viewport or PHONE, device_scale_factor=scale, is_mobile=True, has_touch=True,
        locale="ko-KR", color_scheme="dark" if dark else "light", accept_downloads=True,
    )


@contextlib.contextmanager
def phone_browser(dark: bool = False) -> Iterator[Any]:
    """One phone-sized context in its own Chromium (scripts and screenshots)."""
    with chromium() as browser:
        context = phone_context(browser, dark=dark)
        try:
            yield context
        finally:
            context.close()
