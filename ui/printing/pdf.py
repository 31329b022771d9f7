"""The one page set-up of every PDF the program writes: A4, margins in millimetres, written whole.

:func:`pdf_file` hands out a :class:`QPdfWriter` on a temporary file; when the
block ends the writer is closed and the file replaces ``out`` in one rename
(:func:`records.atomic.atomic_path`), so a reader never opens half a report.
The receipt and paper form (``html``), the poster, the daily report and the
access review all come through here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import shiboken6
from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QGuiApplication, QPageLayout, QPageSize, QPdfWriter

from records.atomic import atomic_path


@contextmanager
def pdf_file(out: Path, title: str, *, margins_mm: float = 15, landscape: bool = False,
             resolution: int | None = None, creator: str = "counter-app") -> Iterator[QPdfWriter]:
    """An A4 writer whose pages become ``out`` when the block ends.

    Raises :class:`OSError` when ``out`` cannot be written (QPdfWriter itself
    says nothing: the folder is asked first) or when nothing was drawn.
    """
    with atomic_path(out, make_parents=True) as tmp:
        with tmp.open("ab"):  # QPdfWriter says nothing when it cannot write: ask the OS first
            pass
        writer = QPdfWriter(str(tmp))
        if resolution is not None:
            writer.setResolution(resolution)
        orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
        m = margins_mm
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation,
                                         QMarginsF(m, m, m, m), QPageLayout.Unit.Millimeter))
        writer.setTitle(title)
        writer.setCreator(creator)
        try:
            yield writer
        finally:
            shiboken6.delete(writer)  # closes the file now, on this thread (not by the collector)
        if tmp.stat().st_size == 0:
            raise OSError(f"nothing was written to {out}")


def gui_app() -> QGuiApplication:
    """The running Qt application, or an offscreen one for a command that only draws pages."""
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(["counter-app"])
    return app


def pixel_font(family: str, px: float, bold: bool = False) -> QFont:
    """``family`` at ``px`` device pixels (a page's painter counts in its own pixels)."""
    f = QFont(family)
    f.setPixelSize(max(1, round(px)))
    f.setBold(bold)
    return f
