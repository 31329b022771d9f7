"""The bundle's own integrity: a list of its files with their SHA-256, checked by ``doctor``.

``installer/build.sh`` runs ``python -m app.integrity write dist/counter-app``
after PyInstaller: it writes ``bundle-files.json`` at the top of the bundle.
``counter-app doctor`` then finds files that are missing or changed (a broken
copy, an antivirus quarantine, a hand-edited file). In a development checkout
(no bundle) there is nothing to check.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from counter_app.signing import file_hash

LIST_NAME = "bundle-files.json"


def write(bundle: Path) -> Path:
    files = {
        p.relative_to(bundle).as_posix(): file_hash(p)
        for p in sorted(bundle.rglob("*"))
        if p.is_file() and not p.is_symlink() and p.name != LIST_NAME
    }
    target = bundle / LIST_NAME
    target.write_text(json.dumps({"files": files}, indent=0, sort_keys=True), encoding="utf-8")
    return target


def bundle_dir() -> Path | None:
    """The folder of the running bundle, or None when running from source."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return None


@dataclass
class IntegrityReport:
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.changed


def check(bundle: Path) -> IntegrityReport:
    """Compare the bundle's files with its list (raises OSError/ValueError on no or a bad list)."""
    listed = json.loads((bundle / LIST_NAME).read_text(encoding="utf-8"))["files"]
    report = IntegrityReport()
    for name, digest in listed.items():
        path = bundle / name
        report.checked += 1
        if not path.is_file():
            report.missing.append(name)
        elif file_hash(path) != digest:
            report.changed.append(name)
    return report


if __name__ == "__main__":  # python -m app.integrity write DIST
    if len(sys.argv) != 3 or sys.argv[1] != "write":
        print("usage: python -m app.integrity write BUNDLE_DIR", file=sys.stderr)
        sys.exit(2)
    print(write(Path(sys.argv[2])))
