"""Strip debug symbols from a Linux bundle, leaving alone what ``strip`` would break.

    python installer/strip_bundle.py dist/counter-app

PyInstaller's own ``strip=True`` strips every library, which corrupts the
ones auditwheel patched with patchelf (numpy's OpenBLAS: "ELF load command
address/offset not page-aligned"). So this strips only ELF files outside the
wheels' ``*.libs`` folders whose RPATH does not point into one; the big win is
the system's libpython (22 MB with symbols, 6 MB without). Prints the MB saved.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path


def _is_elf(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"\x7fELF"


def _patched(path: Path) -> bool:
    out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True).stdout
    return bool(re.search(r"R(UN)?PATH.*\.libs", out))


def strip_bundle(bundle: Path) -> int:
    saved = 0
    for path in sorted(bundle.rglob("*")):
        if not path.is_file() or path.is_symlink() or not _is_elf(path):
            continue
        if any(part.endswith(".libs") for part in path.relative_to(bundle).parts):
            continue
        if path.name == bundle.name or _patched(path):  # the executable carries the archive
            continue
        before = path.stat().st_size
        done = subprocess.run(["strip", "--strip-unneeded", str(path)], capture_output=True)
        if done.returncode == 0:
            saved += before - path.stat().st_size
    return saved


if __name__ == "__main__":
    if shutil.which("strip") is None or shutil.which("readelf") is None:
        print("strip/readelf not found (Debian: binutils): bundle left unstripped")
        sys.exit(0)
    print(f"stripped {strip_bundle(Path(sys.argv[1])) / 1e6:.1f} MB of debug symbols")
