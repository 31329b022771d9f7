"""The real counter (or review) window, run in the X session with a line-based remote.

Run by the tests as ``python -m tests.xreal.driver counter|counter-lock|review FOLDER``
(``counter-lock``: signed in as demo-clerk, with the idle lock). It
builds the window exactly as ``counter-app demo`` / ``counter-app review``
do (the same ``DemoCounter`` and ``ReviewWindow``), on the xcb platform, and
shows it maximised as on a 1366×768 counter PC. Keys come only from the X
server (xdotool); this remote only *reads* state and moves focus, the way a
clerk's mouse click would, one JSON line per command on stdin:

    state             -> {"current": …, "banner": …, "focus": …, "modal": …, "queue": […]}
    focus ATTR        -> give keyboard focus to ``window.ATTR`` (e.g. ``accept_button``)
    widgets           -> the window's and each visible button's and label's place on the screen
    shot PATH         -> grab the window into PATH (PNG)
    quit
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QSocketNotifier, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget


def _describe(w: QWidget | None) -> dict[str, Any]:
    if w is None:
        return {}
    out: dict[str, Any] = {"class": type(w).__name__, "name": w.objectName()}
    if isinstance(w, QAbstractButton):
        out["text"] = w.text()
    if isinstance(w, QLineEdit):
        out["text"] = w.text()
    win = w.window()
    out["window"] = win.windowTitle() if win is not None else ""
    return out


def _layout(window: QWidget) -> dict[str, Any]:
    """Where the window and each visible button and heading are on the screen, and whether
    any is cut: outside the screen's usable area, or narrower than its text needs."""
    screen = window.screen().availableGeometry()
    frame = window.frameGeometry()
    out: list[dict[str, Any]] = []
    for w in window.findChildren(QWidget):
        if not w.isVisible() or not isinstance(w, QAbstractButton | QLabel) or not w.isVisibleTo(window):
            continue
        text = w.text()
        if not text.strip() or (isinstance(w, QLabel) and w.wordWrap()):
            continue
        top_left = w.mapToGlobal(w.rect().topLeft())
        rect = QRect(top_left, w.size())
        clip = w.visibleRegion().boundingRect()
        out.append({"text": text, "class": type(w).__name__,
                    "rect": [rect.x(), rect.y(), rect.width(), rect.height()],
                    "on_screen": screen.contains(rect),
                    "whole": clip.size() == w.size(),
                    "need": w.minimumSizeHint().width(),
                    "wide_enough": w.width() >= w.minimumSizeHint().width()})
    return {"screen": [screen.x(), screen.y(), screen.width(), screen.height()],
            "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
            "maximized": window.isMaximized(), "items": out}


class Remote:
    def __init__(self, app: QApplication, window: QWidget, state: Any) -> None:
        self.app, self.window, self.state_of = app, window, state
        self.notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
        self.notifier.activated.connect(self._line)

    def _reply(self, obj: object) -> None:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
        sys.stdout.flush()

    def _line(self) -> None:
        line = sys.stdin.readline()
        if not line:
            self.app.quit()
            return
        cmd, _, arg = line.strip().partition(" ")
        try:
            if cmd == "state":
                modal = QApplication.activeModalWidget()
                popup = QApplication.activePopupWidget()
                self._reply({"focus": _describe(QApplication.focusWidget()), "modal": _describe(modal),
                             "popup": _describe(popup), "active": _describe(QApplication.activeWindow()),
                             **self.state_of()})
            elif cmd == "focus":
                target: Any = self.window
                for part in arg.split("."):
                    target = getattr(target, part)
                target.setFocus()
                self._reply({"ok": True, "focus": _describe(QApplication.focusWidget())})
            elif cmd == "widgets":
                self._reply({"widgets": _layout(self.window)})
            elif cmd == "shot":
                modal = QApplication.activeModalWidget()
                (modal or self.window).grab().save(arg)
                self._reply({"ok": True})
            elif cmd == "quit":
                self._reply({"ok": True})
                QTimer.singleShot(0, self.app.quit)
            else:
                self._reply({"error": f"unknown command {cmd}"})
        except Exception as exc:  # the test side shows it
            self._reply({"error": f"{type(exc).__name__}: {exc}"})


def counter(folder: Path, language: str, lock: bool = False) -> int:
    from app.demo import DemoCounter
    from ui.widgets.qtapp import make_app

    app = make_app(language, app_stylesheet=False)
    demo = DemoCounter(folder, sound=False, restore=True)
    w = demo.parts.window
    s = demo.parts.session
    idle_lock: Any = None
    if lock:  # signed in as demo-clerk, with the idle lock (Ctrl+Shift+L locks now)
        from app.demo import demo_gate
        from counter_app.auth import DEMO_PASSWORD
        from ui.signin.lock import IdleLock

        gate = demo_gate(folder)
        idle_lock = IdleLock(w, gate, gate.sign_in("demo-clerk", DEMO_PASSWORD, "accept"), 3600)

    def state() -> dict[str, Any]:
        view = s.view
        return {
            "current": view.applicant.name if view is not None and s.current is not None else None,
            "form": view.form_code if view is not None and hasattr(view, "form_code") else None,
            "banner": {"visible": w.banner.isVisible(), "kind": w.banner.kind,
                       "text": w.banner.text.text()} if w.banner.isVisible() else None,
            "busy": w.busy.text(),
            "pending": bool(s.runner.pending),
            "queue": [q.status for q in s.queue],
            "lines": [[q.status, q.summary] for q in s.queue],
            "revealed": bool(w.revealed),
            "pages": len(s.draft.pages),
            "seal": bool(s.draft.seal),
            "missing": s.missing_documents(),
            "too_new": s.too_new(),
            "warnings": len(view.warnings) if view is not None else 0,
            "locked": bool(idle_lock is not None and idle_lock.locked),
            "covers": sorted(s.seen.covers),
        }

    w.showMaximized()
    remote = Remote(app, w, state)
    print(json.dumps({"ready": True, "db": str(folder / "cases.db")}), flush=True)
    code = int(app.exec())
    del remote
    if idle_lock is not None:
        idle_lock.shutdown()
        gate.close()
    demo.close()
    return code


def review(folder: Path, language: str) -> int:
    """A day of five cases (two clerks; corrected, returned, completed) in the review window."""
    from app.compose import make_opener
    from app.review_demo import fill_day
    from counter_app.demo import build_demo
    from decoding.forms.catalogue import default_catalogue
    from ui.review.window import ReviewWindow
    from ui.widgets.qtapp import make_app

    app = make_app(language, app_stylesheet=False)
    if language == "en":
        from ui.widgets.i18n import install_translator

        install_translator("en")
    catalogue = default_catalogue()
    day = fill_day(folder, build_demo(folder / "kit", catalogue), catalogue)
    w = ReviewWindow(make_opener(day.settings, catalogue=catalogue), None, "test")

    def state() -> dict[str, Any]:
        idx = w.table.currentIndex()
        bundle = w.bundle
        return {
            "row": idx.row() if idx.isValid() else None,
            "rows": w.model.rowCount(),
            "case_id": w.case_id,
            "shown": bundle.detail.row.case_number if bundle is not None else None,
            "status": bundle.detail.row.status if bundle is not None else None,
            "tab": w.detail.tabs.currentIndex(),
            "revealed": sorted(w.detail.revealed),
            "pending": bool(w.runner.pending),
        }

    w.showMaximized()
    remote = Remote(app, w, state)
    db = day.settings.database_url.removeprefix("sqlite:///")
    print(json.dumps({"ready": True, "db": db}), flush=True)
    code = int(app.exec())
    del remote
    w.shutdown()
    return code


if __name__ == "__main__":
    kind, folder = sys.argv[1], Path(sys.argv[2])
    lang = sys.argv[3] if len(sys.argv) > 3 else "ko"
    if kind.startswith("counter"):
        sys.exit(counter(folder, lang, lock=kind == "counter-lock"))
    sys.exit(review(folder, lang))
