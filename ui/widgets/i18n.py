"""Translations: the window is written in Korean; English comes from a Qt .qm file.

Every visible string goes through :func:`tr` (``QCoreApplication.translate``
with the context ``""``, which ``pyside6-lupdate`` also understands). Texts
that come with both languages (catalogue labels, error messages, a
:class:`counter_app.intake.Message`) are chosen with :func:`pick` / :func:`say`
by the one question :func:`english` (is the window in English?). The
English lives in :mod:`ui.translations_en`; ``python -m ui.widgets.i18n`` writes it as
``resources/translations/counter_en.ts`` (Qt Linguist's format) and compiles it
with ``pyside6-lrelease`` into ``counter_en.qm``, which
:func:`install_translator` loads through the one ``QTranslator`` of the program. Run it after
changing strings; a test fails while a ``tr()`` text has no English.
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


def english_table() -> dict[str, str]:
    """Korean source text -> English for every window: the counter's table
    (:mod:`ui.translations_en`) with the review window's (:mod:`ui.review.english`);
    where both name a text, the counter's English is used."""
    from ui.review.english import ENGLISH
    from ui.translations_en import EN

    return {**ENGLISH, **EN}


def write_ts(path: Path) -> Path:
    """The English table as a Qt Linguist .ts file (context ``""``): one file, one translator."""
    EN = english_table()

    root = ET.Element("TS", version="2.1", language="en", sourcelanguage="ko")
    ctx = ET.SubElement(root, "context")
    ET.SubElement(ctx, "name").text = ""
    for ko, en in sorted(EN.items()):
        msg = ET.SubElement(ctx, "message")
        ET.SubElement(msg, "source").text = ko
        ET.SubElement(msg, "translation").text = en
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                    + ET.tostring(root, encoding="unicode") + "\n", encoding="utf-8")
    return path


def build() -> Path:
    """Write counter_en.ts and compile it to counter_en.qm with pyside6-lrelease."""
    ts = write_ts(TRANSLATIONS_DIR / "counter_en.ts")
    qm = ts.with_suffix(".qm")
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).parent / "pyside6-lrelease")
    subprocess.run([lrelease, str(ts), "-qm", str(qm)], check=True, capture_output=True)
    return qm


if __name__ == "__main__":
    print(build())
