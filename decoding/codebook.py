"""Catalogue versions: what an MW1 version 2 payload is coded against (docs/payload-v2.md).

A version 2 payload names its form by an index into a list of forms, each
field by its index in that form, each choice by its index: the reader must
hold exactly the lists the phone used. A :class:`Codebook` is those lists
(every form's code, version and fields with their types and choices) and the
words of the preset DEFLATE dictionary, identified by the first 4 bytes of
the SHA-256 of its canonical JSON, so that two catalogues that code alike
share an id and two that differ never do.

Every published codebook is kept in ``resources/catalogue-versions/`` (one
file a catalogue version, written by ``python -m decoding.codebook record``,
never by hand) so that a QR made before a form changed still decodes. A test
fails while the shipped catalogue differs from the newest recorded version.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from decoding.forms.catalogue import Catalogue

ID_LEN = 4
MAX_DICTIONARY = 32_768  # DEFLATE's window: a longer preset dictionary is cut to its end
ARCHIVE_FORMAT = 1

# How each field type of the catalogue is coded (docs/payload-v2.md, section 4).
CODING_OF_TYPE: dict[str, str] = {
    "text": "text",
    "longtext": "text",
    "email": "text",
    "mail_order_no": "text",
    "integer": "int",
    "money": "int",
    "decimal": "number",
    "boolean": "bool",
    "date": "date",
    "choice": "choice",
    "multichoice": "choices",
    "phone": "phone",
    "postcode": "digits5",
    "rrn": "digits13",
    "frn": "digits13",
    "crn": "digits13",
    "brn": "digits10",
    "address": "address",
}


class CodebookError(ValueError):
    """An archived catalogue version is damaged or inconsistent; the message says which."""


@dataclass(frozen=True)
class FieldCode:
    """One field as the coding sees it: its id, the catalogue type and the choices."""

    id: str
    type: str
    choices: tuple[str, ...] = ()

    @property
    def coding(self) -> str:
        return CODING_OF_TYPE[self.type]


@dataclass(frozen=True)
class FormCode:
    code: str
    ver: int
    fields: tuple[FieldCode, ...]

    @functools.cached_property
    def members(self) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        """(id, coding, choices) of each field: the record list of a form entry."""
        return tuple((f.id, f.coding, f.choices) for f in self.fields)


@dataclass(frozen=True)
class Codebook:
    """One catalogue version: forms, fields and dictionary words, and its 4-byte id."""

    forms: tuple[FormCode, ...]
    words: tuple[str, ...]
    number: int = 0  # the catalogue version's sequence number in the archive (0: not recorded)
    _index: dict[tuple[str, int], int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({(f.code, f.ver): i for i, f in enumerate(self.forms)})

    def body(self) -> dict[str, Any]:
        """What the id is computed over (section 5 of the spec)."""
        return {
            "forms": [
                {
                    "code": f.code,
                    "ver": f.ver,
                    "fields": [[d.id, d.type, list(d.choices)] for d in f.fields],
                }
                for f in self.forms
            ],
            "words": list(self.words),
        }

    @functools.cached_property
    def id(self) -> bytes:
        canonical = json.dumps(
            self.body(), ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode("utf-8")).digest()[:ID_LEN]

    @functools.cached_property
    def dictionary(self) -> bytes:
        """The preset dictionary: every distinct choice of every form, then the words."""
        seen: dict[str, None] = {}
        for form in self.forms:
            for f in form.fields:
                seen.update(dict.fromkeys(f.choices))
        seen.update(dict.fromkeys(self.words))
        return "".join(seen).encode("utf-8")[-MAX_DICTIONARY:]

    def form_index(self, code: str, ver: int) -> int | None:
        return self._index.get((code, ver))

    def to_json(self) -> dict[str, Any]:
        """The archive file (and the web form's ``codebook``)."""
        return {
            "format": ARCHIVE_FORMAT,
            "catalogue_version": self.number,
            "id": self.id.hex(),
            **self.body(),
        }

    @classmethod
    def from_json(cls, obj: Any, where: str = "codebook") -> Codebook:
        """Read an archive file; its id must match its content."""
        try:
            if obj["format"] != ARCHIVE_FORMAT:
                raise CodebookError(f"{where}: unknown archive format {obj['format']!r}")
            forms = tuple(
                FormCode(
                    str(f["code"]),
                    int(f["ver"]),
                    tuple(FieldCode(str(i), str(t), tuple(map(str, c))) for i, t, c in f["fields"]),
                )
                for f in obj["forms"]
            )
            book = cls(forms, tuple(map(str, obj["words"])), int(obj["catalogue_version"]))
            declared = bytes.fromhex(obj["id"])
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, CodebookError):
                raise
            raise CodebookError(f"{where}: malformed ({exc!r})") from None
        unknown = sorted({d.type for f in forms for d in f.fields} - set(CODING_OF_TYPE))
        if unknown:
            raise CodebookError(f"{where}: field type(s) without a coding: {', '.join(unknown)}")
        if declared != book.id:
            raise CodebookError(
                f"{where}: id {declared.hex()} does not match its content ({book.id.hex()}); "
                "archived catalogue versions are never edited"
            )
        return book


def site_codebook(book: Codebook) -> dict[str, Any]:
    """The codebook as the web form takes it (``catalogue.json``): the archive file and the codings."""
    return {**book.to_json(), "codings": dict(CODING_OF_TYPE)}


def read_words(path: Path) -> tuple[str, ...]:
    """The dictionary words: one a line; empty lines and ``#`` comments left out."""
    lines = path.read_text("utf-8").splitlines()
    return tuple(line for line in lines if line and not line.startswith("#"))


def codebook_of(catalogue: Catalogue, words: Sequence[str], number: int = 0) -> Codebook:
    """The codebook of a catalogue: its forms in (code, ver) order, each field in form order."""
    unknown = sorted({d.type for f in catalogue.forms for d in f.fields} - set(CODING_OF_TYPE))
    if unknown:
        raise CodebookError(
            f"field type(s) without a payload version 2 coding: {', '.join(unknown)} "
            "(add them to CODING_OF_TYPE and docs/payload-v2.md, section 4.5)"
        )
    forms = tuple(
        FormCode(f.code, f.ver, tuple(FieldCode(d.id, d.type, d.choices) for d in f.fields))
        for f in sorted(catalogue.forms, key=lambda f: (f.code, f.ver))
    )
    return Codebook(forms, tuple(words), number)


# -- the archive -----------------------------------------------------------------


def archive_dir() -> Path:
    from resources import RESOURCES  # data package; imported late to keep decoding pure

    return RESOURCES / "catalogue-versions"


def words_file() -> Path:
    from resources import RESOURCES

    return RESOURCES / "payload-words.txt"


def load_archive(directory: Path | None = None) -> list[Codebook]:
    """Every recorded catalogue version, oldest first (:class:`CodebookError` if one is damaged)."""
    directory = archive_dir() if directory is None else directory
    books = []
    for path in sorted(directory.glob("*.json")):
        try:
            obj = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise CodebookError(f"{path.name}: cannot be read ({exc})") from None
        book = Codebook.from_json(obj, path.name)
        if path.stem != f"{book.number:04d}":
            raise CodebookError(f"{path.name}: holds catalogue version {book.number}")
        books.append(book)
    numbers = [b.number for b in books]
    if numbers != list(range(1, len(books) + 1)):
        raise CodebookError(f"catalogue versions are not numbered 1..{len(books)}: {numbers}")
    return books


@functools.cache
def shipped_codebooks() -> dict[bytes, Codebook]:
    """The archive shipped with the program, by id (loaded once per process)."""
    return {b.id: b for b in load_archive()}


def current_codebook(catalogue: Catalogue | None = None) -> Codebook:
    """The codebook of a catalogue (default: the shipped one), numbered if it is recorded."""
    if catalogue is None:
        catalogue = Catalogue.load()
    book = codebook_of(catalogue, read_words(words_file()))
    recorded = shipped_codebooks().get(book.id)
    return recorded if recorded is not None else book


def newest_codebook() -> Codebook:
    """What the counter's own encoder writes: the newest recorded catalogue version."""
    books = shipped_codebooks()
    if not books:
        raise CodebookError("no catalogue version is recorded (python -m decoding.codebook record)")
    return max(books.values(), key=lambda b: b.number)


def record(directory: Path | None = None, catalogue: Catalogue | None = None) -> Path | None:
    """Write the current catalogue as a new version unless the newest already is it."""
    directory = archive_dir() if directory is None else directory
    books = load_archive(directory)
    catalogue = Catalogue.load() if catalogue is None else catalogue
    if catalogue.load_errors:
        raise CodebookError("the catalogue has broken forms: " + "; ".join(catalogue.load_errors))
    number = len(books) + 1
    book = codebook_of(catalogue, read_words(words_file()), number)
    if books and books[-1].id == book.id:
        return None
    path = directory / f"{number:04d}.json"
    directory.mkdir(parents=True, exist_ok=True)
    path.write_text(archive_text(book), "utf-8")
    return path


def archive_text(book: Codebook) -> str:
    """An archive file: JSON with one field a line, so that versions compare line by line."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    obj = book.to_json()
    lines = [f' "{k}": {dump(obj[k])},' for k in ("format", "catalogue_version", "id")]
    lines.append(' "forms": [')
    for i, form in enumerate(obj["forms"]):
        lines.append(f'  {{"code": {dump(form["code"])}, "ver": {form["ver"]}, "fields": [')
        lines += [f"   {dump(f)}," for f in form["fields"]]
        lines[-1] = lines[-1].rstrip(",")
        lines.append("  ]}" + ("," if i + 1 < len(obj["forms"]) else ""))
    lines.append(" ],")
    lines.append(' "words": [')
    lines += [f"  {dump(w)}," for w in obj["words"]]
    lines[-1] = lines[-1].rstrip(",")
    lines.append(" ]")
    return "{\n" + "\n".join(lines) + "\n}\n"


def main(argv: list[str]) -> int:
    """``python -m decoding.codebook record|check``."""
    if argv not in (["record"], ["check"]):
        print("usage: python -m decoding.codebook record|check", file=sys.stderr)
        return 2
    if argv == ["record"]:
        path = record()
        print(f"recorded {path}" if path else "the newest catalogue version is current")
        return 0
    current = current_codebook()
    if current.number and current.number == newest_codebook().number:
        print(f"catalogue version {current.number} ({current.id.hex()}) is current")
        return 0
    print(
        f"the catalogue ({current.id.hex()}) is not the newest recorded version: "
        "run python -m decoding.codebook record",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
