"""Trim the ICU data Qt carries in a Linux bundle to what a Korean counter uses.

    python installer/trim_icu.py dist/counter-app [--check]

PySide6's ``libicudata.so.NN`` (32 MB) is one symbol, ``icudtNN_dat``: ICU's
common data package, a table of contents and some 3,900 items (locale data for
every language, break-iterator dictionaries, converters for every legacy code
page). Qt uses ICU for collation (``QCollator``, ``localeAwareCompare``), case
mapping and legacy text codecs; its own CLDR tables serve ``QLocale`` and its
own Unicode tables serve text layout. So the package is rewritten keeping:

* everything that is not locale data (normalisation, properties, case
  mapping, character names, confusables, supplemental data, time zones),
* locale data for the root locale, Korean and English (any region),
* collation for those locales and the UCA table,
* break rules (``*.brk``) but not the Chinese/Japanese, Thai, Lao, Khmer and
  Burmese dictionaries,
* converters but the large Chinese, Japanese and Taiwanese ones (EUC-KR,
  CP949/UHC, ISO-2022-KR and every single-byte code page stay),

and no transliterators. The items are copied byte for byte; the new package
is linked into a library of the same name (needs ``cc``). ``--check`` only
prints what would be kept. ICU falls back to the root locale for anything
missing, it does not fail.
"""

from __future__ import annotations

import argparse
import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)*$")
KEPT_LANGUAGES = ("ko", "en")
NOT_LOCALES = {"root", "pool", "res_index"}
# Converters of Chinese, Japanese and Taiwanese code pages (the large ones).
DROPPED_CONVERTERS = re.compile(
    r"^(euc-tw|gb18030|ibm-1375|ibm-1390|ibm-1399|ibm-1388|ibm-964|ibm-5478|ibm-943|ibm-942|"
    r"ibm-954|ibm-33722|ibm-1386|ibm-1373|ibm-950|ibm-1381|ibm-1383|ibm-16684|ibm-4899|"
    r"ibm-1371|ibm-930|ibm-933|ibm-935|ibm-937|ibm-939|ibm-1392|windows-936|windows-950|"
    r"icu-internal-compound-)"
)


def keep(name: str) -> bool:
    """``name`` is an item's path inside the package, e.g. ``coll/ko.res``."""
    parts = name.split("/")
    file = parts[-1]
    stem, _, ext = file.rpartition(".")
    tree = parts[0] if len(parts) > 1 else ""
    if tree == "translit":
        return False
    if ext == "dict":
        return False
    if ext == "cnv":
        return not DROPPED_CONVERTERS.match(stem)
    if ext != "res" or stem in NOT_LOCALES or not LOCALE.match(stem):
        return True  # .icu, .nrm, .spp, .cfu, .brk, supplemental data...
    return stem.split("_")[0] in KEPT_LANGUAGES


def read_package(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    header_size = struct.unpack_from("<H", blob, 0)[0]
    if blob[2:4] != b"\xda\x27" or blob[8 + 4 : 8 + 8] != b"CmnD":
        raise ValueError("not an ICU common data package (CmnD)")
    toc = blob[header_size:]
    count = struct.unpack_from("<I", toc, 0)[0]
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_off, data_off) in enumerate(entries):
        end = entries[i + 1][1] if i + 1 < count else len(toc)
        name = toc[name_off : toc.index(b"\0", name_off)].decode("ascii")
        items.append((name, toc[data_off:end]))
    return blob[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    names = b"".join(n.encode("ascii") + b"\0" for n, _ in items)
    table = 4 + 8 * len(items)
    data_at = (table + len(names) + 15) & ~15
    toc = bytearray(struct.pack("<I", len(items)))
    name_off, data_off = table, data_at
    body = bytearray()
    for name, data in items:
        toc += struct.pack("<II", name_off, data_off)
        name_off += len(name) + 1
        padded = data + b"\0" * (-len(data) % 16)
        body += padded
        data_off += len(padded)
    toc += names
    toc += b"\0" * (data_at - len(toc))
    return header + bytes(toc) + bytes(body)


def symbol(lib: Path) -> tuple[str, int, int]:
    """The data symbol's name and its file offset and size (from nm and readelf)."""
    out = subprocess.run(
        ["nm", "-D", "-S", "--defined-only", str(lib)], capture_output=True, text=True, check=True
    ).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and re.fullmatch(r"icudt\d+_dat", parts[3]):
            address, size, name = int(parts[0], 16), int(parts[1], 16), parts[3]
            break
    else:
        raise ValueError(f"{lib}: no icudtNN_dat symbol")
    sections = subprocess.run(
        ["readelf", "-S", "-W", str(lib)], capture_output=True, text=True, check=True
    ).stdout
    for line in sections.splitlines():
        m = re.search(r"\]\s+\S+\s+PROGBITS\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if m:
            addr, off, sz = (int(g, 16) for g in m.groups())
            if addr <= address < addr + sz:
                return name, address - addr + off, size
    raise ValueError(f"{lib}: {name} is in no section")


def trim(lib: Path, check: bool = False) -> tuple[int, int]:
    name, offset, size = symbol(lib)
    blob = lib.read_bytes()[offset : offset + size]
    header, items = read_package(blob)
    prefix = items[0][0].split("/")[0] + "/"  # icudt73l/
    kept = [(n, d) for n, d in items if keep(n.removeprefix(prefix))]
    new = write_package(header, kept)
    # The trimmed package must read back as the same items.
    if read_package(new)[1] != [(n, d + b"\0" * (-len(d) % 16)) for n, d in kept]:
        raise AssertionError("trimmed ICU package does not read back")
    if check:
        return len(blob), len(new)
    soname = subprocess.run(
        ["readelf", "-d", str(lib)], capture_output=True, text=True, check=True
    ).stdout
    m = re.search(r"Library soname: \[([^\]]+)\]", soname)
    with tempfile.TemporaryDirectory() as tmp:
        dat = Path(tmp) / "data.bin"
        dat.write_bytes(new)
        asm = Path(tmp) / "icudata.S"
        asm.write_text(
            f"\t.section .rodata\n\t.globl {name}\n\t.type {name}, @object\n\t.balign 16\n{name}:\n"
            f'\t.incbin "{dat}"\n\t.size {name}, . - {name}\n\t.section .note.GNU-stack,"",@progbits\n'
        )
        out = Path(tmp) / lib.name
        cmd = ["cc", "-shared", "-nostdlib", "-s", "-o", str(out), str(asm)]
        if m:
            cmd.insert(2, f"-Wl,-soname,{m.group(1)}")
        subprocess.run(cmd, check=True)
        lib.write_bytes(out.read_bytes())
    return len(blob), len(new)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bundle", type=Path)
    ap.add_argument("--check", action="store_true", help="only print the sizes")
    args = ap.parse_args(argv)
    libs = [p for p in args.bundle.rglob("libicudata.so.*") if p.is_file() and not p.is_symlink()]
    if not libs:
        print("no ICU data library in the bundle: nothing to trim")
        return 0
    for lib in libs:
        before, after = trim(lib, args.check)
        print(f"ICU data {lib.name}: {before / 1e6:.1f} -> {after / 1e6:.1f} MB (package)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
