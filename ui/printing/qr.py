"""A QR code drawn with QPainter on a page (a PDF or a printer): black modules on white, with
the quiet zone of 4 modules the standard asks for. The poster and the scanner's test-code
sheet draw theirs here."""

from __future__ import annotations

import segno
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter


def draw_qr(p: QPainter, text: str, x0: float, y0: float, side: float, error: str = "m") -> None:
    """``text`` as a QR code filling the square ``side`` wide at (``x0``, ``y0``), quiet zone
    included."""
    qr = segno.make_qr(text, error=error, boost_error=False)
    matrix = [list(row) for row in qr.matrix]
    n = len(matrix)
    module = side / (n + 8)
    p.fillRect(QRectF(x0, y0, side, side), QColor("white"))
    black = QColor("black")
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:  # a hair wider than the module: no white seams between neighbours
                p.fillRect(QRectF(x0 + (c + 4) * module, y0 + (r + 4) * module,
                                  module + 0.5, module + 0.5), black)
