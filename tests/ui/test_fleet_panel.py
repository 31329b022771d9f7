"""The review window's fleet panel (창구 현황): heartbeats the counters wrote, problems first."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.compose import make_opener
from app.review_demo import fill_day
from counter_app.demo import DemoKit
from counter_app.intake import open_store
from decoding.forms.catalogue import Catalogue
from records.fleet import Beat, Heartbeat, server_now, write_heartbeat
from tests.ui.helpers import WAIT, open_window, table_rows
from ui.review.fleet import FleetPanel


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform says so for dialogs
def test_the_panel_lists_stale_outdated_and_failing_counters_first(
    qtbot: QtBot, tmp_path: Path, kit: DemoKit, catalogue: Catalogue
) -> None:
    day = fill_day(tmp_path, kit, catalogue)
    store = open_store(day.settings)
    try:
        for name, version, failed in (("민원1", "0.2.0", 0), ("민원2", "0.1.0", 0), ("민원3", "0.2.0", 1)):
            beat = Beat(office="3210000", counter=name, host=f"PC-{name}", version=version,
                        config_hash="ab12", checks_failed=failed,
                        problems=[{"id": "devices", "status": "fail",
                                   "detail": "serial:COM3: 연결되어 있지 않습니다"}] if failed else [])
            store.write(lambda s, b=beat: write_heartbeat(s, b))
        beat = Beat(office="3210000", counter="민원4", host="PC-민원4", version="0.2.0", config_hash="ab12")
        store.write(lambda s: write_heartbeat(s, beat))
        store.write(lambda s: s.execute(update(Heartbeat).where(Heartbeat.counter == "민원4")
                    .values(seen_at=server_now(s) - dt.timedelta(hours=2))))
    finally:
        store.close()
    w = open_window(qtbot, make_opener(day.settings, catalogue=catalogue))
    try:
        qtbot.wait_until(lambda: w.data is not None, timeout=WAIT)
        w.findChild(type(w.export_btn), "review-fleet").click()
        panel = w.findChild(FleetPanel)
        assert panel is not None
        qtbot.wait_until(lambda: panel.fleet is not None, timeout=WAIT)
        rows = table_rows(panel.table)
        by_counter = {r[2]: r for r in rows}
        assert [r[2] for r in rows][-1] == "민원1" and by_counter["민원1"][0] == "✓"
        assert by_counter["민원2"][0] == "!" and "구버전" in by_counter["민원2"][7]
        assert by_counter["민원3"][0] == "✗" and "serial:COM3" in by_counter["민원3"][7]
        assert "응답 없음" in by_counter["민원4"][7]
        assert "창구 4대 · 문제 3대" in panel.summary.text()
        shot = Path(os.environ.get("FLEET_SHOT_DIR", tmp_path)) / "review-fleet.png"
        assert panel.grab().save(str(shot)) and shot.stat().st_size > 0
        panel.close()
    finally:
        w.shutdown()
