"""Translations: the window is written in Korean; English comes from a Qt .qm file.

Every visible string goes through :func:`tr` (``QCoreApplication.translate``
with the context ``""``, which ``pyside6-lupdate`` also understands). Texts
that come with both languages (catalogue labels, error messages, a
:class:`counter_app.intake.Message`) are chosen with :func:`pick` / :func:`say`
by the one question :func:`english` (is the window in English?).

The English of every window is one table: ``resources/translations/counter_en.ts``
(Qt Linguist's format; edit it there or in Linguist). ``python -m ui.widgets.i18n``
compiles it with ``pyside6-lrelease`` into ``counter_en.qm``, which
:func:`install_translator` loads through the one ``QTranslator`` of the program.
A test fails while a ``tr()`` text has no English or the ``.qm`` is older than the ``.ts``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QTranslator

from resources import RESOURCES

TRANSLATIONS_DIR = RESOURCES / "translations"
TS_FILE = TRANSLATIONS_DIR / "counter_en.ts"
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


def language() -> str:
    """The window's language: "en" when the English translation is in use, else "ko"."""
    return "en" if tr("한국어") == "English" else "ko"


def english() -> bool:
    return language() == "en"


def pick(ko: str, en: str) -> str:
    """Choose between a Korean and an English text coming from data (catalogue, errors)."""
    return en if en and english() else ko


class Bilingual(Protocol):
    @property
    def ko(self) -> str: ...

    @property
    def en(self) -> str: ...


def say(message: Bilingual) -> str:
    """A message that comes in both languages, in the window's language."""
    return pick(message.ko, message.en)


def english_table(ts: Path | None = None) -> dict[str, str]:
    """Korean source text -> English, as the .ts file (the one table of every window) has it."""
    root = ET.parse(ts or TS_FILE).getroot()
    return {m.findtext("source") or "": m.findtext("translation") or ""
            for m in root.iter("message")}


def compile_qm(ts: Path, qm: Path) -> Path:
    """Compile a .ts file with ``pyside6-lrelease`` (shipped with PySide6)."""
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).parent / "pyside6-lrelease")
    subprocess.run([lrelease, str(ts), "-qm", str(qm)], check=True, capture_output=True)
    return qm


def build() -> Path:
    """Compile counter_en.ts to the counter_en.qm the program loads."""
    return compile_qm(TS_FILE, TS_FILE.with_suffix(".qm"))


if __name__ == "__main__":
    print(build())
