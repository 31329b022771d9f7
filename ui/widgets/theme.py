"""Look of the counter window, in the spirit of KRDS (the Korean government design system).

Calm and high-contrast: white surfaces, one primary blue (#256ef4, pressed
#0b50d0), a clear error red, large text (17 px body) and a visible 2 px focus
ring on every control, because clerks work by keyboard and are watched by a
queue. The colours pass WCAG AA on white.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

PRIMARY = "#256ef4"
PRIMARY_DARK = "#0b50d0"
PRIMARY_LIGHT = "#ecf2fe"
TEXT = "#1e2124"
TEXT_SUBTLE = "#464c53"
BORDER = "#b1b8be"
SURFACE = "#f4f5f6"
WHITE = "#ffffff"
ERROR = "#d50f0f"
ERROR_LIGHT = "#fdefec"
WARNING = "#8a5c00"
WARNING_LIGHT = "#fff3db"
SUCCESS = "#1f7a34"
SUCCESS_LIGHT = "#eaf6ec"
CORRECTED = "#6b3fd4"

FONT_FAMILY = "Pretendard GOV"

STYLESHEET = f"""
* {{ font-size: 17px; color: {TEXT}; }}
QMainWindow, QDialog {{ background: {WHITE}; }}
QWidget#sidebar, QWidget#attachments {{ background: {SURFACE}; }}
QLabel[role="h1"] {{ font-size: 24px; font-weight: 700; }}
QLabel[role="h2"] {{ font-size: 20px; font-weight: 700; margin-top: 8px; }}
QLabel[role="section"] {{ font-size: 19px; font-weight: 700; color: {PRIMARY_DARK};
    border-bottom: 2px solid {PRIMARY}; padding: 6px 0 4px 0; margin-top: 10px; }}
QLabel[role="label"] {{ color: {TEXT_SUBTLE}; }}
QLabel[role="value"] {{ font-weight: 600; }}
QLabel[role="muted"] {{ color: {TEXT_SUBTLE}; font-size: 15px; }}
QLabel[severity="error"] {{ color: {ERROR}; font-weight: 600; }}
QLabel[severity="warning"] {{ color: {WARNING}; font-weight: 600; }}
QLabel[corrected="true"] {{ color: {CORRECTED}; }}
QLabel[role="case-number"] {{ font-size: 28px; font-weight: 700; color: {SUCCESS}; }}
QFrame#banner[kind="error"] {{ background: {ERROR_LIGHT}; border: 2px solid {ERROR}; border-radius: 8px; }}
QFrame#banner[kind="warning"] {{ background: {WARNING_LIGHT}; border: 2px solid {WARNING}; border-radius: 8px; }}
QFrame#banner[kind="info"] {{ background: {PRIMARY_LIGHT}; border: 2px solid {PRIMARY}; border-radius: 8px; }}
QFrame#banner[kind="success"] {{ background: {SUCCESS_LIGHT}; border: 2px solid {SUCCESS}; border-radius: 8px; }}
QFrame#card {{ background: {WHITE}; border: 1px solid {BORDER}; border-radius: 8px; }}
QFrame#field:focus {{ border: 2px solid {PRIMARY}; border-radius: 4px; }}
QFrame#field[severity="error"] {{ background: {ERROR_LIGHT}; border-left: 4px solid {ERROR}; }}
QFrame#field[severity="warning"] {{ background: {WARNING_LIGHT}; border-left: 4px solid {WARNING}; }}
QPushButton {{ background: {WHITE}; border: 1px solid {BORDER}; border-radius: 6px;
    padding: 8px 16px; min-height: 24px; }}
QPushButton:hover {{ background: {PRIMARY_LIGHT}; }}
QPushButton:focus {{ border: 2px solid {PRIMARY}; }}
QPushButton:disabled {{ color: #8a949e; background: {SURFACE}; }}
QPushButton[kind="primary"] {{ background: {PRIMARY}; color: {WHITE}; border: 2px solid {PRIMARY};
    font-weight: 700; }}
QPushButton[kind="primary"]:hover {{ background: {PRIMARY_DARK}; border-color: {PRIMARY_DARK}; }}
QPushButton[kind="primary"]:focus {{ border: 2px solid {TEXT}; }}
QPushButton[kind="primary"]:disabled {{ background: #9fbdf5; border-color: #9fbdf5; color: {WHITE}; }}
QPushButton[kind="danger"] {{ color: {ERROR}; border: 1px solid {ERROR}; }}
QPushButton[kind="danger"]:disabled {{ color: #8a949e; border-color: {BORDER}; }}
QPushButton[kind="device"] {{ border-radius: 14px; padding: 4px 12px; font-size: 15px; }}
QPushButton[kind="device"][state="connected"] {{ color: {SUCCESS}; border-color: {SUCCESS}; }}
QPushButton[kind="device"][state="waiting"] {{ color: {WARNING}; border-color: {WARNING}; }}
QPushButton[kind="device"][state="error"] {{ color: {ERROR}; border-color: {ERROR};
    background: {ERROR_LIGHT}; }}
QLineEdit, QPlainTextEdit, QComboBox, QSpinBox {{ background: {WHITE}; border: 1px solid {BORDER};
    border-radius: 6px; padding: 6px 8px; }}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QSpinBox:focus {{ border: 2px solid {PRIMARY}; }}
QListWidget {{ background: {WHITE}; border: 1px solid {BORDER}; border-radius: 6px; }}
QListWidget::item {{ padding: 8px; border-bottom: 1px solid {SURFACE}; }}
QListWidget::item:selected {{ background: {PRIMARY_LIGHT}; color: {TEXT}; }}
QListWidget:focus {{ border: 2px solid {PRIMARY}; }}
QCheckBox {{ spacing: 8px; }}
QCheckBox:focus {{ outline: 2px solid {PRIMARY}; }}
QScrollArea {{ border: none; background: {WHITE}; }}
QStatusBar {{ background: {SURFACE}; border-top: 1px solid {BORDER}; }}
QToolTip {{ background: {TEXT}; color: {WHITE}; border: none; padding: 6px; }}
"""


def apply_theme(app: QApplication, stylesheet: bool = True) -> None:
    """Fusion style (identical on every PC) plus the palette and style sheet above.

    ``stylesheet=False`` leaves the style sheet to the windows that set it on their
    own containers (the counter window does, see :func:`style_sheet_on`): with an
    application-wide style sheet every new widget is polished by Qt's style-sheet
    engine, which doubles the time to draw a petition.
    """
    app.setStyle("Fusion")
    pal = app.palette()
    pal.setColor(QPalette.ColorRole.Window, QColor(WHITE))
    pal.setColor(QPalette.ColorRole.WindowText, QColor(TEXT))
    pal.setColor(QPalette.ColorRole.Base, QColor(WHITE))
    pal.setColor(QPalette.ColorRole.Text, QColor(TEXT))
    pal.setColor(QPalette.ColorRole.Highlight, QColor(PRIMARY))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor(WHITE))
    pal.setColor(QPalette.ColorRole.Button, QColor(WHITE))
    pal.setColor(QPalette.ColorRole.ButtonText, QColor(TEXT))
    app.setPalette(pal)
    app.setStyleSheet(STYLESHEET if stylesheet else "")


def style_sheet_on(*widgets: QWidget) -> None:
    """The style sheet on these containers only (no-op where the application has it)."""
    app = QApplication.instance()
    if isinstance(app, QApplication) and app.styleSheet():
        return
    for w in widgets:
        w.setStyleSheet(STYLESHEET)


# Styles set in code for the petition body, which is redrawn on every scan and
# must stay fast: fonts and palettes instead of style-sheet rules.
_ROLE_FONT = {"h1": (24, 700), "h2": (20, 700), "section": (19, 700), "label": (17, 400),
              "value": (17, 600), "muted": (15, 400), None: (17, 400)}
_ROLE_COLOUR = {"section": PRIMARY_DARK, "label": TEXT_SUBTLE, "muted": TEXT_SUBTLE}
_SEVERITY_COLOUR = {"error": ERROR, "warning": WARNING}
_fonts: dict[tuple[str | None, int, int], QFont] = {}
_palettes: dict[tuple[str, str], QPalette] = {}


def font_for(role: str | None, bold: bool = False) -> QFont:
    size, weight = _ROLE_FONT.get(role, _ROLE_FONT[None])
    if bold:
        weight = max(weight, 600)
    key = (role, size, weight)
    if key not in _fonts:
        app = QApplication.instance()
        f = QFont(app.font()) if isinstance(app, QApplication) else QFont(FONT_FAMILY)
        f.setPixelSize(size)
        f.setWeight(QFont.Weight(weight))
        _fonts[key] = f
    return _fonts[key]


def palette_for(text: str = TEXT, background: str = WHITE) -> QPalette:
    key = (text, background)
    if key not in _palettes:
        pal = QPalette()
        pal.setColor(QPalette.ColorRole.WindowText, QColor(text))
        pal.setColor(QPalette.ColorRole.Text, QColor(text))
        pal.setColor(QPalette.ColorRole.Window, QColor(background))
        pal.setColor(QPalette.ColorRole.Base, QColor(background))
        _palettes[key] = pal
    return _palettes[key]


def text_colour(role: str | None, severity: str | None = None, corrected: bool = False) -> str:
    if severity:
        return _SEVERITY_COLOUR.get(severity, TEXT)
    if corrected:
        return CORRECTED
    return _ROLE_COLOUR.get(role or "", TEXT)


SEVERITY_BACKGROUND = {"error": ERROR_LIGHT, "warning": WARNING_LIGHT}
SEVERITY_BORDER = {"error": ERROR, "warning": WARNING}


def repolish(widget: object) -> None:
    """Re-apply the style sheet after a dynamic property (severity, state) changed."""
    style = widget.style()  # type: ignore[attr-defined]
    style.unpolish(widget)
    style.polish(widget)
