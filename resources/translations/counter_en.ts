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
      <source>Ctrl+Enter 접수 · Ctrl+R 반려 · Ctrl+Del 보류 · F9 도장 · F7 실물화상기 · F8 누르고 있는 동안 주민등록번호 보기 · Enter/F2 항목 수정 · Ctrl+P 접수증 인쇄</source>
      <translation>Ctrl+Enter accept · Ctrl+R return · Ctrl+Del set aside · F9 seal · F7 document camera · hold F8 to show resident registration numbers · Enter/F2 correct a field · Ctrl+P print the receipt</translation>
    </message>
    <message>
      <source>Enter / F2 / 더블클릭: 이 항목 수정 (수정 내역이 기록됩니다)</source>
      <translation>Enter / F2 / double click: correct this field (the change is recorded)</translation>
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
      <source>— 서류 선택 —</source>
      <translation>— choose a document —</translation>
    </message>
    <message>
      <source>◀ 이전</source>
      <translation>◀ Previous</translation>
    </message>
    <message>
      <source>거부</source>
      <translation>refused</translation>
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
      <source>관계</source>
      <translation>Relation</translation>
    </message>
    <message>
      <source>구비서류</source>
      <translation>Supporting documents</translation>
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
      <source>다음 ▶</source>
      <translation>Next ▶</translation>
    </message>
    <message>
      <source>다음 민원이 방금 열렸습니다. 내용을 확인한 뒤 접수하세요 (Ctrl+Enter).</source>
      <translation>The next petition has just opened. Check it, then accept (Ctrl+Enter).</translation>
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
      <source>담당자 수정</source>
      <translation>Corrected by the clerk</translation>
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
      <source>마지막 스캔</source>
      <translation>last scan</translation>
    </message>
    <message>
      <source>미지정</source>
      <translation>unassigned</translation>
    </message>
    <message>
      <source>민원 창구</source>
      <translation>Petition counter</translation>
    </message>
    <message>
      <source>민원인 요청</source>
      <translation>The applicant asked</translation>
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
      <source>반려 사유를 입력하세요</source>
      <translation>Enter the reason for returning the petition</translation>
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
      <source>보류</source>
      <translation>set aside</translation>
    </message>
    <message>
      <source>보류 (Ctrl+Del)</source>
      <translation>Set aside (Ctrl+Del)</translation>
    </message>
    <message>
      <source>불러오는 중…</source>
      <translation>Loading…</translation>
    </message>
    <message>
      <source>상세주소</source>
      <translation>Address details</translation>
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
      <source>서식 찾기 (이름 일부, 예: 등본)</source>
      <translation>Find a form (part of its name, e.g. copy)</translation>
    </message>
    <message>
      <source>서식 항목</source>
      <translation>Form fields</translation>
    </message>
    <message>
      <source>선택한 쪽:</source>
      <translation>Selected page:</translation>
    </message>
    <message>
      <source>성명</source>
      <translation>Name</translation>
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
      <source>스캔 거부</source>
      <translation>Scan refused</translation>
    </message>
    <message>
      <source>스캔 대기열</source>
      <translation>Scan queue</translation>
    </message>
    <message>
      <source>스캔한 쪽</source>
      <translation>Scanned pages</translation>
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
      <source>우편번호</source>
      <translation>Postcode</translation>
    </message>
    <message>
      <source>위임장</source>
      <translation>Power of attorney</translation>
    </message>
    <message>
      <source>위임장 보기 / 인쇄</source>
      <translation>Power of attorney: view / print</translation>
    </message>
    <message>
      <source>이전에 작업하던 민원을 복구했습니다.</source>
      <translation>The petition you were working on was restored.</translation>
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
      <source>입력한 내용을 버리고 닫을까요?</source>
      <translation>Throw away what you typed and close?</translation>
    </message>
    <message>
      <source>장치</source>
      <translation>Devices</translation>
    </message>
    <message>
      <source>저장했습니다</source>
      <translation>Saved</translation>
    </message>
    <message>
      <source>전화번호</source>
      <translation>Phone</translation>
    </message>
    <message>
      <source>접수 (Ctrl+Enter)</source>
      <translation>Accept (Ctrl+Enter)</translation>
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
      <source>조각 스캔 중</source>
      <translation>parts coming</translation>
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
      <source>주민등록번호</source>
      <translation>Resident registration number</translation>
    </message>
    <message>
      <source>주소</source>
      <translation>Address</translation>
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
      <source>처리 중</source>
      <translation>on screen</translation>
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
      <source>파일 추가</source>
      <translation>Add files</translation>
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
      <source>한국어</source>
      <translation>English</translation>
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
      <source>현재 값</source>
      <translation>Current value</translation>
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
      <source>확인했음, 접수</source>
      <translation>Checked: accept</translation>
    </message>
    <message>
      <source>회전 ⟳</source>
      <translation>Rotate ⟳</translation>
    </message>
  </context>
</TS>
