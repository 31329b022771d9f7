"""The scanner set-up's result on this PC: ``DATA/scanner-profile.json``.

Written by ``counter-app devices calibrate`` and by the window's set-up dialog
(the clerk scans the test code, ``decoding.calibration.learn`` says what the
scanner does); read back to give the keyboard-wedge detector the learned
prefix and suffix, and reported by ``counter-app doctor``.
"""

from __future__ import annotations

import json
from pathlib import Path

from counter_app.config import Settings
from counter_app.doctor import OK, WARN, Check
from decoding.calibration import CalibrationError, ScannerProfile
from drivers.keyboard import WedgeDetector
from records.atomic import atomic_write

FILE_NAME = "scanner-profile.json"


def profile_path(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def save_profile(data_dir: Path, profile: ScannerProfile) -> Path:
    path = profile_path(data_dir)
    atomic_write(path, json.dumps(profile.to_json(), ensure_ascii=False, indent=2) + "\n",
                 make_parents=True)
    return path


def load_profile(data_dir: Path) -> ScannerProfile | None:
    """The saved profile, None when not calibrated; :class:`CalibrationError` when damaged."""
    path = profile_path(data_dir)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise CalibrationError("CAL_PROFILE", "스캐너 설정 파일을 읽을 수 없습니다",
                               f"cannot read the scanner profile: {exc}") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CalibrationError("CAL_PROFILE", "스캐너 설정 파일이 손상되었습니다. 다시 설정하세요",
                               "the scanner profile is damaged: calibrate again") from exc
    return ScannerProfile.from_json(data)


def wedge_detector(data_dir: Path) -> WedgeDetector:
    """The keyboard-wedge detector with the learned prefix/suffix (a damaged or missing
    profile: the common settings, recognised without one)."""
    try:
        profile = load_profile(data_dir)
    except CalibrationError:
        profile = None
    return detector_for(profile)


def detector_for(profile: ScannerProfile | None) -> WedgeDetector:
    """The keyboard-wedge detector with ``profile``'s prefix and suffix (None: the common
    settings, recognised without one)."""
    if profile is None:
        return WedgeDetector()
    return WedgeDetector(prefix=profile.prefix, suffix=profile.suffix)


def check_scanner_profile(settings: Settings) -> Check:
    """doctor's line for the scanner set-up."""
    title = "스캐너 설정 / scanner set-up"
    action = "counter-app devices calibrate 로 시험 코드를 스캔하세요 / scan the test code"
    try:
        profile = load_profile(settings.data_dir)
    except CalibrationError as exc:
        return Check("scanner", title, WARN, f"{exc.message_ko} / {exc.message_en}", action)
    if profile is None:
        return Check("scanner", title, OK,
                     "설정 안 함: 흔한 설정은 자동 인식 / not calibrated: common settings recognised")
    ko, en = profile.summary()
    problems = profile.problems()
    if problems:
        return Check("scanner", title, WARN,
                     "; ".join(f"{k} / {e}" for k, e in problems) + f" ({en})", action)
    return Check("scanner", title, OK, f"{ko} / {en}")
