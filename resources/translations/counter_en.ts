<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="ko">
  <context>
    <name />
    <message>
      <source>(도장 없음)</source>
      <translation>(no seal)</translation>
    </message>
    <message>
      <source>Alt+1 … Alt+5: 탭 바꾸기</source>
      <translation>Alt+1 … Alt+5: switch tabs</translation>
    </message>
    <message>
      <source>Alt+← / Alt+→ 로 다른 날을 볼 수 있습니다.</source>
      <translation>Alt+← / Alt+→ show another day.</translation>
    </message>
    <message>
      <source>Ctrl+Enter 접수 · Ctrl+R 반려 · Ctrl+Del 보류 · F9 도장 · F7 실물화상기 · F8 누르고 있는 동안 주민등록번호 보기 · Enter/F2 항목 수정 · Ctrl+P 접수증 인쇄</source>
      <translation>Ctrl+Enter accept · Ctrl+R return · Ctrl+Del set aside · F9 seal · F7 document camera · hold F8 to show resident registration numbers · Enter/F2 correct a field · Ctrl+P print the receipt</translation>
    </message>
    <message>
      <source>Enter / F2 / 더블클릭: 이 항목 수정 (수정 내역이 기록됩니다)</source>
      <translation>Enter / F2 / double click: correct this field (the change is recorded)</translation>
    </message>
    <message>
      <source>PDF (Ctrl+P)</source>
      <translation>PDF (Ctrl+P)</translation>
    </message>
    <message>
      <source>PDF로 저장</source>
      <translation>Save as PDF</translation>
    </message>
    <message>
      <source>PDF로 저장 (Ctrl+S)</source>
      <translation>Save as PDF (Ctrl+S)</translation>
    </message>
    <message>
      <source>QR {p}%</source>
      <translation>QR {p}%</translation>
    </message>
    <message>
      <source>QR · 종이</source>
      <translation>QR · paper</translation>
    </message>
    <message>
      <source>QR 스캐너</source>
      <translation>QR scanner</translation>
    </message>
    <message>
      <source>QR 스캐너(모의)</source>
      <translation>QR scanner (simulated)</translation>
    </message>
    <message>
      <source>QR 스캐너(키보드)</source>
      <translation>QR scanner (keyboard)</translation>
    </message>
    <message>
      <source>QR 접수</source>
      <translation>QR intake</translation>
    </message>
    <message>
      <source>QR 카메라</source>
      <translation>QR camera</translation>
    </message>
    <message>
      <source>QR·종이 전체</source>
      <translation>QR and paper</translation>
    </message>
    <message>
      <source>counter-app audit verify --checkpoint-file (이 PDF) 로 이 보고서 이전의 기록이 바뀌지 않았는지 확인합니다.</source>
      <translation>counter-app audit verify --checkpoint-file (this PDF) checks that nothing recorded before this report has changed.</translation>
    </message>
    <message>
      <source>{count}건을 내보냈습니다: {path}</source>
      <translation>{count} cases exported: {path}</translation>
    </message>
    <message>
      <source>{day}의 접수 목록을 {path}(으)로 내보냅니다.</source>
      <translation>The cases of {day} are exported to {path}.</translation>
    </message>
    <message>
      <source>{first} ~ {last}: 기록 {n}건 · 표시 {f}건</source>
      <translation>{first} – {last}: {n} events · {f} flagged</translation>
    </message>
    <message>
      <source>{first}~{last} 검토 완료를 기록했습니다.</source>
      <translation>Recorded: {first}–{last} reviewed.</translation>
    </message>
    <message>
      <source>{h}시</source>
      <translation>{h}:00</translation>
    </message>
    <message>
      <source>{m}분 동안 사용하지 않아 화면을 잠갔습니다.</source>
      <translation>Locked after {m} minutes without use.</translation>
    </message>
    <message>
      <source>{name} 님의 비밀번호</source>
      <translation>{name}'s password</translation>
    </message>
    <message>
      <source>{name} 님의 비밀번호를 넣으면 하던 일이 그대로 이어집니다.</source>
      <translation>Enter {name}'s password to carry on where you left off.</translation>
    </message>
    <message>
      <source>{number} {who}의 주민등록번호 전체를 봅니다.
열람한 사람과 시각이 감사 기록에 남습니다.</source>
      <translation>Show the full resident registration number of {who} in {number}?
Who revealed it, and when, is written to the audit trail.</translation>
    </message>
    <message>
      <source>{number}: {what} 처리했습니다.</source>
      <translation>{number}: {what} done.</translation>
    </message>
    <message>
      <source>{number}을(를) 완료로 표시합니다.</source>
      <translation>Mark {number} as completed?</translation>
    </message>
    <message>
      <source>{n}건</source>
      <translation>{n}</translation>
    </message>
    <message>
      <source>{n}쪽</source>
      <translation>p. {n}</translation>
    </message>
    <message>
      <source>{total}건 중 {shown}건 표시</source>
      <translation>showing {shown} of {total}</translation>
    </message>
    <message>
      <source>{what}을 {path}(으)로 내보냅니다.</source>
      <translation>Exports {what} to {path}.</translation>
    </message>
    <message>
      <source>— 서류 선택 —</source>
      <translation>— choose a document —</translation>
    </message>
    <message>
      <source>— 자주 쓰는 사유 —</source>
      <translation>— common reasons —</translation>
    </message>
    <message>
      <source>◀ 이전</source>
      <translation>◀ Previous</translation>
    </message>
    <message>
      <source>가리기</source>
      <translation>Hide</translation>
    </message>
    <message>
      <source>감사 기록</source>
      <translation>Audit</translation>
    </message>
    <message>
      <source>감사 기록 {n}건의 연결이 온전합니다.</source>
      <translation>{n} audit events, every link holds.</translation>
    </message>
    <message>
      <source>감사 기록 검증</source>
      <translation>Verify audit trail</translation>
    </message>
    <message>
      <source>감사 기록 이상 없음</source>
      <translation>Audit trail intact</translation>
    </message>
    <message>
      <source>감사 기록 확인점</source>
      <translation>Audit checkpoint</translation>
    </message>
    <message>
      <source>감사 기록을 검증하는 중…</source>
      <translation>Verifying the audit trail…</translation>
    </message>
    <message>
      <source>감사 기록의 해시 연결이 온전한지 처음부터 확인합니다</source>
      <translation>Checks the audit hash chain from its first event</translation>
    </message>
    <message>
      <source>감사 기록이 훼손되었습니다</source>
      <translation>The audit trail is broken</translation>
    </message>
    <message>
      <source>감사·점검 요청</source>
      <translation>Audit or inspection request</translation>
    </message>
    <message>
      <source>개인정보 열람·출력·내보내기 {n}건</source>
      <translation>Reveals, prints and exports of personal data: {n}</translation>
    </message>
    <message>
      <source>거부</source>
      <translation>refused</translation>
    </message>
    <message>
      <source>건수</source>
      <translation>Cases</translation>
    </message>
    <message>
      <source>검토 결과</source>
      <translation>Findings</translation>
    </message>
    <message>
      <source>검토 결과를 적어 주세요 (이상 없음이면 '이상 없음'이라고).</source>
      <translation>Write what you found ("nothing unusual" if so).</translation>
    </message>
    <message>
      <source>검토함</source>
      <translation>Reviewed</translation>
    </message>
    <message>
      <source>경고</source>
      <translation>Warning</translation>
    </message>
    <message>
      <source>경고 확인</source>
      <translation>Warnings</translation>
    </message>
    <message>
      <source>경고 확인 후 접수</source>
      <translation>Accepted with warnings</translation>
    </message>
    <message>
      <source>경고 확인함</source>
      <translation>Warnings checked</translation>
    </message>
    <message>
      <source>경고를 확인했습니까?</source>
      <translation>Have you checked the warnings?</translation>
    </message>
    <message>
      <source>계속 입력</source>
      <translation>Keep typing</translation>
    </message>
    <message>
      <source>계속되면 전산 담당자에게 알려 주세요.</source>
      <translation>If this goes on, tell your IT staff.</translation>
    </message>
    <message>
      <source>계정</source>
      <translation>Account</translation>
    </message>
    <message>
      <source>계정 변경</source>
      <translation>Account change</translation>
    </message>
    <message>
      <source>계정 이름</source>
      <translation>Account name</translation>
    </message>
    <message>
      <source>계정 이름을 입력해 주세요.</source>
      <translation>Enter the account name.</translation>
    </message>
    <message>
      <source>고른 표시를 확인한 내용과 함께 검토함으로 기록합니다 (감사 기록에 남습니다)</source>
      <translation>Records the chosen flag as reviewed, with what you found (kept in the audit trail)</translation>
    </message>
    <message>
      <source>과장</source>
      <translation>Director</translation>
    </message>
    <message>
      <source>관계</source>
      <translation>Relation</translation>
    </message>
    <message>
      <source>구비서류</source>
      <translation>Supporting documents</translation>
    </message>
    <message>
      <source>구비서류 누락 접수</source>
      <translation>Accepted without documents</translation>
    </message>
    <message>
      <source>구비서류 미비</source>
      <translation>Supporting documents missing</translation>
    </message>
    <message>
      <source>규칙에 걸린 접근</source>
      <translation>Flagged access</translation>
    </message>
    <message>
      <source>규칙에 걸린 접근이 없습니다.</source>
      <translation>Nothing flagged.</translation>
    </message>
    <message>
      <source>그 외 {n}</source>
      <translation>{n} more</translation>
    </message>
    <message>
      <source>기간</source>
      <translation>Period</translation>
    </message>
    <message>
      <source>기간 {period}</source>
      <translation>Period {period}</translation>
    </message>
    <message>
      <source>기간의 끝이 시작보다 앞섭니다.</source>
      <translation>The period ends before it starts.</translation>
    </message>
    <message>
      <source>기간의 마지막 날</source>
      <translation>Last day of the period</translation>
    </message>
    <message>
      <source>기간의 마지막 날 (하루만 볼 때는 같은 날)</source>
      <translation>Last day of the period (the same day for one day)</translation>
    </message>
    <message>
      <source>기관 {office} · 작성 {who} · {at}</source>
      <translation>Office {office} · made by {who} · {at}</translation>
    </message>
    <message>
      <source>기록 없음</source>
      <translation>not recorded</translation>
    </message>
    <message>
      <source>내보내기</source>
      <translation>Export</translation>
    </message>
    <message>
      <source>내보내기…</source>
      <translation>Export…</translation>
    </message>
    <message>
      <source>내용</source>
      <translation>Detail</translation>
    </message>
    <message>
      <source>누가 누구의 정보를 보고·열람하고·내보냈는지 검토합니다 (Ctrl+L)</source>
      <translation>Review who viewed, revealed and exported whose data (Ctrl+L)</translation>
    </message>
    <message>
      <source>누르면 다시 연결합니다</source>
      <translation>Click to reconnect</translation>
    </message>
    <message>
      <source>누르면 한 장 찍습니다 (F7)</source>
      <translation>Click to take a page (F7)</translation>
    </message>
    <message>
      <source>눌러서 목록 거르기</source>
      <translation>click to filter the list</translation>
    </message>
    <message>
      <source>눌러서 이 조건을 지웁니다</source>
      <translation>Click to remove this filter</translation>
    </message>
    <message>
      <source>다음 ▶</source>
      <translation>Next ▶</translation>
    </message>
    <message>
      <source>다음 민원이 방금 열렸습니다. 내용을 확인한 뒤 접수하세요 (Ctrl+Enter).</source>
      <translation>The next petition has just opened. Check it, then accept (Ctrl+Enter).</translation>
    </message>
    <message>
      <source>다음날</source>
      <translation>Next day</translation>
    </message>
    <message>
      <source>다음날 (Alt+→)</source>
      <translation>Next day (Alt+→)</translation>
    </message>
    <message>
      <source>단말</source>
      <translation>Terminal</translation>
    </message>
    <message>
      <source>닫기</source>
      <translation>Close</translation>
    </message>
    <message>
      <source>닫기 (Esc)</source>
      <translation>Close (Esc)</translation>
    </message>
    <message>
      <source>담당</source>
      <translation>Clerk</translation>
    </message>
    <message>
      <source>담당자</source>
      <translation>Clerk</translation>
    </message>
    <message>
      <source>담당자 (창구)</source>
      <translation>Clerk</translation>
    </message>
    <message>
      <source>담당자 수정</source>
      <translation>Corrected by the clerk</translation>
    </message>
    <message>
      <source>담당자 전체</source>
      <translation>All clerks</translation>
    </message>
    <message>
      <source>담당자별</source>
      <translation>By clerk</translation>
    </message>
    <message>
      <source>담당자별 접수 {n}명</source>
      <translation>Cases by clerk: {n} clerks</translation>
    </message>
    <message>
      <source>대기</source>
      <translation>waiting</translation>
    </message>
    <message>
      <source>대기 중</source>
      <translation>waiting</translation>
    </message>
    <message>
      <source>대리</source>
      <translation>Proxy</translation>
    </message>
    <message>
      <source>대리인</source>
      <translation>Delegate</translation>
    </message>
    <message>
      <source>대리인 (수임인)</source>
      <translation>Delegate</translation>
    </message>
    <message>
      <source>대리인 성명과 관계를 입력하세요</source>
      <translation>Enter the delegate's name and relation</translation>
    </message>
    <message>
      <source>대리인이 신청 (위임)</source>
      <translation>Applied for by a delegate (power of attorney)</translation>
    </message>
    <message>
      <source>데이터베이스 여는 중…</source>
      <translation>Opening the database…</translation>
    </message>
    <message>
      <source>데이터베이스 응답을 기다리는 중 ({n}초). 입력한 내용은 보존됩니다.</source>
      <translation>Waiting for the database ({n} s). Nothing you typed is lost.</translation>
    </message>
    <message>
      <source>데이터베이스를 여는 중…</source>
      <translation>Opening the database…</translation>
    </message>
    <message>
      <source>데이터베이스를 열 수 없습니다</source>
      <translation>The database cannot be opened</translation>
    </message>
    <message>
      <source>데이터베이스를 열 수 없습니다. 접수할 수 없으니 전산 담당자에게 알려 주세요.</source>
      <translation>Cannot open the case database; petitions cannot be accepted. Please tell your IT staff.</translation>
    </message>
    <message>
      <source>도로명주소</source>
      <translation>Road address</translation>
    </message>
    <message>
      <source>도장 스캐너가 설정되지 않았습니다</source>
      <translation>No seal scanner is configured</translation>
    </message>
    <message>
      <source>도장 읽는 중…</source>
      <translation>Reading the seal…</translation>
    </message>
    <message>
      <source>도장 찍기 (F9)</source>
      <translation>Capture seal (F9)</translation>
    </message>
    <message>
      <source>도장을 읽지 못했습니다</source>
      <translation>The seal could not be read</translation>
    </message>
    <message>
      <source>로그인</source>
      <translation>Sign-in</translation>
    </message>
    <message>
      <source>로그인 (Enter)</source>
      <translation>Sign in (Enter)</translation>
    </message>
    <message>
      <source>마지막 스캔</source>
      <translation>last scan</translation>
    </message>
    <message>
      <source>모든 행위</source>
      <translation>All actions</translation>
    </message>
    <message>
      <source>목록에서 민원을 고르면 내용이 여기에 보입니다.</source>
      <translation>Choose a case in the list to see it here.</translation>
    </message>
    <message>
      <source>목록을 불러오지 못했습니다.</source>
      <translation>The list could not be read.</translation>
    </message>
    <message>
      <source>무결성 키 적용</source>
      <translation>Keyed chain started</translation>
    </message>
    <message>
      <source>미지정</source>
      <translation>unassigned</translation>
    </message>
    <message>
      <source>민원 QR 코드입니다: 대기 목록에 넣었습니다. 이 시험 코드를 스캔하세요</source>
      <translation>That is a petition's QR code: it is waiting in the list. Scan this test code.</translation>
    </message>
    <message>
      <source>민원 검토</source>
      <translation>Case review</translation>
    </message>
    <message>
      <source>민원 반려</source>
      <translation>Return a case</translation>
    </message>
    <message>
      <source>민원 창구</source>
      <translation>Petition counter</translation>
    </message>
    <message>
      <source>민원인</source>
      <translation>Applicant</translation>
    </message>
    <message>
      <source>민원인 본인 확인</source>
      <translation>Identity check of the applicant</translation>
    </message>
    <message>
      <source>민원인 요청</source>
      <translation>The applicant asked</translation>
    </message>
    <message>
      <source>민원인 요청에 따른 발급 확인</source>
      <translation>Issue check at the applicant's request</translation>
    </message>
    <message>
      <source>민원인의 QR 코드를 스캔하세요.</source>
      <translation>Scan the citizen's QR code.</translation>
    </message>
    <message>
      <source>반려</source>
      <translation>Return</translation>
    </message>
    <message>
      <source>반려 (Ctrl+R)</source>
      <translation>Return (Ctrl+R)</translation>
    </message>
    <message>
      <source>반려 {n}건</source>
      <translation>{n} returned</translation>
    </message>
    <message>
      <source>반려 건수</source>
      <translation>Returned</translation>
    </message>
    <message>
      <source>반려 민원 {n}건</source>
      <translation>Returned cases: {n}</translation>
    </message>
    <message>
      <source>반려 사유</source>
      <translation>Reason for return</translation>
    </message>
    <message>
      <source>반려 사유를 입력하세요</source>
      <translation>Enter the reason for returning the petition</translation>
    </message>
    <message>
      <source>반려 사유를 적어 주세요. 민원인에게 안내되는 내용입니다.</source>
      <translation>Write why the case is returned. The applicant is told this reason.</translation>
    </message>
    <message>
      <source>반려 사유별 {n}건</source>
      <translation>Returns by reason: {n}</translation>
    </message>
    <message>
      <source>반려…</source>
      <translation>Return…</translation>
    </message>
    <message>
      <source>반려된 민원이 없습니다.</source>
      <translation>No case was returned.</translation>
    </message>
    <message>
      <source>반려했습니다</source>
      <translation>Returned</translation>
    </message>
    <message>
      <source>버리고 닫기</source>
      <translation>Discard and close</translation>
    </message>
    <message>
      <source>번호</source>
      <translation>No.</translation>
    </message>
    <message>
      <source>법령에 따른 기관 제출</source>
      <translation>Submission to an authority required by law</translation>
    </message>
    <message>
      <source>보고서</source>
      <translation>Report</translation>
    </message>
    <message>
      <source>보고서…</source>
      <translation>Report…</translation>
    </message>
    <message>
      <source>보류</source>
      <translation>set aside</translation>
    </message>
    <message>
      <source>보류 (Ctrl+Del)</source>
      <translation>Set aside (Ctrl+Del)</translation>
    </message>
    <message>
      <source>본인 계정으로 로그인하세요. 처리한 모든 일은 이 계정 이름과 단말로 기록됩니다.</source>
      <translation>Sign in with your own account. Everything you do is recorded with this account and terminal.</translation>
    </message>
    <message>
      <source>본인 또는 대리인 확인 불가</source>
      <translation>Identity of applicant or delegate not confirmed</translation>
    </message>
    <message>
      <source>분</source>
      <translation> min</translation>
    </message>
    <message>
      <source>불러오는 중…</source>
      <translation>Loading…</translation>
    </message>
    <message>
      <source>비밀번호</source>
      <translation>Password</translation>
    </message>
    <message>
      <source>비밀번호를 입력해 주세요.</source>
      <translation>Enter the password.</translation>
    </message>
    <message>
      <source>사유</source>
      <translation>Reason</translation>
    </message>
    <message>
      <source>사유 (감사 기록에 함께 남습니다)</source>
      <translation>Reason (kept in the audit trail)</translation>
    </message>
    <message>
      <source>사유를 고르거나 적어 주세요</source>
      <translation>Choose or write the reason</translation>
    </message>
    <message>
      <source>사유를 알아볼 수 있게 적어 주세요 (예: 민원인 본인 확인).</source>
      <translation>Write a reason one can understand (e.g. identity check of the applicant).</translation>
    </message>
    <message>
      <source>사유를 적어 민원을 반려합니다 (Ctrl+R)</source>
      <translation>Return the case with a reason (Ctrl+R)</translation>
    </message>
    <message>
      <source>상세주소</source>
      <translation>Address details</translation>
    </message>
    <message>
      <source>상태</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>상태 변경</source>
      <translation>Status change</translation>
    </message>
    <message>
      <source>상태 이력</source>
      <translation>History</translation>
    </message>
    <message>
      <source>상태 전체</source>
      <translation>All statuses</translation>
    </message>
    <message>
      <source>새 값</source>
      <translation>New value</translation>
    </message>
    <message>
      <source>생년월일</source>
      <translation>Date of birth</translation>
    </message>
    <message>
      <source>서류 보기</source>
      <translation>Document viewer</translation>
    </message>
    <message>
      <source>서류 스캔 폴더</source>
      <translation>Document scan folder</translation>
    </message>
    <message>
      <source>서류 없이 접수하려면 사유를 적으세요 (사건에 기록됩니다).</source>
      <translation>To accept without them, write why (it is recorded with the case).</translation>
    </message>
    <message>
      <source>서류 파일 추가</source>
      <translation>Add document files</translation>
    </message>
    <message>
      <source>서류와 다름</source>
      <translation>Differs from the documents</translation>
    </message>
    <message>
      <source>서명 또는 인</source>
      <translation>Signature or seal</translation>
    </message>
    <message>
      <source>서식</source>
      <translation>Form</translation>
    </message>
    <message>
      <source>서식 (&amp;F)</source>
      <translation>&amp;Form</translation>
    </message>
    <message>
      <source>서식 전체</source>
      <translation>All forms</translation>
    </message>
    <message>
      <source>서식 찾기 (이름 일부, 예: 등본)</source>
      <translation>Find a form (part of its name, e.g. copy)</translation>
    </message>
    <message>
      <source>서식 항목</source>
      <translation>Form fields</translation>
    </message>
    <message>
      <source>서식별</source>
      <translation>By form</translation>
    </message>
    <message>
      <source>선택한 쪽:</source>
      <translation>Selected page:</translation>
    </message>
    <message>
      <source>설정 파일(counter.toml)의 database 항목이나 --db 주소를 확인한 뒤 다시 실행해 주세요.</source>
      <translation>Check 'database' in counter.toml or the --db address, then start again.</translation>
    </message>
    <message>
      <source>성명</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>수수료 미납</source>
      <translation>Fee not paid</translation>
    </message>
    <message>
      <source>수정</source>
      <translation>Correction</translation>
    </message>
    <message>
      <source>수정 내역</source>
      <translation>Corrections</translation>
    </message>
    <message>
      <source>수정 사유</source>
      <translation>Reason</translation>
    </message>
    <message>
      <source>수정 전</source>
      <translation>before</translation>
    </message>
    <message>
      <source>수정 후</source>
      <translation>After</translation>
    </message>
    <message>
      <source>수정 후 접수</source>
      <translation>Corrected</translation>
    </message>
    <message>
      <source>스캐너 설정</source>
      <translation>Scanner set-up</translation>
    </message>
    <message>
      <source>스캐너 설정을 저장할 수 없습니다</source>
      <translation>Cannot save the scanner settings</translation>
    </message>
    <message>
      <source>스캐너 설정을 저장했습니다</source>
      <translation>Scanner settings saved</translation>
    </message>
    <message>
      <source>스캔 거부</source>
      <translation>Scan refused</translation>
    </message>
    <message>
      <source>스캔 대기열</source>
      <translation>Scan queue</translation>
    </message>
    <message>
      <source>스캔→접수 중앙값</source>
      <translation>Scan → accept, median</translation>
    </message>
    <message>
      <source>스캔부터 접수까지 (중앙값)</source>
      <translation>Scan to accept (median)</translation>
    </message>
    <message>
      <source>스캔에서 접수까지</source>
      <translation>Scan to accept</translation>
    </message>
    <message>
      <source>스캔한 쪽</source>
      <translation>Scanned pages</translation>
    </message>
    <message>
      <source>시각</source>
      <translation>Time</translation>
    </message>
    <message>
      <source>시간</source>
      <translation> h</translation>
    </message>
    <message>
      <source>시간 전체</source>
      <translation>All hours</translation>
    </message>
    <message>
      <source>시간대별 접수</source>
      <translation>Cases per hour</translation>
    </message>
    <message>
      <source>시험 코드 인쇄 (Ctrl+P)</source>
      <translation>Print the test code (Ctrl+P)</translation>
    </message>
    <message>
      <source>시험 코드를 인쇄했습니다: 종이의 큰 코드를 스캔하세요</source>
      <translation>The test code is printed: scan the large code on the paper</translation>
    </message>
    <message>
      <source>신분증과 다름</source>
      <translation>Differs from the ID card</translation>
    </message>
    <message>
      <source>신분증을 보고 새 번호를 입력하세요</source>
      <translation>Type the new number from the ID card</translation>
    </message>
    <message>
      <source>신청 내용</source>
      <translation>Petition</translation>
    </message>
    <message>
      <source>신청 내용 불명확</source>
      <translation>Petition unclear</translation>
    </message>
    <message>
      <source>신청서</source>
      <translation>Application form</translation>
    </message>
    <message>
      <source>신청인</source>
      <translation>Applicant</translation>
    </message>
    <message>
      <source>신청인 (위임인)</source>
      <translation>Applicant (principal)</translation>
    </message>
    <message>
      <source>신청인 성명을 입력하세요</source>
      <translation>Enter the applicant's name</translation>
    </message>
    <message>
      <source>신청인 정보에서 채움</source>
      <translation>Filled from the applicant's details</translation>
    </message>
    <message>
      <source>실물화상기</source>
      <translation>Document camera</translation>
    </message>
    <message>
      <source>실물화상기 (F7)</source>
      <translation>Document camera (F7)</translation>
    </message>
    <message>
      <source>실물화상기가 설정되지 않았습니다</source>
      <translation>No document camera is configured</translation>
    </message>
    <message>
      <source>실물화상기로 서류를 찍지 못했습니다</source>
      <translation>The document camera could not take the page</translation>
    </message>
    <message>
      <source>실물화상기로 찍는 중…</source>
      <translation>Taking the page with the document camera…</translation>
    </message>
    <message>
      <source>실물화상기에 놓인 서류 한 장을 찍어 이 민원에 붙입니다</source>
      <translation>Takes the page lying under the document camera and adds it to this petition</translation>
    </message>
    <message>
      <source>아니요</source>
      <translation>No</translation>
    </message>
    <message>
      <source>없음</source>
      <translation>none</translation>
    </message>
    <message>
      <source>없음 (기관 키 없이 작성)</source>
      <translation>none (made without the office key)</translation>
    </message>
    <message>
      <source>엑셀 (Ctrl+E)</source>
      <translation>Excel (Ctrl+E)</translation>
    </message>
    <message>
      <source>여러 장 QR</source>
      <translation>Multi-part QR</translation>
    </message>
    <message>
      <source>연결 끊김</source>
      <translation>disconnected</translation>
    </message>
    <message>
      <source>연결됨</source>
      <translation>connected</translation>
    </message>
    <message>
      <source>열린 민원이 없습니다. 민원을 연 뒤 도장을 찍으세요 (F9).</source>
      <translation>No petition is open. Open the petition, then take the seal (F9).</translation>
    </message>
    <message>
      <source>열린 민원이 없습니다. 민원을 연 뒤 서류를 찍으세요 (F7).</source>
      <translation>No petition is open. Open the petition, then take the page (F7).</translation>
    </message>
    <message>
      <source>예</source>
      <translation>Yes</translation>
    </message>
    <message>
      <source>오늘</source>
      <translation>Today</translation>
    </message>
    <message>
      <source>오류</source>
      <translation>Error</translation>
    </message>
    <message>
      <source>오류 {e}건 · 경고 {w}건</source>
      <translation>{e} error(s) · {w} warning(s)</translation>
    </message>
    <message>
      <source>오류 {n}건: 고친 뒤 접수할 수 있습니다</source>
      <translation>{n} error(s): correct them to accept</translation>
    </message>
    <message>
      <source>오타 정정</source>
      <translation>Typing error</translation>
    </message>
    <message>
      <source>완료</source>
      <translation>Completed</translation>
    </message>
    <message>
      <source>완료 처리</source>
      <translation>Mark completed</translation>
    </message>
    <message>
      <source>우편번호</source>
      <translation>Postcode</translation>
    </message>
    <message>
      <source>위임장</source>
      <translation>Power of attorney</translation>
    </message>
    <message>
      <source>위임장 내용 불충분</source>
      <translation>Power of attorney insufficient</translation>
    </message>
    <message>
      <source>위임장 보기 / 인쇄</source>
      <translation>Power of attorney: view / print</translation>
    </message>
    <message>
      <source>이 계정 이름을 넣습니다 (Alt+{n})</source>
      <translation>Fills in this account name (Alt+{n})</translation>
    </message>
    <message>
      <source>이 기간 검토 완료 기록 (Ctrl+Enter)</source>
      <translation>Record this period as reviewed (Ctrl+Enter)</translation>
    </message>
    <message>
      <source>이 기간에 접수된 민원이 없습니다.</source>
      <translation>No cases in this period.</translation>
    </message>
    <message>
      <source>이 기간에 확인한 내용과 조치를 적어 주세요 (예: 대량 열람은 공문에 따른 것으로 확인)</source>
      <translation>What you checked and did (e.g. the bulk reveals were asked for by an official letter)</translation>
    </message>
    <message>
      <source>이 기간은 아직 검토 기록이 없습니다.</source>
      <translation>This period has not been reviewed yet.</translation>
    </message>
    <message>
      <source>이 날 열람·출력·내보내기가 없습니다.</source>
      <translation>No reveals, prints or exports that day.</translation>
    </message>
    <message>
      <source>이 날 접수된 민원이 없습니다.</source>
      <translation>No cases were received on this day.</translation>
    </message>
    <message>
      <source>이 날의 접수 목록을 엑셀(xlsx) 또는 CSV로 저장합니다 (주민등록번호는 가림)</source>
      <translation>Save this day's cases as Excel (xlsx) or CSV (RRNs masked)</translation>
    </message>
    <message>
      <source>이 시험 코드를 스캐너로 스캔하세요</source>
      <translation>Scan this test code with the scanner</translation>
    </message>
    <message>
      <source>이 표시 검토함…</source>
      <translation>Mark this flag reviewed…</translation>
    </message>
    <message>
      <source>이름·접수번호·서식·담당자로 찾기 (Ctrl+F)</source>
      <translation>Find by name, case number, form or clerk (Ctrl+F)</translation>
    </message>
    <message>
      <source>이전에 작업하던 민원을 복구했습니다.</source>
      <translation>The petition you were working on was restored.</translation>
    </message>
    <message>
      <source>이제 민원 QR 코드를 스캔할 수 있습니다. 닫으려면 Esc</source>
      <translation>You can scan petition QR codes now. Esc closes this.</translation>
    </message>
    <message>
      <source>인쇄</source>
      <translation>Print</translation>
    </message>
    <message>
      <source>인쇄 (Ctrl+P)</source>
      <translation>Print (Ctrl+P)</translation>
    </message>
    <message>
      <source>인쇄: Ctrl+P</source>
      <translation>print: Ctrl+P</translation>
    </message>
    <message>
      <source>일시</source>
      <translation>When</translation>
    </message>
    <message>
      <source>일일 민원 보고서</source>
      <translation>Daily petition report</translation>
    </message>
    <message>
      <source>일일 보고서 저장</source>
      <translation>Save the daily report</translation>
    </message>
    <message>
      <source>일일 보고서: 건수, 차트, 반려 사유, 개인정보 열람·내보내기를 PDF로 저장합니다</source>
      <translation>Daily report: saves the counts, charts, return reasons and personal-data reveals and exports as a PDF</translation>
    </message>
    <message>
      <source>일일 보고서를 저장했습니다 ({pages}쪽): {path}</source>
      <translation>Daily report saved ({pages} pages): {path}</translation>
    </message>
    <message>
      <source>입력한 내용을 버리고 닫을까요?</source>
      <translation>Throw away what you typed and close?</translation>
    </message>
    <message>
      <source>작성 {who} · {at}</source>
      <translation>Made by {who} · {at}</translation>
    </message>
    <message>
      <source>작업</source>
      <translation>Action</translation>
    </message>
    <message>
      <source>잠금 해제 (Enter)</source>
      <translation>Unlock (Enter)</translation>
    </message>
    <message>
      <source>장치</source>
      <translation>Devices</translation>
    </message>
    <message>
      <source>저장된 주민등록번호가 없습니다.</source>
      <translation>No resident registration number is stored.</translation>
    </message>
    <message>
      <source>저장했습니다</source>
      <translation>Saved</translation>
    </message>
    <message>
      <source>저장했습니다: {path}</source>
      <translation>Saved: {path}</translation>
    </message>
    <message>
      <source>전날</source>
      <translation>Previous day</translation>
    </message>
    <message>
      <source>전날 (Alt+←)</source>
      <translation>Previous day (Alt+←)</translation>
    </message>
    <message>
      <source>전체 번호를 봅니다. 열람은 감사 기록에 남습니다.</source>
      <translation>Show the full number. The reveal is audited.</translation>
    </message>
    <message>
      <source>전화번호</source>
      <translation>Phone</translation>
    </message>
    <message>
      <source>접근 기록</source>
      <translation>Access log</translation>
    </message>
    <message>
      <source>접근 기록 검토</source>
      <translation>Access-log review</translation>
    </message>
    <message>
      <source>접근 기록 저장</source>
      <translation>Save the access log</translation>
    </message>
    <message>
      <source>접근 기록을 {path}(으)로 저장합니다.</source>
      <translation>The access log is saved to {path}.</translation>
    </message>
    <message>
      <source>접수</source>
      <translation>Intake</translation>
    </message>
    <message>
      <source>접수 (Ctrl+Enter)</source>
      <translation>Accept (Ctrl+Enter)</translation>
    </message>
    <message>
      <source>접수 건수</source>
      <translation>Cases</translation>
    </message>
    <message>
      <source>접수 시각</source>
      <translation>Time</translation>
    </message>
    <message>
      <source>접수 완료</source>
      <translation>accepted</translation>
    </message>
    <message>
      <source>접수되었습니다. 접수번호</source>
      <translation>Accepted. Case number</translation>
    </message>
    <message>
      <source>접수된 민원이 없습니다.</source>
      <translation>No cases.</translation>
    </message>
    <message>
      <source>접수번호</source>
      <translation>Case number</translation>
    </message>
    <message>
      <source>접수부터 완료까지 (중앙값)</source>
      <translation>Accept to completion (median)</translation>
    </message>
    <message>
      <source>접수증</source>
      <translation>Receipt</translation>
    </message>
    <message>
      <source>접수증을 저장하지 못했습니다</source>
      <translation>The receipt could not be saved</translation>
    </message>
    <message>
      <source>접수할 수 없습니다</source>
      <translation>Cannot accept</translation>
    </message>
    <message>
      <source>정보주체</source>
      <translation>Person</translation>
    </message>
    <message>
      <source>정보주체 이름·접수번호</source>
      <translation>Person's name or case number</translation>
    </message>
    <message>
      <source>정정 요청 처리</source>
      <translation>Correction request</translation>
    </message>
    <message>
      <source>조각 스캔 중</source>
      <translation>parts coming</translation>
    </message>
    <message>
      <source>조건 지우기</source>
      <translation>Clear filters</translation>
    </message>
    <message>
      <source>조회</source>
      <translation>Viewed</translation>
    </message>
    <message>
      <source>조회 (F5)</source>
      <translation>Show (F5)</translation>
    </message>
    <message>
      <source>종이</source>
      <translation>Paper</translation>
    </message>
    <message>
      <source>종이 신청서</source>
      <translation>Paper form</translation>
    </message>
    <message>
      <source>종이 신청서 입력</source>
      <translation>Paper petition</translation>
    </message>
    <message>
      <source>종이 신청서 입력 (Ctrl+N)</source>
      <translation>Paper petition (Ctrl+N)</translation>
    </message>
    <message>
      <source>종이 신청서는 Ctrl+N 으로 입력합니다.</source>
      <translation>Type a paper petition with Ctrl+N.</translation>
    </message>
    <message>
      <source>종이 접수</source>
      <translation>Paper intake</translation>
    </message>
    <message>
      <source>주민등록번호</source>
      <translation>RRN</translation>
    </message>
    <message>
      <source>주민등록번호 보기</source>
      <translation>Show RRN</translation>
    </message>
    <message>
      <source>주민등록번호 열람</source>
      <translation>Reveal RRN</translation>
    </message>
    <message>
      <source>주소</source>
      <translation>Address</translation>
    </message>
    <message>
      <source>중앙값 {s}초</source>
      <translation>median {s} s</translation>
    </message>
    <message>
      <source>직전 민원</source>
      <translation>Previous petition</translation>
    </message>
    <message>
      <source>쪽</source>
      <translation> page(s)</translation>
    </message>
    <message>
      <source>차트</source>
      <translation>Charts</translation>
    </message>
    <message>
      <source>창구</source>
      <translation>Counter</translation>
    </message>
    <message>
      <source>창구 전체</source>
      <translation>All counters</translation>
    </message>
    <message>
      <source>창구에서 확인</source>
      <translation>Checked at the counter</translation>
    </message>
    <message>
      <source>찾는 말을 지우면 이 날의 민원이 모두 보입니다 (Esc).</source>
      <translation>Clear the search to see all of the day's cases (Esc).</translation>
    </message>
    <message>
      <source>찾는 조건에 맞는 민원이 없습니다.</source>
      <translation>No case matches the search.</translation>
    </message>
    <message>
      <source>처리 중</source>
      <translation>on screen</translation>
    </message>
    <message>
      <source>처리를 마친 민원으로 표시합니다 (Ctrl+D)</source>
      <translation>Mark the case as completed (Ctrl+D)</translation>
    </message>
    <message>
      <source>첨부 서류</source>
      <translation>Attachments</translation>
    </message>
    <message>
      <source>첨부 서류 보기</source>
      <translation>Attachment viewer</translation>
    </message>
    <message>
      <source>첨부·도장</source>
      <translation>Files</translation>
    </message>
    <message>
      <source>첨부된 서류가 없습니다.</source>
      <translation>No pages attached.</translation>
    </message>
    <message>
      <source>체험용 계정 — 비밀번호는 모두 {pw}</source>
      <translation>Demo accounts — the password of each is {pw}</translation>
    </message>
    <message>
      <source>초</source>
      <translation> s</translation>
    </message>
    <message>
      <source>총 {n}건</source>
      <translation>{n} in all</translation>
    </message>
    <message>
      <source>총 {total}건 · 접수 {received} · 반려 {returned} · 완료 {completed}</source>
      <translation>{total} cases · {received} received · {returned} returned · {completed} completed</translation>
    </message>
    <message>
      <source>총 접수</source>
      <translation>Received in all</translation>
    </message>
    <message>
      <source>축소 −</source>
      <translation>Zoom out −</translation>
    </message>
    <message>
      <source>취소</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>키보드 스캐너</source>
      <translation>Keyboard scanner</translation>
    </message>
    <message>
      <source>키보드 스캔 필터가 꺼져 있습니다</source>
      <translation>The keyboard scan filter is off</translation>
    </message>
    <message>
      <source>팀장</source>
      <translation>Team leader</translation>
    </message>
    <message>
      <source>파기</source>
      <translation>Purge</translation>
    </message>
    <message>
      <source>파일 없음</source>
      <translation>file missing</translation>
    </message>
    <message>
      <source>파일 추가</source>
      <translation>Add files</translation>
    </message>
    <message>
      <source>파일을 쓸 수 없습니다: {path}</source>
      <translation>Cannot write the file: {path}</translation>
    </message>
    <message>
      <source>표시</source>
      <translation>Flags</translation>
    </message>
    <message>
      <source>표시 검토</source>
      <translation>Flag review</translation>
    </message>
    <message>
      <source>표시를 검토함으로 기록했습니다.</source>
      <translation>The flag is recorded as reviewed.</translation>
    </message>
    <message>
      <source>필수</source>
      <translation>required</translation>
    </message>
    <message>
      <source>필수 서류 없음</source>
      <translation>Required documents missing</translation>
    </message>
    <message>
      <source>필수 서류가 없습니다</source>
      <translation>Required documents are missing</translation>
    </message>
    <message>
      <source>필수 서류가 없어 접수하지 않았습니다</source>
      <translation>Not accepted: required documents missing</translation>
    </message>
    <message>
      <source>하루치 내보내기</source>
      <translation>Export the day</translation>
    </message>
    <message>
      <source>한국어</source>
      <translation>English</translation>
    </message>
    <message>
      <source>한눈에 보기: 이 기간의 차트를 오른쪽에 보입니다 (F6)</source>
      <translation>At a glance: the period's charts on the right (F6)</translation>
    </message>
    <message>
      <source>항목</source>
      <translation>Field</translation>
    </message>
    <message>
      <source>항목 수정</source>
      <translation>Correct a field</translation>
    </message>
    <message>
      <source>해당 시</source>
      <translation>if applicable</translation>
    </message>
    <message>
      <source>행위</source>
      <translation>Action</translation>
    </message>
    <message>
      <source>현재 값</source>
      <translation>Current value</translation>
    </message>
    <message>
      <source>화면 잠김</source>
      <translation>Locked</translation>
    </message>
    <message>
      <source>화면을 잠갔습니다.</source>
      <translation>The screen is locked.</translation>
    </message>
    <message>
      <source>화면의 접수 목록</source>
      <translation>the list on screen</translation>
    </message>
    <message>
      <source>화면의 접수 목록 {n}건</source>
      <translation>the {n} cases on screen</translation>
    </message>
    <message>
      <source>확대 +</source>
      <translation>Zoom in +</translation>
    </message>
    <message>
      <source>확인</source>
      <translation>OK</translation>
    </message>
    <message>
      <source>확인 중</source>
      <translation>checking</translation>
    </message>
    <message>
      <source>확인 중…</source>
      <translation>Checking…</translation>
    </message>
    <message>
      <source>확인하는 중…</source>
      <translation>Checking…</translation>
    </message>
    <message>
      <source>확인한 내용을 적어 주세요:</source>
      <translation>Write what you found:</translation>
    </message>
    <message>
      <source>확인했음, 접수</source>
      <translation>Checked: accept</translation>
    </message>
    <message>
      <source>회전 ⟳</source>
      <translation>Rotate ⟳</translation>
    </message>
    <message>
      <source>거르기 해제</source>
      <translation>Clear filters</translation>
    </message>
    <message>
      <source>기관</source>
      <translation>Office</translation>
    </message>
    <message>
      <source>기관별</source>
      <translation>By office</translation>
    </message>
    <message>
      <source>모든 기관</source>
      <translation>All offices</translation>
    </message>
    <message>
      <source>읽는 중…</source>
      <translation>Reading…</translation>
    </message>
    <message>
      <source>접수 현황</source>
      <translation>Cases</translation>
    </message>
    <message>
      <source>지구 민원 현황</source>
      <translation>District petitions</translation>
    </message>
    <message>
      <source>창구 상태</source>
      <translation>Counters</translation>
    </message>
    <message>
      <source>합계</source>
      <translation>Total</translation>
    </message>
    <message>
      <source>기관 {office}</source>
      <translation>Office {office}</translation>
    </message>
    <message>
      <source>총</source>
      <translation>Total</translation>
    </message>
    <message>
      <source>QR</source>
      <translation>QR</translation>
    </message>
    <message>
      <source>서류 누락</source>
      <translation>Documents missing</translation>
    </message>
    <message>
      <source>버전</source>
      <translation>Version</translation>
    </message>
    <message>
      <source>설정</source>
      <translation>Configuration</translation>
    </message>
    <message>
      <source>마지막 신호</source>
      <translation>Last heartbeat</translation>
    </message>
    <message>
      <source>문제</source>
      <translation>Issues</translation>
    </message>
    <message>
      <source>응답 없음</source>
      <translation>Stale</translation>
    </message>
    <message>
      <source>구버전</source>
      <translation>Outdated</translation>
    </message>
    <message>
      <source>점검 실패</source>
      <translation>Check failed</translation>
    </message>
    <message>
      <source>설정 거부</source>
      <translation>Configuration refused</translation>
    </message>
    <message>
      <source>설정 다름</source>
      <translation>Configuration differs</translation>
    </message>
    <message>
      <source>업데이트 실패</source>
      <translation>Update failed</translation>
    </message>
    <message>
      <source>업데이트 주의</source>
      <translation>Update warning</translation>
    </message>
  </context>
</TS>
