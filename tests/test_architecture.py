"""The floors of the program, checked on the source (import-linter checks the import statements).

* No module is imported by a string (``importlib.import_module``, ``__import__``):
  import-linter cannot see such an import, so a lower package could name a higher one.
* No code or test reads outside the repository (the project stands alone).
* No Python file is longer than a reader takes in one sitting (600 lines).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "ui", "counter_app", "drivers", "records", "decoding", "resources")
CHECKED = (*PACKAGES, "tests", "bench", "installer")
MAX_LINES = 600


def _python_files(*tops: str) -> list[Path]:
    return sorted(p for top in tops for p in (REPO / top).rglob("*.py"))


def _string_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in ("import_module", "__import__") and node.args:
            first = node.args[0]
            target = first.value if isinstance(first, ast.Constant) else None
            if not isinstance(target, str) or target.split(".")[0] in PACKAGES:
                found.append(f"{path.relative_to(REPO)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_project_module_is_imported_by_a_string() -> None:
    found = [hit for path in _python_files(*CHECKED) for hit in _string_imports(path)]
    assert found == [], "import it with an import statement, where import-linter sees it"


@pytest.mark.parametrize("suffix", [".py", ".js", ".mjs", ".sh", ".toml"])
def test_nothing_reads_outside_the_repository(suffix: str) -> None:
    outside = []
    for path in REPO.rglob(f"*{suffix}"):
        if path == Path(__file__) or any(
                part in (".git", ".venv", "node_modules", "build", "dist") for part in path.parts):
            continue
        text = path.read_text("utf-8", errors="replace")
        if "../shared" in text or '/ "shared"' in text:
            outside.append(str(path.relative_to(REPO)))
    assert outside == [], "the project stands alone: copy what it needs into the repository"


def test_no_python_file_is_over_600_lines() -> None:
    long = {str(p.relative_to(REPO)): n for p in _python_files(*CHECKED)
            if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"split these files by what they do (at most {MAX_LINES} lines)"
