"""The supervisor's review window: the day's cases with attachments, corrections and the audit trail.

``counter-app review`` (see :mod:`ui.review_commands`) builds it with
:func:`make_opener`; the database is opened on the window's worker thread,
so a server that does not answer leaves a window that says so.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url

from counter_app.auth import office_keys
from counter_app.config import Settings
from counter_app.intake import open_store
from decoding.forms import Catalogue, default_catalogue
from records.db import sqlite_path
from records.errors import RecordsError
from ui.review.model import ReviewService
from ui.review.window import ReviewWindow

__all__ = ["ReviewService", "ReviewWindow", "make_opener"]


def make_opener(
    settings: Settings, url: str | None = None, *, catalogue: Catalogue | None = None,
    attachments_dir: Path | None = None, key_file: Path | None = None,
) -> Callable[[], ReviewService]:
    """A function (for the worker thread) opening the case database for review.

    The office keys are loaded when configured: they open the data key, which
    the audited RRN reveal needs. The schema is not migrated from here
    (``migrate=False``): a review never changes a database's structure.
    """
    db_url = url or settings.database_url
    _import_driver(db_url)

    def open_service() -> ReviewService:
        db_file = sqlite_path(db_url)
        if db_file is not None and not db_file.is_file():
            raise RecordsError(f"데이터베이스 파일이 없습니다: {db_file}",
                               f"database file not found: {db_file}",
                               {"database": str(db_file)})  # fmt: skip
        keyring = office_keys(settings)
        store = open_store(settings, keyring, url=db_url, attachments_dir=attachments_dir,
                           key_file=key_file, migrate=False)  # fmt: skip
        try:
            return ReviewService(store, catalogue or default_catalogue(), clerk=settings.clerk,
                                 counter=settings.counter, home_office=settings.office)  # fmt: skip
        except BaseException:
            store.close()
            raise

    return open_service


def _import_driver(url: str) -> None:
    """Import the database driver here, on the GUI thread.

    A first import inside a worker thread runs PySide's import hook there while
    the GUI thread may be collecting garbage, which crashed the test run
    (segfault in ``shibokensupport.feature``). A missing driver or a malformed
    URL is left for the worker to report on the window.
    """
    # A failure is reported by open_service, where the window shows it.
    with contextlib.suppress(Exception):
        make_url(url).get_dialect().import_dbapi()
