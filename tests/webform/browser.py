"""Headless Debian Chromium driven by Playwright for Python, at phone size.

``playwright install`` cannot download here: the tests use the system's
``/usr/bin/chromium`` (Debian package ``chromium``; ``fonts-noto-cjk`` for Hangul).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}  # a common phone in CSS pixels
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]  # fmt: skip


def chromium_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).is_file()


@contextlib.contextmanager
def phone_browser(dark: bool = False) -> Iterator[Any]:
    """A persistent Chromium context with a fresh profile, phone-sized."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="mw-chromium-")
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                locale="ko-KR", color_scheme="dark" if dark else "light",
            )  # fmt: skip
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
