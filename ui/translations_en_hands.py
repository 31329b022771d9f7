"""English for the texts added for real hands and a real scanner (issue 11).

Kept beside :mod:`ui.translations_en` (which merges it in) so parallel work on
the main table does not collide; ``python -m ui.widgets.i18n`` writes both into the .ts.
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
    "수정 사유": "Reason",
    "데이터베이스 응답을 기다리는 중 ({n}초). 입력한 내용은 보존됩니다.":
        "Waiting for the database ({n} s). Nothing you typed is lost.",
    "계속되면 전산 담당자에게 알려 주세요.": "If this goes on, tell your IT staff.",
    "경고 확인": "Warnings",
    "경고를 확인했습니까?": "Have you checked the warnings?",
    "확인했음, 접수": "Checked: accept",
    "민원인 요청": "The applicant asked",
    "신분증과 다름": "Differs from the ID card",
    "오타 정정": "Typing error",
    "서류와 다름": "Differs from the documents",
    "직전 민원": "Previous petition",
    "다음 민원이 방금 열렸습니다. 내용을 확인한 뒤 접수하세요 (Ctrl+Enter).":
        "The next petition has just opened. Check it, then accept (Ctrl+Enter).",
    "접수할 수 없습니다": "Cannot accept",
    "필수 서류 없음": "Required documents missing",
    "필수 서류가 없습니다": "Required documents are missing",
    "서류 없이 접수하려면 사유를 적으세요 (사건에 기록됩니다).":
        "To accept without them, write why (it is recorded with the case).",
    "필수 서류가 없어 접수하지 않았습니다": "Not accepted: required documents missing",
    "열린 민원이 없습니다. 민원을 연 뒤 도장을 찍으세요 (F9).":
        "No petition is open. Open the petition, then take the seal (F9).",
    "열린 민원이 없습니다. 민원을 연 뒤 서류를 찍으세요 (F7).":
        "No petition is open. Open the petition, then take the page (F7).",
}
