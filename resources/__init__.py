"""Data shipped with the program: form definitions, fonts, sounds, demo data."""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent
FORMS_DIR = RESOURCES / "forms"
FONTS_DIR = RESOURCES / "fonts"
