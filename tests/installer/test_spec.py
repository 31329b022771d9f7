"""The PyInstaller spec, run in the test environment without PyInstaller (its few names
stand in): it must run to the end, collect every module of the program's packages, name
only modules that exist, and ship the data files the program reads. A full bundle build
takes half an hour (installer/build.sh); this catches in a second what broke the last one
(the spec read ``app.cli.COMMAND_MODULES`` after it was removed)."""

from __future__ import annotations

import importlib.util
import pkgutil
import sys
import types
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "installer" / "counter-app.spec"
PACKAGES = ("app", "counter_app", "ui", "drivers", "decoding", "records")


def _collect_submodules(package: str) -> list[str]:
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.submodule_search_locations, package
    found = [package]
    for info in pkgutil.walk_packages(list(spec.submodule_search_locations), package + "."):
        found.append(info.name)
    return found


def _collect_data_files(package: str, include_py_files: bool = False,
                        includes: list[str] | None = None) -> list[tuple[str, str]]:
    root = REPO / package
    out = []
    for pattern in includes or ["**/*"]:
        for path in root.glob(pattern):
            if path.is_file() and (include_py_files or path.suffix != ".py"):
                out.append((str(path), str(path.parent.relative_to(REPO))))
    return out


class _Built:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs = args, kwargs
        self.pure: list[Any] = []
        self.scripts: list[Any] = []
        self.binaries: list[Any] = []
        self.datas: list[Any] = list(kwargs.get("datas", []))


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = _collect_submodules  # type: ignore[attr-defined]
    hooks.collect_data_files = _collect_data_files  # type: ignore[attr-defined]
    bindepend = types.ModuleType("PyInstaller.depend.bindepend")
    bindepend.get_imports = lambda _path: []  # type: ignore[attr-defined]
    depend = types.ModuleType("PyInstaller.depend")
    depend.bindepend = bindepend  # type: ignore[attr-defined]
    for name, module in {"PyInstaller": types.ModuleType("PyInstaller"),
                         "PyInstaller.utils": types.ModuleType("PyInstaller.utils"),
                         "PyInstaller.utils.hooks": hooks, "PyInstaller.depend": depend,
                         "PyInstaller.depend.bindepend": bindepend}.items():
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the spec puts the repository first
    built: dict[str, list[_Built]] = {"Analysis": [], "EXE": [], "COLLECT": []}

    def maker(kind: str) -> Any:
        def make(*args: Any, **kwargs: Any) -> _Built:
            b = _Built(*args, **kwargs)
            built.setdefault(kind, []).append(b)
            return b
        return make

    namespace: dict[str, Any] = {"SPECPATH": str(SPEC.parent), "__file__": str(SPEC),
                                 **{k: maker(k) for k in ("Analysis", "PYZ", "EXE", "COLLECT")}}
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    return {"built": built, "ns": namespace}


def test_the_spec_runs_and_collects_every_module_of_the_program(ran: dict[str, Any]) -> None:
    (analysis,) = ran["built"]["Analysis"]
    hidden = set(analysis.kwargs["hiddenimports"])
    for package in PACKAGES:
        on_disk = {".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
                   for p in (REPO / package).rglob("*.py") if "migrations" not in p.parts}
        assert on_disk <= hidden, sorted(on_disk - hidden)
    missing = sorted(m for m in hidden if importlib.util.find_spec(m) is None)
    assert not missing, missing
    entry = Path(analysis.args[0][0])
    assert entry.is_file()
    assert [e.kwargs["name"] for e in ran["built"]["EXE"]][:1] == ["counter-app"]
    (collect,) = ran["built"]["COLLECT"]
    assert collect.kwargs["name"] == "counter-app"


def test_the_spec_ships_the_files_the_program_reads(ran: dict[str, Any]) -> None:
    (analysis,) = ran["built"]["Analysis"]
    shipped = {Path(src).relative_to(REPO).as_posix() for src, _dest in analysis.kwargs["datas"]}
    for needed in ("records/migrations/env.py", "webform/index.html",
                   "resources/translations/counter_en.qm"):
        assert needed in shipped, needed
    migrations = {p.relative_to(REPO).as_posix() for p in (REPO / "records" / "migrations").rglob("*.py")}
    assert migrations <= shipped, sorted(migrations - shipped)
    fonts = [s for s in shipped if s.startswith("resources/fonts/") and s.endswith((".otf", ".ttf"))]
    assert fonts, "the Pretendard GOV font"
