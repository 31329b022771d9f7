"""The scanner's test-code sheet: the code the scanner set-up reads, on paper.

Many scanners at counters (laser and older imagers) cannot read a code from a
screen; for them the set-up prints this A4 sheet: the test code
(:data:`decoding.calibration.TEST_PAYLOAD`) large, the same code small (a
scanner that reads both reads a citizen's phone too), and what to do, in Korean
and English. Drawn on a PDF (``counter-app devices calibrate --pdf FILE``) or on
the printer (the set-up dialog's 인쇄, Ctrl+P), with the same drawing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPagedPaintDevice, QPageLayout, QPainter

from decoding.calibration import TEST_PAYLOAD
from ui.printing.pdf import gui_app, pdf_file, pixel_font
from ui.printing.qr import draw_qr
from ui.widgets.qtapp import load_fonts
from ui.widgets.theme import FONT_FAMILY

TITLE = "스캐너 설정 시험 코드 / Scanner set-up test code"
STEPS = (
    ("창구 프로그램에서 Ctrl+Shift+K 를 누르세요 (또는 counter-app devices calibrate).",
     "At the counter program press Ctrl+Shift+K (or run counter-app devices calibrate)."),
    ("아래의 큰 코드를 스캐너로 스캔하세요. 설정이 저장되고 화면에 나옵니다.",
     "Scan the large code below: the scanner's settings are saved and shown."),
    ("작은 코드도 스캔해 보세요. 읽히면 휴대전화 화면의 QR 코드도 읽힙니다.",
     "Try the small code too: a scanner that reads it reads phone screens as well."),
)
INK = QColor("#1e2124")


def make_test_code_sheet(out: Path) -> Path:
    """Write the sheet as a one-page A4 PDF to ``out`` (whole, or not at all)."""
    gui_app()
    with pdf_file(out, TITLE, margins_mm=0, resolution=300, creator="counter-app devices calibrate") as w:
        draw_test_code_sheet(w)
    return out


def draw_test_code_sheet(device: QPagedPaintDevice) -> None:
    """The sheet on one page of ``device`` (a PDF writer or a printer)."""
    family = load_fonts() or FONT_FAMILY
    rect = device.pageLayout().paintRectPixels(device.logicalDpiX())
    w = rect.width()
    width_mm = device.pageLayout().paintRect(QPageLayout.Unit.Millimeter).width()
    mm = w / (width_mm or 210.0)  # device pixels per mm (a printer's page has margins)
    left = max(0.0, 15 - device.pageLayout().margins(QPageLayout.Unit.Millimeter).left()) * mm
    p = QPainter(device)
    try:
        p.setPen(INK)
        p.setFont(pixel_font(family, 8 * mm, bold=True))
        p.drawText(QRectF(left, 12 * mm, w - 2 * left, 12 * mm), Qt.AlignmentFlag.AlignLeft,
                   "스캐너 설정 시험 코드")
        p.setFont(pixel_font(family, 4.5 * mm))
        p.drawText(QRectF(left, 24 * mm, w - 2 * left, 8 * mm), Qt.AlignmentFlag.AlignLeft,
                   "Scanner set-up test code")
        y = 38 * mm
        for i, (ko, en) in enumerate(STEPS, 1):
            p.setFont(pixel_font(family, 4.6 * mm, bold=True))
            p.drawText(QRectF(left, y, 8 * mm, 8 * mm), Qt.AlignmentFlag.AlignLeft, f"{i}.")
            p.setFont(pixel_font(family, 4.6 * mm))
            p.drawText(QRectF(left + 8 * mm, y, w - 2 * left - 8 * mm, 8 * mm), Qt.AlignmentFlag.AlignLeft, ko)
            p.setFont(pixel_font(family, 3.4 * mm))
            p.setPen(QColor("#464c53"))
            p.drawText(QRectF(left + 8 * mm, y + 6.5 * mm, w - 2 * left - 8 * mm, 6 * mm),
                       Qt.AlignmentFlag.AlignLeft, en)
            p.setPen(INK)
            y += 15 * mm
        big = 80 * mm
        draw_qr(p, TEST_PAYLOAD, (w - big) / 2, y + 4 * mm, big)
        y += big + 10 * mm
        small = 25 * mm
        draw_qr(p, TEST_PAYLOAD, (w - small) / 2, y, small)
        p.setFont(pixel_font(family, 3.4 * mm))
        p.drawText(QRectF(left, y + small + 2 * mm, w - 2 * left, 6 * mm), Qt.AlignmentFlag.AlignHCenter,
                   "작은 코드 / the small code")
        p.setPen(QColor("#6d7882"))
        p.drawText(QRectF(left, y + small + 12 * mm, w - 2 * left, 14 * mm),
                   Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap,
                   "이 코드에는 개인정보가 없습니다 / this code holds no personal data\n" + TEST_PAYLOAD)
    finally:
        p.end()
