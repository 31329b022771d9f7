"""Translations: the window is written in Korean; English comes from a Qt .qm file.

Every visible string goes through :func:`tr`. ``pyside6-lupdate`` finds the
``tr("...")`` calls (context ``""``) and writes ``resources/translations/
counter_en.ts``; ``pyside6-lrelease`` compiles it to ``counter_en.qm``, which
:func:`install_translator` loads through a ``QTranslator``. Regenerate with
``python -m ui.i18n`` after changing strings.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from resources import RESOURCES

TRANSLATIONS_DIR = RESOURCES / "translations"
_installed: list[QTranslator] = []


def tr(text: str) -> str:
    """Korean source text → the current language (Korean when no translator is installed)."""
    return QCoreApplication.translate("", text)


def install_translator(language: str) -> bool:
    """Load ``counter_<language>.qm``; Korean needs none. Returns whether it was loaded."""
    app = QCoreApplication.instance()
    for old in _installed:
        if app is not None:
            app.removeTranslator(old)
    _installed.clear()
    if language in ("", "ko") or app is None:
        return language in ("", "ko")
    translator = QTranslator(app)
    if not translator.load(str(TRANSLATIONS_DIR / f"counter_{language}.qm")):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True


def pick(ko: str, en: str) -> str:
    """Choose between a Korean and an English text coming from data (catalogue, errors)."""
    return en if tr("한국어") == "English" and en else ko
