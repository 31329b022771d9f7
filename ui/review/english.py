"""English for the review window's own strings (and the shared page viewer's).

The window's texts go through :func:`ui.widgets.i18n.tr` like every other window's.
This table is compiled with the counter's into ``counter_en.ts``/``.qm``
(``python -m ui.widgets.i18n``), so the program has one translator:
:func:`install_english` is :func:`ui.widgets.i18n.install_translator` ("en").
"""

from __future__ import annotations

from ui.review.access_english import ENGLISH_ACCESS
from ui.review.english_day import DAY_ENGLISH
from ui.widgets.i18n import install_translator

ENGLISH: dict[str, str] = {
    "한국어": "English",  # ui.widgets.i18n.pick() chooses the data's English texts from this
    "(도장 없음)": "(no seal)",
    "Alt+← / Alt+→ 로 다른 날을 볼 수 있습니다.": "Alt+← / Alt+→ show another day.",
    "Alt+1 … Alt+5: 탭 바꾸기": "Alt+1 … Alt+5: switch tabs",
    "QR 접수": "QR intake",
    "— 자주 쓰는 사유 —": "— common reasons —",
    "가리기": "Hide",
    "감사 기록 검증": "Verify audit trail",
    "감사 기록 이상 없음": "Audit trail intact",
    "감사 기록": "Audit",
    "감사 기록을 검증하는 중…": "Verifying the audit trail…",
    "감사 기록의 해시 연결이 온전한지 처음부터 확인합니다": "Checks the audit hash chain from its first event",
    "감사 기록이 훼손되었습니다": "The audit trail is broken",
    "내보내기…": "Export…",
    "내용": "Detail",
    "다음날 (Alt+→)": "Next day (Alt+→)",
    "다음날": "Next day",
    "닫기": "Close",
    "담당자 (창구)": "Clerk",  # the column shows "clerk (counter)"; a short header leaves room
    "담당자": "Clerk",
    "대리": "Proxy",
    "대리인": "Delegate",
    "데이터베이스를 여는 중…": "Opening the database…",
    "데이터베이스를 열 수 없습니다": "The database cannot be opened",
    "목록에서 민원을 고르면 내용이 여기에 보입니다.": "Choose a case in the list to see it here.",
    "민원 검토": "Case review",
    "민원 반려": "Return a case",
    "민원인": "Applicant",
    "반려 사유": "Reason for return",
    "반려 사유를 적어 주세요. 민원인에게 안내되는 내용입니다.":
        "Write why the case is returned. The applicant is told this reason.",
    "반려": "Return",
    "반려…": "Return…",
    "번호": "No.",
    "불러오는 중…": "Loading…",
    "사유": "Reason",
    "사유를 적어 민원을 반려합니다 (Ctrl+R)": "Return the case with a reason (Ctrl+R)",
    "상태 이력": "History",
    "상태": "Status",
    "서명 또는 인": "Signature or seal",
    "서식": "Form",
    "설정 파일(counter.toml)의 database 항목이나 --db 주소를 확인한 뒤 다시 실행해 주세요.":
        "Check 'database' in counter.toml or the --db address, then start again.",
    "수정 내역": "Corrections",
    "수정 전": "Before",
    "수정 후": "After",
    "신청 내용": "Petition",
    "신청인": "Applicant",
    "아니요": "No",
    "예": "Yes",
    "오늘": "Today",
    "완료 처리": "Mark completed",
    "완료": "Completed",
    "이 날 접수된 민원이 없습니다.": "No cases were received on this day.",
    "이 날의 접수 목록을 엑셀(xlsx) 또는 CSV로 저장합니다 (주민등록번호는 가림)":
        "Save this day's cases as Excel (xlsx) or CSV (RRNs masked)",
    "이름·접수번호·서식·담당자로 찾기 (Ctrl+F)": "Find by name, case number, form or clerk (Ctrl+F)",
    "일시": "When",
    "작업": "Action",
    "저장된 주민등록번호가 없습니다.": "No resident registration number is stored.",
    "전날 (Alt+←)": "Previous day (Alt+←)",
    "전날": "Previous day",
    "전체 번호를 봅니다. 열람은 감사 기록에 남습니다.": "Show the full number. The reveal is audited.",
    "접수 시각": "Time",
    "접수번호": "Case number",
    "종이 신청서": "Paper petition",
    "주민등록번호 보기": "Show RRN",
    "주민등록번호 열람": "Reveal RRN",
    "주민등록번호": "RRN",
    "창구": "Counter",
    "찾는 말을 지우면 이 날의 민원이 모두 보입니다 (Esc).": "Clear the search to see all of the day's cases (Esc).",
    "찾는 조건에 맞는 민원이 없습니다.": "No case matches the search.",
    "처리를 마친 민원으로 표시합니다 (Ctrl+D)": "Mark the case as completed (Ctrl+D)",
    "첨부 서류 보기": "Attachment viewer",
    "첨부 서류": "Attachments",
    "첨부·도장": "Files",
    "첨부된 서류가 없습니다.": "No pages attached.",
    "취소": "Cancel",
    "파일 없음": "file missing",
    "하루치 내보내기": "Export the day",
    "항목": "Field",
    "{count}건을 내보냈습니다: {path}": "{count} cases exported: {path}",
    "{n}쪽": "p. {n}",
    "감사 기록 {n}건의 연결이 온전합니다.": "{n} audit events, every link holds.",
    "{number} {who}의 주민등록번호 전체를 봅니다.\n열람한 사람과 시각이 감사 기록에 남습니다.":
        "Show the full resident registration number of {who} in {number}?\n"
        "Who revealed it, and when, is written to the audit trail.",
    "{number}: {what} 처리했습니다.": "{number}: {what} done.",
    "{number}을(를) 완료로 표시합니다.": "Mark {number} as completed?",
    "총 {total}건 · 접수 {received} · 반려 {returned} · 완료 {completed}":
        "{total} cases · {received} received · {returned} returned · {completed} completed",
    "구비서류 미비": "Supporting documents missing",
    "본인 또는 대리인 확인 불가": "Identity of applicant or delegate not confirmed",
    "위임장 내용 불충분": "Power of attorney insufficient",
    "신청 내용 불명확": "Petition unclear",
    "수수료 미납": "Fee not paid",
    # the shared page viewer (ui.counter.attachments.PageViewer)
    "◀ 이전": "◀ Previous",
    "다음 ▶": "Next ▶",
    "축소 −": "Zoom out −",
    "확대 +": "Zoom in +",
    "회전 ⟳": "Rotate ⟳",
}  # fmt: skip

ENGLISH.update(DAY_ENGLISH)  # the charts, the list's filters, the daily report
# Issue 13's access-log review and account additions (kept in their own module).
for _ko, _en in ENGLISH_ACCESS.items():
    ENGLISH.setdefault(_ko, _en)  # the window's own words win


def install_english() -> bool:
    """The program's English (the one translator, review strings included)."""
    return install_translator("en")


def remove_english() -> None:
    install_translator("ko")
