"""English for the access-log review and the review window's account additions (issue 13).

Kept apart from :mod:`ui.review.english` so the two halves of the issue merge
cleanly; that module adds these to its table.
"""

from __future__ import annotations

ENGLISH_ACCESS: dict[str, str] = {
    "PDF (Ctrl+P)": "PDF (Ctrl+P)",
    "{day}의 접수 목록을 {path}(으)로 내보냅니다.": "The cases of {day} are exported to {path}.",
    "{first} ~ {last}: 기록 {n}건 · 표시 {f}건": "{first} – {last}: {n} events · {f} flagged",
    "{first}~{last} 검토 완료를 기록했습니다.": "Recorded: {first}–{last} reviewed.",
    "검토 결과": "Findings",
    "검토 결과를 적어 주세요 (이상 없음이면 '이상 없음'이라고).":
        "Write what you found (\"nothing unusual\" if so).",
    "계정": "Account",
    "규칙에 걸린 접근": "Flagged access",
    "규칙에 걸린 접근이 없습니다.": "Nothing flagged.",
    "기간": "Period",
    "기간의 끝이 시작보다 앞섭니다.": "The period ends before it starts.",
    "내보내기": "Export",
    "누가 누구의 정보를 보고·열람하고·내보냈는지 검토합니다 (Ctrl+L)":
        "Review who viewed, revealed and exported whose data (Ctrl+L)",
    "모든 행위": "All actions",
    "엑셀 (Ctrl+E)": "Excel (Ctrl+E)",
    "이 기간 검토 완료 기록 (Ctrl+Enter)": "Record this period as reviewed (Ctrl+Enter)",
    "이 기간에 확인한 내용과 조치를 적어 주세요 (예: 대량 열람은 공문에 따른 것으로 확인)":
        "What you checked and did (e.g. the bulk reveals were asked for by an official letter)",
    "이 기간은 아직 검토 기록이 없습니다.": "This period has not been reviewed yet.",
    "저장했습니다: {path}": "Saved: {path}",
    "접근 기록": "Access log",
    "접근 기록 검토": "Access-log review",
    "접근 기록 저장": "Save the access log",
    "접근 기록을 {path}(으)로 저장합니다.": "The access log is saved to {path}.",
    "정보주체 이름·접수번호": "Person's name or case number",
    "조회 (F5)": "Show (F5)",
    # records.access.ACTION_KO and HEADER, shown through tr()
    "접수": "Intake", "조회": "Viewed", "수정": "Correction",
    "상태 변경": "Status change", "인쇄": "Print", "파기": "Purge", "로그인": "Sign-in",
    "계정 변경": "Account change", "번호": "Seq", "시각": "Time", "단말": "Terminal",
    "행위": "Action", "접수번호": "Case", "정보주체": "Person", "사유": "Reason", "표시": "Flags",
}
