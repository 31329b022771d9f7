"""Creating the Qt application: shipped fonts, theme, translations."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from resources import FONTS_DIR
from ui.widgets import theme
from ui.widgets.i18n import install_translator
from ui.widgets.qtcompat import check_pyside

log = logging.getLogger(__name__)


_loaded: list[str] = []


def load_fonts() -> str:
    """Register Pretendard GOV (OFL, shipped in resources/fonts) so text looks the same on every PC.

    Once per process; the family name is returned."""
    if _loaded:
        return _loaded[0]
    family = ""
    for path in sorted(FONTS_DIR.glob("*.otf")) + sorted(FONTS_DIR.glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("font not loaded: %s", path.name)
            continue
        families = QFontDatabase.applicationFontFamilies(font_id)
        family = family or (families[0] if families else "")
    _loaded.append(family)
    return family


def make_app(
    language: str = "ko", argv: list[str] | None = None, app_stylesheet: bool = True
) -> QApplication:
    """The QApplication (reused if one exists, as under pytest-qt), themed and translated.

    ``app_stylesheet=False``: the counter window puts the style sheet on its own
    containers so the petition, redrawn on every scan, is not polished by it."""
    check_pyside()
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("counter-app")
    app.setApplicationDisplayName("민원 창구")
    family = load_fonts() or theme.FONT_FAMILY
    font = QFont(family)
    font.setPixelSize(17)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    app.setFont(font)
    theme.apply_theme(app, stylesheet=app_stylesheet)
    app.setAttribute(Qt.ApplicationAttribute.AA_DontShowIconsInMenus, True)
    install_translator(language)
    install_qt_translations(language)
    return app


_qt_translators: list[QTranslator] = []


def install_qt_translations(language: str) -> bool:
    """Qt's own texts (yes/no, the file, print and colour dialogs, context menus) in the
    window's language: ``qtbase_ko.qm`` from the Qt that PySide6 ships (the installer
    keeps it). Also the default locale, so dates and numbers read the Korean way."""
    app = QApplication.instance()
    if app is None:
        return False
    for old in _qt_translators:
        app.removeTranslator(old)
    _qt_translators.clear()
    korean = language in ("", "ko")
    QLocale.setDefault(QLocale(QLocale.Language.Korean, QLocale.Country.SouthKorea) if korean
                       else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    if not korean:
        return True  # Qt's source texts are English
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load("qtbase_ko", folder):
        log.warning("Qt's Korean translations (qtbase_ko.qm) not found in %s", folder)
        return False
    app.installTranslator(translator)
    _qt_translators.append(translator)
    return True
