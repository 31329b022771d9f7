"""The size of a one-folder bundle, by component, against the budget kept in the repo.

    python installer/size_report.py dist/counter-app [--budget installer/size-budget.toml]

Prints one line per component (MB = 10^6 bytes) and the total; exits 1 when
the total or a component is over its limit for this platform, 0 otherwise.
Run by ``installer/build.sh`` after every build.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

# First match wins: (component, path prefixes inside _internal/, compared lower-case).
COMPONENTS: list[tuple[str, tuple[str, ...]]] = [
    ("OpenCV", ("cv2/", "opencv_python_headless.libs/", "opencv_videoio")),
    ("Qt (PySide6)", ("pyside6/", "shiboken6/")),
    ("NumPy", ("numpy/", "numpy.libs/", "numpy-")),
    ("Pillow", ("pil/", "pillow.libs/", "pillow-")),
    ("cryptography", ("cryptography/", "cryptography-", "_cffi_backend")),
    ("PostgreSQL driver", ("psycopg", "libpq")),
    ("PDF reader (pdfium)", ("pypdfium2",)),
    ("QR readers (zxing, zbar)", ("zxingcpp", "libzbar", "pyzbar")),
    ("SQLAlchemy, Alembic", ("sqlalchemy/", "alembic/", "mako/", "sqlalchemy-", "alembic-")),
    ("program resources (forms, font, sounds)", ("resources/",)),
    ("Python runtime", ("libpython", "python3", "base_library.zip", "lib-dynload/", "../")),
]


def component(rel: str) -> str:
    low = rel.lower()
    for name, prefixes in COMPONENTS:
        if any(low.startswith(p) for p in prefixes):
            return name
    if ("/" not in low and ".so" in low) or low.endswith(".dll"):
        return "system libraries"
    return "other Python packages"


def measure(bundle: Path) -> dict[str, int]:
    inner = bundle / "_internal"
    sizes: dict[str, int] = defaultdict(int)
    for p in bundle.rglob("*"):
        if p.is_file() and not p.is_symlink():
            rel = p.relative_to(inner).as_posix() if p.is_relative_to(inner) else "../" + p.name
            sizes[component(rel)] += p.stat().st_size
    return dict(sizes)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bundle", type=Path)
    ap.add_argument("--budget", type=Path, default=Path(__file__).with_name("size-budget.toml"))
    ap.add_argument("--platform", default="windows" if sys.platform == "win32" else "linux")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    sizes = measure(args.bundle)
    total = sum(sizes.values())
    limits = tomllib.loads(args.budget.read_text(encoding="utf-8")).get(args.platform, {})
    over = []
    rows = sorted(sizes.items(), key=lambda kv: -kv[1])
    if args.json:
        print(
            json.dumps(
                {
                    "total_mb": round(total / 1e6, 1),
                    "components": {k: round(v / 1e6, 1) for k, v in rows},
                }
            )
        )
    else:
        for name, size in rows:
            limit = limits.get(name)
            note = f"  (limit {limit} MB)" if limit else ""
            print(f"  {size / 1e6:7.1f} MB  {name}{note}")
        print(
            f"  {total / 1e6:7.1f} MB  total (budget {limits.get('total', '-')} MB, {args.platform})"
        )
    for name, size in [*rows, ("total", total)]:
        limit = limits.get(name)
        if limit is not None and size / 1e6 > float(limit):
            over.append(f"{name} {size / 1e6:.1f} MB > {limit} MB")
    if over:
        print(
            "over the size budget (installer/size-budget.toml): " + "; ".join(over), file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
