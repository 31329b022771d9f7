"""English for the texts added for real hands and a real scanner (issue 11).

Kept beside :mod:`ui.translations_en` (which merges it in) so parallel work on
the main table does not collide; ``python -m ui.i18n`` writes both into the .ts.
"""

from __future__ import annotations

EN_HANDS: dict[str, str] = {
    "서식 찾기 (이름 일부, 예: 등본)": "Find a form (part of its name, e.g. copy)",
    "서식 (&F)": "&Form",
    "입력한 내용을 버리고 닫을까요?": "Throw away what you typed and close?",
    "버리고 닫기": "Discard and close",
    "계속 입력": "Keep typing",
    "인쇄 (Ctrl+P)": "Print (Ctrl+P)",
    "PDF로 저장 (Ctrl+S)": "Save as PDF (Ctrl+S)",
}
