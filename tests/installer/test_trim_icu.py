"""installer/trim_icu.py: the bundle's ICU data trimmed to root, Korean and English.

Run on the real ``libicudata`` PySide6 ships: the trimmed library is loaded in
place of the original (LD_PRELOAD) under real Qt, which must still collate
Korean as Korean (Hanja by their Hangul reading, a Korean tailoring: the root
collation puts them after Hangul, by radical), map case, name the Seoul time zone in Korean
and decode EUC-KR/CP949, while the dropped Chinese/Japanese converters are gone.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("trim_icu", REPO / "installer" / "trim_icu.py")
assert spec and spec.loader
trim_icu = importlib.util.module_from_spec(spec)
spec.loader.exec_module(trim_icu)

PROBE = r"""
from PySide6.QtCore import QCollator, QCoreApplication, QLocale, QStringDecoder, QTimeZone
app = QCoreApplication([])
ko = QCollator(QLocale("ko_KR"))
print(" ".join(sorted(["李", "金", "朴", "나", "가"], key=ko.sortKey)))
print(QLocale("en_US").toUpper("straße"))
print(QTimeZone(b"Asia/Seoul").displayName(QTimeZone.StandardTime, QTimeZone.LongName, QLocale("ko_KR")))
print(" ".join(f"{n}={QStringDecoder(n).isValid()}" for n in ("EUC-KR", "CP949", "ISO-2022-KR", "GB18030")))
"""


def test_keep_rules() -> None:
    keep = trim_icu.keep
    assert (
        keep("coll/ko.res")
        and keep("coll/root.res")
        and keep("coll/ucadata.icu")
        and keep("coll/en_GB.res")
    )
    assert not keep("coll/zh.res") and not keep("coll/ja.res") and not keep("coll/kok.res")
    assert (
        keep("res_index.res")
        and keep("pool.res")
        and keep("supplementalData.res")
        and keep("likelySubtags.res")
    )
    assert keep("zone/ko.res") and not keep("zone/fr.res") and keep("zone/res_index.res")
    assert keep("nfkc.nrm") and keep("unames.icu") and keep("brkitr/line.brk")
    assert not keep("brkitr/cjdict.dict") and not keep("translit/root.res")
    assert (
        keep("ibm-970_P110_P110-2006_U2.cnv")
        and keep("windows-949-2000.cnv")
        and keep("cnvalias.icu")
    )
    assert not keep("gb18030.cnv") and not keep("ibm-943_P15A-2003.cnv")


def test_package_round_trip() -> None:
    header = bytes([0x20, 0, 0xDA, 0x27]) + b"\0" * 8 + b"CmnD" + b"\1\0\0\0" + b"\0" * 12
    items = [("icudt73l/a.res", b"abc"), ("icudt73l/coll/ko.res", b"x" * 33)]
    head, back = trim_icu.read_package(trim_icu.write_package(header, items))
    assert head == header
    assert [(n, d.rstrip(b"\0")) for n, d in back] == items
    with pytest.raises(ValueError):
        trim_icu.read_package(b"\0" * 64)


@pytest.mark.skipif(not sys.platform.startswith("linux") or not shutil.which("cc") or not shutil.which("readelf"),
                    reason="Linux ICU library, needs cc and readelf")
def test_trimmed_real_icu_still_serves_korean(tmp_path: Path) -> None:
    import PySide6

    original = next((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    bundle = tmp_path / "bundle"
    lib = bundle / "_internal" / original.name
    lib.parent.mkdir(parents=True)
    shutil.copyfile(original, lib)
    assert trim_icu.main([str(bundle)]) == 0
    assert lib.stat().st_size < original.stat().st_size / 3

    def probe(preload: Path | None) -> list[str]:
        env = {"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"}
        if preload:
            env["LD_PRELOAD"] = str(preload)
        out = subprocess.run(
            [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
        )
        return out.stdout.splitlines()

    before, after = probe(None), probe(lib)
    assert after[0] == "가 金 나 李 朴" == before[0]  # 金 김, 李 리, 朴 박: the Korean tailoring
    assert after[1] == "STRASSE"
    assert after[2] == before[2] == "대한민국 표준시"
    assert after[3] == "EUC-KR=True CP949=True ISO-2022-KR=True GB18030=False"
