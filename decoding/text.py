"""Text from outside: is it real Unicode text, does it show anything, and how to show it safely.

A petition's strings come from a citizen's phone (or from a crafted QR): they
may hold lone surrogates (JSON's ``"\\ud800"`` decodes to one, and nothing can
encode it), control characters (terminal escape sequences), bidi overrides
that reorder what a clerk reads, or nothing visible at all (a "name" of
zero-width spaces). The reader refuses what cannot be stored or shown
(:func:`text_problem`); everything shown on a screen, a terminal or a printout
goes through :func:`display_text` as well, since stored data may predate a
rule or come from a database someone edited.
"""

from __future__ import annotations

import re
import unicodedata

# Explicit bidi formatting characters (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI,
# PDI, LRM, RLM, ALM): they reorder text on screen without being seen.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
# Characters that draw nothing although Unicode files them as letters or symbols.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})


def is_unicode_text(value: str) -> bool:
    """True unless ``value`` holds a lone surrogate (which no encoding can write)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def has_visible(value: str) -> bool:
    """Does ``value`` draw at least one character (not only spaces, zero-width or bidi marks)?"""
    return any(
        unicodedata.category(c) not in _INVISIBLE_CATEGORIES and c not in _INVISIBLE_LETTERS
        for c in value
    )


def has_controls(value: str, *, multiline: bool = False) -> bool:
    """C0/C1 control characters (NUL, ESC, DEL, ...) or bidi overrides; with
    ``multiline``, line feeds and tabs are allowed."""
    allowed = "\n\t" if multiline else ""
    for c in value:
        if c in allowed:
            continue
        if unicodedata.category(c) == "Cc" or c in BIDI_CONTROLS or c in "\u2028\u2029":
            return True
    return False


def text_problem(value: str, *, multiline: bool = False) -> tuple[str, str] | None:
    """Why ``value`` cannot be taken as text (Korean, English), or None if it can."""
    if not is_unicode_text(value):
        return "올바른 유니코드 문자가 아닙니다", "not valid Unicode text"
    if has_controls(value, multiline=multiline):
        return "쓸 수 없는 제어 문자가 있습니다", "contains control or bidi characters"
    return None


_ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|.)?")


def display_text(value: object, *, multiline: bool = False) -> str:
    """``value`` as safe text for a screen, a terminal or a printout.

    Terminal escape sequences, other control characters and bidi overrides
    are removed; a lone surrogate becomes U+FFFD. With ``multiline``, line
    feeds and tabs stay.
    """
    text = value if isinstance(value, str) else str(value)
    if not is_unicode_text(text):
        text = text.encode("utf-8", "replace").decode("utf-8")
    if text.isascii() and text.isprintable():
        return text
    text = _ESCAPE_SEQUENCE.sub("", text)
    keep = "\n\t" if multiline else ""
    out = []
    for c in text:
        if c in keep:
            out.append(c)
        elif c in BIDI_CONTROLS or unicodedata.category(c) in ("Cc", "Cs"):
            continue
        elif c in "\u2028\u2029":
            out.append("\n" if multiline else " ")
        else:
            out.append(c)
    return "".join(out)


def escaped_text(value: object) -> str:
    """``value`` for a terminal with nothing that acts on it, and nothing lost: control,
    bidi and separator characters (ESC, BEL, U+202E, U+2028...) and lone surrogates are
    written as ``\\x1b``, ``\\u202e``; everything else as it is."""
    text = value if isinstance(value, str) else str(value)
    out = []
    for c in text:
        if (c in BIDI_CONTROLS or c in "\u2028\u2029"
                or unicodedata.category(c) in ("Cc", "Cs")):
            out.append(ascii(c)[1:-1])
        else:
            out.append(c)
    return "".join(out)
