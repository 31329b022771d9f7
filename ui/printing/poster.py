"""The A4 poster at an office's door: the QR that opens the citizen's web form.

Drawn with QPainter on a QPdfWriter (no Qt Charts, no HTML engine), in the
shipped Pretendard GOV, large: most readers are standing a metre away, many
of them elderly. The QR carries the site's URL (with ``?office=CODE`` so a
district site opens that office's form) at error correction level M.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPdfWriter

from ui.printing.pdf import gui_app, pdf_file, pixel_font
from ui.printing.qr import draw_qr
from ui.widgets.qtapp import load_fonts
from ui.widgets.theme import FONT_FAMILY

STEPS_KO = (
    "휴대전화 카메라로 QR 코드를 비추세요.",
    "신청할 민원을 고르고 내용을 한 번만 적으세요.",
    "만들어진 QR 코드를 창구 직원에게 보여 주세요.",
)
PRIMARY = QColor("#0b50d0")


def make_poster(url: str, office_name: str, out: Path) -> Path:
    """Write the poster PDF (A4 portrait, one page) to ``out`` (temp file, then renamed)."""
    gui_app()
    family = load_fonts() or FONT_FAMILY
    with pdf_file(out, f"{office_name} 민원 신청서 QR", margins_mm=0, resolution=300,
                  creator="counter-app web poster") as writer:
        _draw(writer, url, office_name, family)
    return out


def _draw(writer: QPdfWriter, url: str, office_name: str, family: str) -> None:
    w, h = writer.width(), writer.height()
    mm = w / 210.0
    p = QPainter(writer)
    try:
        p.fillRect(QRectF(0, 0, w, 42 * mm), PRIMARY)
        p.setPen(QColor("white"))
        p.setFont(pixel_font(family, 13 * mm, bold=True))
        p.drawText(QRectF(12 * mm, 6 * mm, w - 24 * mm, 20 * mm), Qt.AlignmentFlag.AlignCenter,
                   "민원 신청서, 휴대전화로")
        p.setFont(pixel_font(family, 7.5 * mm))
        p.drawText(QRectF(12 * mm, 25 * mm, w - 24 * mm, 12 * mm), Qt.AlignmentFlag.AlignCenter,
                   "기다리는 동안 미리 쓰고 QR 코드로 접수하세요")

        # The QR: 120 mm wide with its quiet zone of 4 modules, black on white.
        side = 120 * mm
        x0, y0 = (w - side) / 2, 52 * mm
        draw_qr(p, url, x0, y0, side)

        p.setPen(QColor("#1e2124"))
        y = y0 + side + 8 * mm
        p.setFont(pixel_font(family, 9 * mm, bold=True))
        p.drawText(QRectF(12 * mm, y, w - 24 * mm, 13 * mm), Qt.AlignmentFlag.AlignCenter, office_name)
        y += 17 * mm
        p.setFont(pixel_font(family, 6.3 * mm))
        for i, step in enumerate(STEPS_KO, 1):
            p.setPen(PRIMARY)
            p.setFont(pixel_font(family, 6.3 * mm, bold=True))
            p.drawText(QRectF(16 * mm, y, 12 * mm, 10 * mm), Qt.AlignmentFlag.AlignLeft, f"{i}.")
            p.setPen(QColor("#1e2124"))
            p.setFont(pixel_font(family, 6.3 * mm))
            p.drawText(QRectF(27 * mm, y, w - 43 * mm, 10 * mm), Qt.AlignmentFlag.AlignLeft, step)
            y += 11 * mm
        y += 3 * mm
        p.setPen(QColor("#464c53"))
        p.setFont(pixel_font(family, 4.2 * mm))
        notes = ("입력한 개인정보는 휴대전화 밖으로 보내지 않으며, QR 코드 안에 암호화되어 창구에서만 열립니다.\n"
                 "휴대전화 사용이 어려우시면 창구의 종이 신청서를 이용하세요.")
        p.drawText(QRectF(16 * mm, y, w - 32 * mm, 20 * mm),
                   Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap, notes)
        p.setFont(pixel_font(family, 4 * mm))
        p.drawText(QRectF(12 * mm, h - 16 * mm, w - 24 * mm, 8 * mm), Qt.AlignmentFlag.AlignCenter, url)
    finally:
        p.end()
