"""Fixtures of the web form tests: one built site served on 127.0.0.1 per session."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from counter_app.web import build_site, serve_in_thread
from tests.records.support import PUB_PATH

OFFICE = "3210000"


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("webform") / "site"
    build_site(out, [f"{OFFICE}=서초구청 민원실"], [PUB_PATH])
    return out


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    server, url = serve_in_thread(site_dir)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser(site_url: str) -> Iterator[Any]:
    from tests.webform.browser import chromium, chromium_available

    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: chromium or playwright is missing")
        pytest.skip("Debian chromium and playwright are needed (./dev test installs them)")
    with chromium() as b:
        # Playwright writes files (screenshots, downloads) through its event loop's default
        # executor, whose one worker thread then lives as long as the loop: start it here,
        # with the session, so the leak guard does not count it against the first test.
        # One worker only: the default executor starts a second one when a write comes
        # before the first worker has marked itself idle again (seen in the full suite).
        from concurrent.futures import ThreadPoolExecutor

        b._loop.set_default_executor(
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright-files")
        )
        page = b.new_page()
        with tempfile.TemporaryDirectory() as warm:
            page.screenshot(path=str(Path(warm) / "warm" / "up.png"))
        page.close()
        yield b


@pytest.fixture(scope="session")
def phone(browser: Any) -> Iterator[Any]:
    """The phone: 390x844 CSS pixels at DPR 2."""
    from tests.webform.browser import phone_context

    context = phone_context(browser)
    try:
        yield context
    finally:
        context.close()
