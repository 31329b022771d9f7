// @ts-check
// The citizen's petition form: choose petitions, type the data once, get the encrypted QR.
//
// Everything happens on the phone. The page loads its own files only (site.json,
// catalogue.json); the personal data never leave it except inside the encrypted
// QR, nothing goes into a URL, nothing is stored unless the citizen saves the QR image.

import { encodeDocument, importRecipient, maxCharsFor, missingFeatures, nativeDeflateRaw, newPayloadId, pemToDer, MAX_FORMS } from "./mw1.js";
import { qrDataUrl } from "./qr.js";
import {
  canonicalDate, canonicalPhone, canonicalText, conditionHolds, fieldsOf, isCalendarDate, isEmpty,
  personSchemaProblem, personWarnings, pyStrip, rrnBirthDate, validateFields, validateValue,
} from "./validate.js";

const T = {
  ko: {
    title: "민원 신청서 작성", step: "단계", next: "다음", prev: "이전", make: "QR 코드 만들기",
    chooseTitle: "신청할 민원 고르기", fillTitle: "신청서 작성", qrTitle: "창구에서 QR 코드를 보여 주세요",
    office: "방문할 기관", proxy: "대리인이 신청합니다 (다른 사람의 민원을 대신 신청)",
    proxyHint: "본인이 신청하면 그대로 두세요.", search: "민원 찾기", searchHint: "평소 부르는 이름으로 찾으세요. 예: 등본, 가족관계증명서, 인감, 전입",
    noneChosen: "민원을 하나 이상 골라 주세요.", tooMany: `한 번에 ${MAX_FORMS}개까지 고를 수 있습니다.`,
    noOffice: "방문할 기관을 골라 주세요.", applicant: "신청인", delegate: "대리인",
    applicantProxy: "민원의 주인인 위임하는 분(예: 아버지)의 정보를 적어 주세요. 창구에 오시는 분의 정보는 아래 ‘대리인’에 적습니다.", delegateNote: "창구에 오시는 분(대리인)의 정보입니다.",
    name: "성명", rrn: "주민등록번호", birth: "생년월일", phone: "전화번호", email: "전자우편", address: "주소",
    postcode: "우편번호", road: "도로명주소", detail: "상세주소", relation: "관계", required: "필수",
    relationHint: "위임하는 분과의 관계 (예: 배우자, 자녀, 직원)", dateHint: "예: 2026년 3월 1일, 2026-03-01",
    rrnHint: "숫자 13자리 (하이픈은 없어도 됩니다)", choose: "선택하세요", other: "기타(직접 입력)",
    otherInput: "직접 입력", bring: "준비할 서류", bringIdSelf: "신분증", fee: "수수료", processing: "처리 기간",
    free: "없음", won: "원", errors: "고칠 곳이 있습니다", warnings: "확인해 주세요",
    brightness: "화면 밝기를 가장 밝게 올려 주세요. 창구 직원이 스캐너로 읽습니다.",
    parts: "QR 코드가 여러 장입니다. 창구에서 한 장씩 차례로 보여 주세요 (이전/다음).",
    save: "이미지로 저장", edit: "수정하기", restart: "처음부터 다시", validUntil: "유효기간",
    summary: "신청 내용 요약", poa: "위임장", poaText: "위임인은 위 수임인에게 아래 민원의 신청과 수령에 관한 권한을 위임합니다.",
    principal: "위임인", agent: "수임인", tasks: "위임하는 민원", sign: "(서명 또는 인)",
    proxyRefused: "대리 신청을 할 수 없습니다", handwritten: "QR로 만든 위임장을 쓸 수 없습니다",
    floor: "이 브라우저에서는 암호화된 QR 코드를 만들 수 없습니다",
    floorHelp: "최신 크롬, 사파리(iOS 14 이상), 삼성 인터넷으로 열거나, 창구의 종이 신청서를 이용해 주세요.",
    loadFail: "서식을 불러오지 못했습니다. 다시 열어 주세요.",
    bigger: "글자 크게", smaller: "글자 작게", lang: "English", making: "QR 코드를 만드는 중입니다…",
    privacy: "입력한 개인정보는 이 휴대전화 밖으로 보내지 않습니다. QR 코드 안에 암호화되어 창구에서만 열 수 있습니다. 창을 닫으면 지워집니다.",
    formsChosen: "고른 민원", proxyNeeds: "대리 신청 시", qrAlt: "QR 코드",
    yes: "예", no: "아니요", noPersonRrn: "주민등록번호는 요약에 보이지 않습니다.",
    frequent: "자주 찾는 민원", clearSearch: "검색어 지우고 모든 민원 보기",
    noMatch: "‘{q}’(으)로 찾은 민원이 없습니다. 다른 말로 찾아 보세요. 예: 등본, 초본, 가족관계증명서, 인감, 전입신고, 여권.",
    principalBlock: "위임하는 분", birthHint: "예: 1950년 3월 5일, 1950.3.5", phoneHint: "예: 010-1234-5678 (점·띄어쓰기도 됩니다)",
    lookAgain: "주민등록번호를 신분증과 한 번 더 비교해 주세요. 번호가 맞지 않을 수 있습니다. 신분증과 같다면 그대로 진행하셔도 됩니다.",
    fixNumber: "번호를 다시 보겠습니다", numberIsRight: "신분증과 같습니다. QR 코드 만들기",
    poaHow: "위임하는 분이 서명(또는 도장)한 위임장을 창구에 가져오셔야 합니다. 아래 ‘위임장 PDF 만들기’로 이 내용이 채워진 A4 위임장을 인쇄해 서명받거나, 창구의 위임장 서식(별지 제9호서식)에 적어 오셔도 됩니다.",
    poaMake: "위임장 PDF 만들기 (인쇄용 A4)", poaReady: "위임장 PDF를 만들었습니다. 이 휴대전화 안에서만 만들어졌고 어디에도 보내지 않았습니다.",
    poaOpen: "위임장 PDF 열기·저장", poaBring: "위임하는 분의 신분증(사본 가능)과 창구에 오시는 분의 신분증을 함께 가져오세요.",
    atCounter: "창구에서", totalFee: "수수료 합계", bringId: "신분증 (주민등록증, 운전면허증, 여권 등)", steps: "창구에서 하는 일",
    stepsList: ["번호표를 뽑고 차례를 기다립니다.", "직원에게 이 QR 코드를 보여 줍니다.", "신분증과 준비한 서류를 냅니다.", "수수료를 내고 서류나 접수증을 받습니다."],
    restartQ: "입력한 내용과 QR 코드가 모두 지워집니다. 처음부터 다시 할까요?", restartYes: "지우고 처음부터", cancel: "취소",
    insecureOperator: "이 주소는 보안 연결(https) 없이 열려서 암호화된 QR 코드를 만들 수 없습니다. 시민의 잘못이 아닙니다. 창구 직원이나 담당 부서에 알려 주세요 (운영자: 이 사이트는 https로 게시해야 합니다).",
    paperForm: "지금은 민원실의 종이 신청서를 쓰시면 됩니다. 창구에서 같은 민원을 신청할 수 있습니다.",
  },
  en: {
    title: "Petition form", step: "Step", next: "다음", prev: "이전", make: "QR 코드 만들기",
    chooseTitle: "Choose your petitions", fillTitle: "Fill in the form", qrTitle: "Show this QR code at the counter",
    office: "Office", proxy: "대리인이 신청합니다 (applying on someone else's behalf)",
    proxyHint: "Leave unchecked when you apply for yourself.", search: "Find a petition", searchHint: "Everyday names work, e.g. 등본, 가족관계증명서, 인감, 전입, passport",
    noneChosen: "Choose at least one petition.", tooMany: `At most ${MAX_FORMS} petitions at once.`,
    noOffice: "Choose the office.", applicant: "신청인", delegate: "대리인",
    applicantProxy: "The person the petition is for.", delegateNote: "The person who comes to the counter.",
    name: "성명", rrn: "주민등록번호", birth: "생년월일", phone: "전화번호", email: "전자우편", address: "주소",
    postcode: "우편번호", road: "도로명주소", detail: "상세주소", relation: "관계", required: "required",
    relationHint: "Relation to the applicant (e.g. spouse, child, employee)", dateHint: "e.g. 2026-03-01",
    rrnHint: "13 digits (hyphen optional)", choose: "Choose", other: "Other (type it)",
    otherInput: "직접 입력", bring: "Bring", bringIdSelf: "ID card", fee: "Fee", processing: "Processing",
    free: "none", won: "won", errors: "Please correct", warnings: "Please check",
    brightness: "Turn the screen brightness up fully. The clerk reads it with a scanner.",
    parts: "The QR code has several parts: show them one after another (이전/다음).",
    save: "Save as image", edit: "Edit", restart: "Start over", validUntil: "Valid until",
    summary: "Summary", poa: "Power of attorney", poaText: "The principal entrusts the petitions below to the delegate above.",
    principal: "Principal", agent: "Delegate", tasks: "Entrusted petitions", sign: "(signature or seal)",
    proxyRefused: "cannot be applied for by a delegate", handwritten: "a QR-made power of attorney cannot be used",
    floor: "This browser cannot make the encrypted QR code",
    floorHelp: "Open it in a recent Chrome, Safari (iOS 14+) or Samsung Internet, or use the paper form at the counter.",
    loadFail: "The forms could not be loaded. Reload the page.",
    bigger: "Larger text", smaller: "Smaller text", lang: "한국어", making: "Making the QR code…",
    privacy: "Your personal data never leave this phone except encrypted inside the QR code, which only the office can open. Closing the page erases it.",
    formsChosen: "Chosen", proxyNeeds: "By proxy", qrAlt: "QR 코드",
    yes: "yes", no: "no", noPersonRrn: "Resident registration numbers are not shown in the summary.",
    frequent: "Most asked for", clearSearch: "Clear the search and show all",
    noMatch: "Nothing found for ‘{q}’. Try other words, e.g. 등본, 가족관계증명서, 인감, 전입, passport.",
    principalBlock: "Person giving the power of attorney (위임하는 분)", birthHint: "e.g. 1950-03-05 or 1950년 3월 5일", phoneHint: "e.g. 010-1234-5678",
    lookAgain: "Please compare the resident registration number with the ID card once more: it may be mistyped. If it matches the card, go on.",
    fixNumber: "Check the number", numberIsRight: "It matches the card: make the QR code",
    poaHow: "Bring a power of attorney signed (or sealed) by the person giving it. Print the filled A4 form below and have it signed, or use the office's form 9.",
    poaMake: "Make the power of attorney PDF (A4)", poaReady: "The PDF was made on this phone and sent nowhere.",
    poaOpen: "Open or save the PDF", poaBring: "위임하는 분의 신분증(사본 가능)과 창구에 오시는 분의 신분증을 함께 가져오세요.",
    atCounter: "At the counter", totalFee: "Total fee", bringId: "ID card", steps: "What happens",
    stepsList: ["Take a number and wait.", "Show this QR code to the clerk.", "Hand over your ID and documents.", "Pay the fee; receive the documents or a receipt."],
    restartQ: "Everything typed and the QR code will be erased. Start over?", restartYes: "Erase and start over", cancel: "Cancel",
    insecureOperator: "This address was opened without a secure connection (https), so the encrypted QR code cannot be made. It is not your fault: please tell the office (operator: publish the site over https).",
    paperForm: "Please use the paper form at the office counter.",
  },
};

const PERSON_MEMBERS = ["name", "rrn", "birth", "phone", "email", "address"];
const PERSON_TYPES = { name: "text", rrn: "rrn", birth: "date", phone: "phone", email: "email", address: "address", relation: "text" };
const IDENT_TYPES = new Set(["rrn", "frn", "brn", "crn"]);

const state = {
  lang: "ko", site: null, catalogue: null, forms: [], office: null, proxy: false, chosen: [],
  applicant: {}, delegate: {}, values: {}, touched: new Set(), texts: [], part: 0, doc: null,
  recipient: null, wakeLock: null, fontScale: 1,
};

const t = (k) => T[state.lang][k] ?? T.ko[k];
const app = () => document.getElementById("app");
let uid = 0;
const newId = (p) => `${p}-${++uid}`;

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

const label = (obj) => (state.lang === "en" && obj.label_en ? obj.label_en : obj.label_ko);
const title = (f) => (state.lang === "en" ? f.title_en : f.title_ko);
const formByKey = (key) => state.forms.find((f) => `${f.code}/${f.ver}` === key);

// -- start ------------------------------------------------------------------------------

async function start() {
  document.getElementById("bigger").addEventListener("click", () => setScale(state.fontScale + 0.15));
  document.getElementById("smaller").addEventListener("click", () => setScale(state.fontScale - 0.15));
  document.getElementById("lang").addEventListener("click", () => {
    state.lang = state.lang === "ko" ? "en" : "ko";
    document.documentElement.lang = state.lang;
    chrome();
    render();
  });
  chrome();
  const missing = await missingFeatures();
  if (missing.length) return floor(missing);
  try {
    const [site, catalogue] = await Promise.all([getJson("site.json"), getJson("catalogue.json")]);
    state.site = site;
    state.catalogue = catalogue;
    state.recipient = await importRecipient(pemToDer(site.keys[0].pem));
    const kid = [...state.recipient.kid].map((b) => b.toString(16).padStart(2, "0")).join("");
    if (kid !== site.keys[0].kid) throw new Error("kid mismatch");
  } catch (e) {
    app().replaceChildren(h("p", { class: "alert", role: "alert", text: t("loadFail") }));
    return;
  }
  // One entry per code, its newest version (older versions stay in the export for the counter).
  const newest = new Map();
  for (const f of state.catalogue.forms) newest.set(f.code, f);
  state.forms = [...newest.values()];
  const offices = state.site.offices;
  const wanted = new URLSearchParams(location.search).get("office") || new URLSearchParams(location.hash.slice(1)).get("office");
  state.office = offices.length === 1 ? offices[0].code : (offices.find((o) => o.code === wanted) || {}).code || null;
  state.officeFixed = offices.length === 1 || state.office !== null; // the URL named it
  state.step = "choose";
  history.replaceState({ mwStep: "choose", mwSession: SESSION }, "");
  document.body.dataset.deflate = nativeDeflateRaw() ? "native" : "fflate";
  render();
  performance.mark("mw-ready"); // bench/webform.py: the first step can be used
}

async function getJson(path) {
  const r = await fetch(path, { cache: "no-cache", credentials: "omit" });
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return r.json();
}

function chrome() {
  document.title = t("title");
  document.getElementById("site-title").textContent = (state.site && state.site.title_ko && state.lang === "ko") ? state.site.title_ko : t("title");
  document.getElementById("bigger").textContent = t("bigger");
  document.getElementById("smaller").textContent = t("smaller");
  document.getElementById("lang").textContent = t("lang");
  document.getElementById("privacy").textContent = t("privacy");
}

function setScale(s) {
  state.fontScale = Math.min(1.9, Math.max(0.85, s));
  document.documentElement.style.fontSize = `${Math.round(state.fontScale * 100)}%`;
}

function floor(missing) {
  const insecure = !window.isSecureContext;
  app().replaceChildren(h("section", { class: "alert", role: "alert" },
    h("h2", { text: t("floor") }),
    h("p", { text: insecure ? t("insecureOperator") : t("floorHelp") }),
    h("p", { text: t("paperForm") }),
    h("p", { class: "hint", text: `(${missing.join(", ")})` })));
}

function render() {
  if (!state.site) return;
  if (state.step === "choose") renderChoose();
  else if (state.step === "fill") renderFill();
  else renderQr();
  releaseWakeLockUnlessQr();
}

function stepHeading(n, text) {
  return h("h2", { id: "step-title", tabindex: "-1" }, h("span", { class: "stepno", text: `${n}/3 ` }), text);
}

function focusHeading() {
  const el = document.getElementById("step-title");
  if (el) el.focus();
  window.scrollTo(0, 0);
}

// -- step 1: choose --------------------------------------------------------------------

function refusal(form) {
  if (form.proxy.kind === "forbidden") return `${title(form)}: ${t("proxyRefused")}. ${state.lang === "en" ? form.proxy.reason_en : form.proxy.reason_ko}`;
  if (form.proxy.handwritten) return `${title(form)}: ${t("handwritten")}. ${state.lang === "en" ? form.proxy.reason_en : form.proxy.reason_ko}`;
  return null;
}

// The petitions most people come for, shown first ("자주 찾는 민원"), in this order.
const FREQUENT = ["RESIDENT_CERT_ISSUE", "FAMILY_CERT_ISSUE", "SEAL_CERT_ISSUE", "MOVE_IN_REPORT", "PASSPORT_ISSUE", "LOCAL_TAX_PAYMENT_CERT"];

/** Search text: NFC, lower case, no spaces (주민등록 등본 finds 주민등록등본). */
const searchKey = (s) => String(s).normalize("NFC").toLowerCase().replace(/\s+/gu, "");

function renderChoose() {
  const alertBox = h("div", { id: "choose-alert", class: "alert", role: "alert", tabindex: "-1", hidden: true });
  // The message shows beside the button that caused it, and comes into view there.
  const showAlert = (text) => {
    alertBox.textContent = text;
    alertBox.hidden = !text;
    if (text) { alertBox.scrollIntoView({ block: "center" }); alertBox.focus({ preventScroll: true }); }
  };
  const parts = [stepHeading(1, t("chooseTitle"))];
  const offices = state.site.offices;
  if (offices.length > 1 && state.officeFixed) {
    parts.push(h("p", { class: "notice", text: `${t("office")}: ${offices.find((o) => o.code === state.office).name}` }));
  } else if (offices.length > 1) {
    parts.push(h("fieldset", { class: "box", id: "office-box" }, h("legend", { text: t("office") }),
      offices.map((o) => {
        const id = newId("office");
        return h("div", { class: "choice" },
          h("input", { type: "radio", name: "office", id, value: o.code, checked: state.office === o.code,
            onchange: () => { state.office = o.code; showAlert(""); } }),
          h("label", { for: id, text: o.name }));
      })));
  }
  const proxyId = newId("proxy");
  const proxyHint = newId("hint");
  const proxyBox = h("input", { type: "checkbox", id: proxyId, checked: state.proxy, "aria-describedby": proxyHint });
  const proxyAlert = h("div", { class: "alert", role: "alert", hidden: true });
  parts.push(h("div", { class: "box proxy" },
    h("div", { class: "choice" }, proxyBox, h("label", { for: proxyId, text: t("proxy") })),
    h("p", { id: proxyHint, class: "hint", text: t("proxyHint") }), proxyAlert));
  const searchId = newId("search");
  const searchHintId = newId("hint");
  const search = h("input", { type: "search", id: searchId, autocomplete: "off", enterkeyhint: "search",
    "aria-describedby": searchHintId, "aria-controls": "catalogue" });
  const noMatch = h("div", { class: "notice nomatch", role: "status", "aria-live": "polite" });
  parts.push(h("div", { class: "field" }, h("label", { for: searchId, text: t("search") }),
    h("p", { class: "hint", id: searchHintId, text: t("searchHint") }), search, noMatch));

  const rows = [];
  const list = h("div", { class: "catalogue", id: "catalogue" });
  const makeRow = (f) => {
    const key = `${f.code}/${f.ver}`;
    const id = newId("form");
    const desc = newId("desc");
    const note = h("p", { class: "refused", id: newId("ref"), "aria-live": "polite", hidden: true });
    const box = h("input", { type: "checkbox", id, value: key, checked: state.chosen.includes(key),
      "aria-describedby": `${desc} ${note.id}` });
    box.addEventListener("change", () => {
      showAlert("");
      if (box.checked) {
        const why = state.proxy ? refusal(f) : null;
        if (why) { box.checked = false; note.textContent = why; note.hidden = false; return; }
        if (state.chosen.length >= MAX_FORMS) { box.checked = false; note.textContent = t("tooMany"); note.hidden = false; return; }
        state.chosen.push(key);
      } else {
        state.chosen = state.chosen.filter((k) => k !== key);
      }
      state.dirty = true;
    });
    const fee = f.fee_won ? `${f.fee_won.toLocaleString("ko-KR")}${t("won")}` : t("free");
    const row = h("div", { class: "choice form-choice" }, box,
      h("label", { for: id, text: title(f) }),
      h("p", { class: "hint", id: desc, text: `${t("fee")} ${fee} · ${state.lang === "en" ? f.processing_en : f.processing_ko}` }),
      note);
    row.dataset.search = searchKey([f.title_ko, f.title_en, f.category, f.code, ...(f.aliases || [])].join("\u0000"));
    rows.push({ row, form: f, note });
    return row;
  };
  const frequent = FREQUENT.map((code) => state.forms.find((f) => f.code === code)).filter(Boolean);
  if (frequent.length) {
    list.append(h("fieldset", { class: "category frequent" }, h("legend", { text: t("frequent") }), frequent.map(makeRow)));
  }
  const byCategory = new Map();
  for (const f of state.forms) {
    if (frequent.includes(f)) continue;
    const cat = f.category || "기타";
    if (!byCategory.has(cat)) byCategory.set(cat, []);
    byCategory.get(cat).push(f);
  }
  for (const [cat, forms] of [...byCategory.entries()].sort((a, b) => a[0].localeCompare(b[0], "ko"))) {
    list.append(h("fieldset", { class: "category" }, h("legend", { text: cat }),
      forms.sort((a, b) => a.title_ko.localeCompare(b.title_ko, "ko")).map(makeRow)));
  }
  parts.push(list);
  const filter = () => {
    const q = searchKey(search.value);
    let shown = 0;
    for (const { row } of rows) {
      row.hidden = !!q && !row.dataset.search.split("\u0000").some((w) => w.includes(q));
      if (!row.hidden) shown++;
    }
    for (const g of list.children) g.hidden = [...g.querySelectorAll(".form-choice")].every((r) => r.hidden);
    if (q && !shown) {
      noMatch.replaceChildren(h("p", { text: t("noMatch").replace("{q}", search.value.trim()) }),
        h("button", { type: "button", onclick: () => { search.value = ""; filter(); search.focus(); } }, t("clearSearch")));
    } else {
      noMatch.replaceChildren();
    }
  };
  search.addEventListener("input", filter);
  const markRefusals = () => {
    for (const { form, note } of rows) {
      const why = state.proxy ? refusal(form) : null;
      note.textContent = why || "";
      note.hidden = !why;
    }
  };
  markRefusals();
  proxyBox.addEventListener("change", () => {
    state.proxy = proxyBox.checked;
    state.dirty = true;
    proxyAlert.hidden = true;
    markRefusals();
    if (!state.proxy) return;
    const refused = [];
    for (const key of [...state.chosen]) {
      const why = refusal(formByKey(key));
      if (why) { refused.push(why); state.chosen = state.chosen.filter((k) => k !== key); }
    }
    for (const { row } of rows) {
      const box = row.querySelector("input");
      if (!state.chosen.includes(box.value)) box.checked = false;
    }
    if (refused.length) { proxyAlert.textContent = refused.join("\n"); proxyAlert.hidden = false; }
  });
  parts.push(alertBox, h("div", { class: "actions" }, h("button", { type: "button", class: "primary", id: "to-fill", onclick: () => {
    if (!state.office) return showAlert(t("noOffice"));
    if (!state.chosen.length) return showAlert(t("noneChosen"));
    go("fill");
  } }, t("next"))));
  app().replaceChildren(...parts.filter(Boolean));
}

// -- step 2: fill ------------------------------------------------------------------------

/** Typed text -> the value the document carries (the validators see exactly this): the
 *  canonical form the counter also makes (decoding/canonical.py). */
function normalise(type, raw) {
  if (typeof raw !== "string") return raw;
  if (IDENT_TYPES.has(type) || type === "postcode") {
    return raw.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\s\-－‐‑–]/g, "");
  }
  if (type === "phone") return canonicalPhone(raw);
  if (type === "date") return canonicalDate(raw);
  return canonicalText(raw, type === "longtext");
}

function chosenForms() {
  return state.chosen.map(formByKey).filter(Boolean);
}

/** What the chosen forms ask of a person: only these are asked (name always; relation for a
 *  delegate; the birth date only when the resident number, which gives it, is not asked). */
function personAsked(role) {
  const used = new Set(["name"]);
  for (const f of chosenForms()) {
    for (const fd of fieldsOf(f)) if (fd.source && fd.source.startsWith(`${role}.`)) used.add(fd.source.split(".")[1]);
  }
  if (role === "delegate") used.add("relation");
  if (used.has("rrn")) used.delete("birth");
  const order = role === "delegate" ? [...PERSON_MEMBERS, "relation"] : PERSON_MEMBERS;
  return order.filter((m) => used.has(m));
}

function personUsage(role) {
  const need = new Set(["name"]);
  for (const f of chosenForms()) {
    for (const fd of fieldsOf(f)) {
      if (fd.source && fd.source.startsWith(`${role}.`) && (fd.required || fd.required_if)) need.add(fd.source.split(".")[1]);
    }
  }
  return need;
}

const findingEls = new Map(); // key -> {msg element, inputs}

/** The "필수" mark, outside the label so that the input's name is the catalogue's label alone. */
function reqMark(required) {
  return required ? h("span", { class: "req", "aria-hidden": "true", text: t("required") }) : null;
}

function fieldShell(key, labelText, control, { required, hint, inputId }) {
  const msgId = `${inputId}-msg`;
  const hintEl = hint ? h("p", { class: "hint", id: `${inputId}-hint`, text: hint }) : null;
  const msg = h("p", { class: "finding", id: msgId, "aria-live": "polite" });
  control.setAttribute("aria-describedby", [hintEl && hintEl.id, msgId].filter(Boolean).join(" "));
  if (required) { control.setAttribute("required", ""); control.setAttribute("aria-required", "true"); }
  findingEls.set(key, { msg, controls: [control] });
  return h("div", { class: "field" },
    h("div", { class: "label-row" }, h("label", { for: inputId, text: labelText }), reqMark(required)),
    hintEl, control, msg);
}

function textInput(type, id, value, onValue) {
  const attrs = { id, value: value ?? "", autocomplete: "off" };
  if (type === "phone") Object.assign(attrs, { type: "tel", inputmode: "tel" });
  else if (type === "email") Object.assign(attrs, { type: "email", inputmode: "email" });
  else if (IDENT_TYPES.has(type) || type === "postcode") Object.assign(attrs, { type: "text", inputmode: "numeric" });
  else if (type === "date") Object.assign(attrs, { type: "text", inputmode: "numeric", placeholder: "YYYY-MM-DD" });
  else attrs.type = "text";
  const el = h("input", attrs);
  el.addEventListener("input", () => onValue(el.value, false));
  el.addEventListener("blur", () => onValue(el.value, true));
  return el;
}

function addressGroup(key, legendText, value, required, onValue) {
  const v = value || {};
  const msg = h("p", { class: "finding", id: newId("msg"), "aria-live": "polite" });
  const mk = (member, text, mode) => {
    const id = newId("addr");
    const input = h("input", { type: "text", id, value: v[member] ?? "", autocomplete: "off", inputmode: mode || null,
      "aria-describedby": msg.id });
    const update = (final) => { v[member] = input.value; onValue({ ...v }, final); };
    input.addEventListener("input", () => update(false));
    input.addEventListener("blur", () => update(true));
    return [h("div", { class: "field sub" }, h("label", { for: id, text }), input), input];
  };
  const [pc, pcIn] = mk("postcode", t("postcode"), "numeric");
  const [rd, rdIn] = mk("road", t("road"));
  const [dt, dtIn] = mk("detail", t("detail"));
  findingEls.set(key, { msg, controls: [pcIn, rdIn, dtIn] });
  return h("fieldset", { class: "address", "aria-describedby": msg.id },
    h("legend", { text: legendText }), reqMark(required),
    pc, rd, dt, msg);
}

function personBlock(role) {
  const person = state[role];
  const need = personUsage(role);
  const asked = personAsked(role);
  const legend = role === "delegate" ? t("delegate") : state.proxy ? t("principalBlock") : t("applicant");
  const note = role === "delegate" ? t("delegateNote") : state.proxy ? t("applicantProxy") : "";
  const children = [h("legend", { text: legend }), note ? h("p", { class: "hint", text: note }) : null];
  for (const m of asked) {
    const key = `${role}.${m}`;
    const required = need.has(m) || m === "name" || m === "relation";
    const setter = (raw, final) => {
      if (m === "address") {
        const a = {};
        for (const k of ["postcode", "road", "detail"]) if (raw[k] && raw[k].trim()) a[k] = k === "postcode" ? normalise("postcode", raw[k]) : normalise("text", raw[k]);
        if (Object.keys(a).length) person.address = a; else delete person.address;
      } else {
        const v = normalise(PERSON_TYPES[m], raw);
        if (typeof v === "string" && !v.trim()) delete person[m]; else person[m] = v;
      }
      edited();
      if (final) state.touched.add(key);
      liveCheck();
    };
    if (m === "address") {
      children.push(addressGroup(key, t("address"), person.address, required, setter));
      continue;
    }
    const id = newId(role);
    const hint = m === "rrn" ? t("rrnHint") : m === "birth" ? t("birthHint") : m === "relation" ? t("relationHint") : m === "phone" ? t("phoneHint") : null;
    const input = textInput(PERSON_TYPES[m] === "text" ? "text" : PERSON_TYPES[m], id, person[m], setter);
    if (m === "birth") input.setAttribute("placeholder", "");
    children.push(fieldShell(key, t(m), input, { required, hint, inputId: id }));
  }
  return h("fieldset", { class: "person box", id: `person-${role}` }, ...children);
}

function formFieldControl(form, fd) {
  const values = state.values[`${form.code}/${form.ver}`] ||= {};
  const key = `${form.code}/${form.ver}:${fd.id}`;
  const required = fd.required;
  const set = (v, final) => {
    edited();
    if (v === undefined || (typeof v === "string" && !v.trim()) || (Array.isArray(v) && !v.length)) delete values[fd.id];
    else values[fd.id] = v;
    if (final !== false) state.touched.add(key);
    liveCheck();
    renderAttachments(form);
  };
  const hint = state.lang === "en" ? fd.help_en || fd.help_ko : fd.help_ko;
  const id = newId("f");
  const cur = values[fd.id];
  switch (fd.type) {
    case "longtext": {
      const el = h("textarea", { id, rows: 5 });
      el.value = cur ?? "";
      el.addEventListener("input", () => set(normalise("longtext", el.value), false));
      el.addEventListener("blur", () => set(normalise("longtext", el.value), true));
      return fieldShell(key, label(fd), el, { required, hint, inputId: id });
    }
    case "integer": case "money": case "decimal": {
      const el = h("input", { type: "number", id, inputmode: fd.type === "decimal" ? "decimal" : "numeric",
        step: fd.type === "decimal" ? "any" : "1", min: fd.min ?? (fd.type === "money" ? 0 : null), max: fd.max, value: cur ?? "" });
      const read = (final) => {
        const s = el.value.trim();
        if (!s) return set(undefined, final);
        const n = Number(s);
        set(Number.isFinite(n) ? n : s, final);
      };
      el.addEventListener("input", () => read(false));
      el.addEventListener("blur", () => read(true));
      return fieldShell(key, label(fd), el, { required, hint, inputId: id });
    }
    case "boolean": {
      const el = h("input", { type: "checkbox", id, checked: cur === true });
      if (values[fd.id] === undefined) values[fd.id] = false;
      const msg = h("p", { class: "finding", id: `${id}-msg`, "aria-live": "polite" });
      el.setAttribute("aria-describedby", msg.id);
      findingEls.set(key, { msg, controls: [el] });
      el.addEventListener("change", () => set(el.checked, true));
      return h("div", { class: "field choice" }, el, h("label", { for: id, text: label(fd) }),
        hint ? h("p", { class: "hint", text: hint }) : null, msg);
    }
    case "choice": {
      const useRadios = fd.choices.length <= 4 && !fd.allow_other;
      if (useRadios) {
        const msg = h("p", { class: "finding", id: newId("msg"), "aria-live": "polite" });
        const name = newId("radio");
        const radios = fd.choices.map((c) => {
          const rid = newId("r");
          const r = h("input", { type: "radio", name, id: rid, value: c, checked: cur === c });
          r.addEventListener("change", () => set(c, true));
          return [h("div", { class: "choice" }, r, h("label", { for: rid, text: c })), r];
        });
        findingEls.set(key, { msg, controls: radios.map((x) => x[1]) });
        return h("fieldset", { class: "field radios", "aria-describedby": msg.id },
          h("legend", { text: label(fd) }), reqMark(required),
          hint ? h("p", { class: "hint", text: hint }) : null, radios.map((x) => x[0]), msg);
      }
      const sel = h("select", { id }, h("option", { value: "", text: t("choose") }),
        fd.choices.map((c) => h("option", { value: c, text: c, selected: cur === c })),
        fd.allow_other ? h("option", { value: "__other__", text: t("other"), selected: cur !== undefined && !fd.choices.includes(cur) }) : null);
      const otherId = newId("other");
      const other = fd.allow_other ? h("input", { type: "text", id: otherId, value: cur !== undefined && !fd.choices.includes(cur) ? cur : "" }) : null;
      const otherWrap = other ? h("div", { class: "field sub", hidden: !(cur !== undefined && !fd.choices.includes(cur)) },
        h("label", { for: otherId, text: `${label(fd)} ${t("otherInput")}` }), other) : null;
      const read = (final) => {
        if (sel.value === "__other__") { otherWrap.hidden = false; set(normalise("text", other.value), final); }
        else { if (otherWrap) otherWrap.hidden = true; set(sel.value || undefined, final); }
      };
      sel.addEventListener("change", () => read(true));
      if (other) { other.addEventListener("input", () => read(false)); other.addEventListener("blur", () => read(true)); }
      const shell = fieldShell(key, label(fd), sel, { required, hint, inputId: id });
      if (otherWrap) shell.insertBefore(otherWrap, shell.lastChild);
      return shell;
    }
    case "multichoice": {
      const msg = h("p", { class: "finding", id: newId("msg"), "aria-live": "polite" });
      const chosen = new Set(Array.isArray(cur) ? cur : []);
      const boxes = [];
      const otherId = newId("other");
      const otherVal = [...chosen].find((c) => !fd.choices.includes(c)) || "";
      const other = fd.allow_other ? h("input", { type: "text", id: otherId, value: otherVal }) : null;
      const read = (final) => {
        const v = boxes.filter((b) => b.checked).map((b) => b.value);
        if (other && other.value.trim()) v.push(normalise("text", other.value));
        set(v, final);
      };
      const items = fd.choices.map((c) => {
        const cid = newId("c");
        const b = h("input", { type: "checkbox", id: cid, value: c, checked: chosen.has(c) });
        b.addEventListener("change", () => read(true));
        boxes.push(b);
        return h("div", { class: "choice" }, b, h("label", { for: cid, text: c }));
      });
      if (other) { other.addEventListener("input", () => read(false)); other.addEventListener("blur", () => read(true)); }
      findingEls.set(key, { msg, controls: [...boxes, other].filter(Boolean) });
      return h("fieldset", { class: "field checks", "aria-describedby": msg.id },
        h("legend", { text: label(fd) }), reqMark(required),
        hint ? h("p", { class: "hint", text: hint }) : null, items,
        other ? h("div", { class: "field sub" }, h("label", { for: otherId, text: `${label(fd)} ${t("otherInput")}` }), other) : null, msg);
    }
    case "address": {
      return addressGroup(key, label(fd), cur, required, (v, final) => {
        const a = {};
        for (const k of ["postcode", "road", "detail"]) if (v[k] && v[k].trim()) a[k] = normalise(k === "postcode" ? "postcode" : "text", v[k]);
        set(Object.keys(a).length ? a : undefined, final);
      });
    }
    default: {
      const el = textInput(fd.type, id, cur, (raw, final) => set(normalise(fd.type, raw), final));
      const h2 = fd.type === "date" ? (hint || t("dateHint")) : IDENT_TYPES.has(fd.type) && !hint ? t("rrnHint").replace("13", fd.type === "brn" ? "10" : "13") : hint;
      return fieldShell(key, label(fd), el, { required, hint: h2, inputId: id });
    }
  }
}

function attachmentItems(form) {
  const values = state.values[`${form.code}/${form.ver}`] || {};
  const items = [];
  for (const a of form.attachments) {
    const on = a.required || (a.when && conditionHolds(a.when, values));
    const name = state.lang === "en" ? a.name_en : a.name_ko;
    // A document only a proxy application needs is not listed for a self-application.
    const forProxy = /위임|대리/.test(`${a.name_ko} ${a.condition_ko || ""}`);
    if (forProxy && !state.proxy) continue;
    if (on) items.push(h("li", { text: name }));
    else if (!a.when) items.push(h("li", { text: `${name} (${state.lang === "en" ? a.condition_en || a.condition_ko : a.condition_ko})` }));
  }
  if (state.proxy && form.proxy.needs_ko) items.push(h("li", { text: `${t("proxyNeeds")}: ${state.lang === "en" ? form.proxy.needs_en || form.proxy.needs_ko : form.proxy.needs_ko}` }));
  if (!items.length) items.push(h("li", { text: t("bringIdSelf") }));
  return items;
}

function renderAttachments(form) {
  const ul = document.getElementById(`bring-${form.code}`);
  if (ul) ul.replaceChildren(...attachmentItems(form));
}

function formBlock(form) {
  const children = [h("legend", { text: title(form) })];
  const fee = form.fee_won ? `${form.fee_won.toLocaleString("ko-KR")}${t("won")}` : t("free");
  children.push(h("p", { class: "hint", text: `${t("fee")} ${fee}${form.fee_note_ko ? ` (${form.fee_note_ko})` : ""} · ${t("processing")} ${state.lang === "en" ? form.processing_en : form.processing_ko}` }));
  const msg = h("p", { class: "finding", id: newId("msg"), "aria-live": "polite" });
  findingEls.set(`${form.code}/${form.ver}:delegate`, { msg, controls: [] });
  children.push(msg);
  for (const s of form.sections) {
    const own = s.fields.filter((fd) => !fd.source);
    if (!own.length) continue;
    children.push(h("h3", { text: state.lang === "en" ? s.title_en : s.title_ko }));
    for (const fd of own) children.push(formFieldControl(form, fd));
  }
  const bringId = newId("bring");
  children.push(h("h3", { id: bringId, text: t("bring") }),
    h("ul", { id: `bring-${form.code}`, class: "bring", "aria-labelledby": bringId }, attachmentItems(form)));
  return h("fieldset", { class: "form box" }, ...children);
}

function renderFill() {
  findingEls.clear();
  const summary = h("div", { id: "error-summary", class: "alert", role: "alert", tabindex: "-1", hidden: true });
  const parts = [stepHeading(2, t("fillTitle")), summary, personBlock("applicant")];
  if (state.proxy) parts.push(personBlock("delegate"));
  for (const f of chosenForms()) parts.push(formBlock(f));
  // The power of attorney derived from the same data, shown before the QR is made.
  if (state.proxy) parts.push(h("div", { id: "poa-preview" }));
  // Questions about the button press show here, where the finger is.
  parts.push(h("div", { id: "make-alert", class: "alert", role: "alert", tabindex: "-1", hidden: true }));
  parts.push(h("div", { class: "actions" },
    h("button", { type: "button", onclick: () => go("choose") }, t("prev")),
    h("button", { type: "button", class: "primary", id: "make", onclick: () => makeQr() }, t("make"))));
  app().replaceChildren(...parts.filter(Boolean));
  liveCheck();
}

/** The document's persons as the counter will read them: only what the chosen forms ask,
 *  the birth date taken from the resident number when that is given. */
function persons() {
  const pick = (role) => {
    const src = state[role];
    const out = {};
    for (const m of personAsked(role)) if (src[m] !== undefined) out[m] = src[m];
    if (out.name === undefined) out.name = "";
    const born = out.rrn ? rrnBirthDate(out.rrn) : null;
    if (born) out.birth = born;
    return out;
  };
  return { applicant: pick("applicant"), delegate: state.proxy ? pick("delegate") : null };
}

function formFields(form) {
  const values = state.values[`${form.code}/${form.ver}`] || {};
  const out = {};
  for (const fd of fieldsOf(form)) {
    if (fd.source) continue;
    const v = values[fd.id];
    if (v === undefined || (fd.type !== "boolean" && isEmpty(v))) continue;
    out[fd.id] = v;
  }
  return out;
}

/** Every finding, keyed to where it shows. */
function allFindings() {
  const { applicant, delegate } = persons();
  const out = [];
  for (const [role, p] of [["applicant", applicant], ["delegate", delegate]]) {
    if (!p) continue;
    const bad = personSchemaProblem(p, role);
    if (bad) {
      const member = bad.member.split(".")[1];
      out.push({ key: `${role}.${member}`, severity: "error",
        message_ko: `${t(member) || member}: ${bad.message_ko}`, message_en: `${member}: ${bad.message_en}` });
    }
    for (const w of personWarnings(role, p)) out.push({ key: `${role}.birth`, ...w });
  }
  for (const form of chosenForms()) {
    const fk = `${form.code}/${form.ver}`;
    for (const f of validateFields(form, formFields(form), applicant, delegate)) {
      const fd = fieldsOf(form).find((x) => x.id === f.field);
      let key = `${fk}:${f.field}`;
      if (fd && fd.source) key = fd.source;
      if (f.field === "delegate") key = `${fk}:delegate`;
      const finding = { key, severity: f.severity, message_ko: f.message_ko, message_en: f.message_en, form: title(form) };
      // A resident number that fails the check digit: plain words, and a question before the QR.
      if (fd && IDENT_TYPES.has(fd.type) && f.severity === "warning") {
        Object.assign(finding, { lookAgain: true, message_ko: T.ko.lookAgain, message_en: T.en.lookAgain, form: null });
      }
      out.push(finding);
    }
  }
  return out;
}

function refreshPoaPreview() {
  const holder = document.getElementById("poa-preview");
  if (!holder) return;
  const { applicant, delegate } = persons();
  holder.replaceChildren(powerOfAttorney({ applicant, delegate, iat: Math.floor(Date.now() / 1000) }));
}

function liveCheck(all = false) {
  refreshPoaPreview();
  const findings = allFindings();
  const byKey = new Map();
  for (const f of findings) {
    if (!byKey.has(f.key)) byKey.set(f.key, []);
    byKey.get(f.key).push(f);
  }
  for (const [key, { msg, controls }] of findingEls) {
    const fs = (all || state.touched.has(key) || key.endsWith(":delegate")) ? byKey.get(key) || [] : [];
    const err = fs.some((f) => f.severity === "error");
    // One message a field: the first error (the schema and the form say the same thing twice).
    const shown = err ? [fs.find((f) => f.severity === "error")] : fs;
    const uniq = [...new Set(shown.map((f) => (state.lang === "en" ? f.message_en : f.message_ko)))];
    msg.textContent = uniq.join(" / ");
    msg.className = `finding ${err ? "error" : fs.length ? "warning" : ""}`;
    for (const c of controls) c.setAttribute("aria-invalid", err ? "true" : "false");
  }
  return findings;
}

async function makeQr(confirmed = false) {
  performance.mark("mw-make");
  const findings = liveCheck(true);
  const errors = findings.filter((f) => f.severity === "error");
  const summary = document.getElementById("error-summary");
  const ask = document.getElementById("make-alert");
  ask.hidden = true;
  if (errors.length) {
    const seen = new Set();
    const items = [];
    for (const f of errors) {
      const text = state.lang === "en" ? f.message_en : f.message_ko;
      if (seen.has(f.key)) continue;
      seen.add(f.key);
      const target = findingEls.get(f.key);
      const control = target && target.controls[0];
      items.push(h("li", {}, control ? h("a", { href: `#${control.id}`, onclick: (e) => { e.preventDefault(); control.focus(); } }, ("form" in f && f.form ? `[${f.form}] ` : "") + text) : text));
    }
    summary.replaceChildren(h("h3", { text: `${t("errors")} (${items.length})` }), h("ul", {}, items));
    summary.hidden = false;
    summary.focus();
    return;
  }
  summary.hidden = true;
  const doubtful = findings.find((f) => "lookAgain" in f && f.lookAgain);
  if (doubtful && !confirmed) {
    const control = (findingEls.get(doubtful.key) || { controls: [] }).controls[0];
    ask.replaceChildren(h("p", { text: t("lookAgain") }),
      h("div", { class: "actions" },
        h("button", { type: "button", onclick: () => { ask.hidden = true; if (control) control.focus(); } }, t("fixNumber")),
        h("button", { type: "button", class: "primary", onclick: () => makeQr(true) }, t("numberIsRight"))));
    ask.hidden = false;
    ask.scrollIntoView({ block: "center" });
    ask.focus({ preventScroll: true });
    return;
  }
  const button = /** @type {HTMLButtonElement} */ (document.getElementById("make"));
  button.disabled = true;
  button.textContent = t("making");
  try {
    const { applicant, delegate } = persons();
    const iat = Math.floor(Date.now() / 1000);
    const doc = { v: 1, id: newPayloadId(), iat, exp: iat + state.site.lifetime_seconds, office: state.office, applicant };
    if (delegate) doc.delegate = delegate;
    doc.forms = chosenForms().map((f) => ({ code: f.code, ver: f.ver, fields: formFields(f) }));
    // An old low-density screen cannot show version 20 at 4 pixels a module: smaller parts.
    const screenPx = Math.min(document.documentElement.clientWidth - 16, 720) * Math.max(1, window.devicePixelRatio || 1);
    state.texts = await encodeDocument(doc, state.recipient, null, maxCharsFor(screenPx), state.catalogue.codebook);
    state.doc = doc;
    state.part = 0;
    go("qr");
  } catch (e) {
    summary.replaceChildren(h("p", { text: `${t("floor")}: ${e.message}` }));
    summary.hidden = false;
    button.disabled = false;
    button.textContent = t("make");
  }
}

// -- step 3: the QR -------------------------------------------------------------------------

function fmtValue(fd, v) {
  if (v === true) return t("yes");
  if (v === false) return t("no");
  if (Array.isArray(v)) return v.join(", ");
  if (v && typeof v === "object") return [v.postcode && `(${v.postcode})`, v.road, v.detail].filter(Boolean).join(" ");
  return String(v);
}

function kst(ts) {
  const d = new Date((ts + 9 * 3600) * 1000);
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** 2026년 12월 7일 (Korean time). */
function koreanDate(ts) {
  const d = new Date((ts + 9 * 3600) * 1000);
  return `${d.getUTCFullYear()}년 ${d.getUTCMonth() + 1}월 ${d.getUTCDate()}일`;
}

/** What the printable 위임장 shows: the same data as the QR, the RRN never (birth date only). */
function poaData(doc) {
  const person = (p) => ({ name: p.name, birth: p.birth ? koreanDate(Date.parse(`${p.birth}T00:00:00Z`) / 1000 - 9 * 3600) : "",
    address: p.address ? fmtValue(null, p.address) : "", phone: p.phone || "", relation: p.relation || "" });
  return {
    principal: person(doc.applicant), agent: person(doc.delegate),
    tasks: chosenForms().filter((f) => !refusal(f)).map((f) => f.title_ko),
    date: koreanDate(doc.iat), notes: [T.ko.poaBring],
  };
}

async function offerPoaPdf(holder, doc) {
  const { powerOfAttorneyPdf } = await import("./poa.js");
  const blob = await powerOfAttorneyPdf(poaData(doc));
  if (state.poaUrl) URL.revokeObjectURL(state.poaUrl);
  state.poaUrl = URL.createObjectURL(blob);
  const link = h("a", { href: state.poaUrl, download: "위임장.pdf", id: "poa-pdf", class: "button-link", target: "_blank", rel: "noopener" }, t("poaOpen"));
  holder.replaceChildren(h("p", { text: t("poaReady") }), link);
  link.focus();
}

function powerOfAttorney(doc, printable = false) {
  const forms = chosenForms();
  const tasks = forms.filter((f) => !refusal(f));
  const refused = forms.map(refusal).filter(Boolean);
  const who = (p, agent) => h("dl", {},
    h("dt", { text: t("name") }), h("dd", { text: p.name }),
    p.birth ? [h("dt", { text: t("birth") }), h("dd", { text: p.birth })] : null,
    p.phone ? [h("dt", { text: t("phone") }), h("dd", { text: p.phone })] : null,
    p.address ? [h("dt", { text: t("address") }), h("dd", { text: fmtValue(null, p.address) })] : null,
    agent ? [h("dt", { text: t("relation") }), h("dd", { text: p.relation })] : null);
  const pdfHolder = h("div", { class: "poa-pdf", "aria-live": "polite" });
  if (printable) {
    pdfHolder.append(h("button", { type: "button", id: "poa-make", onclick: () => offerPoaPdf(pdfHolder, doc) }, t("poaMake")));
  }
  return h("section", { class: "box poa", id: "poa", "aria-labelledby": "poa-title" },
    h("h3", { id: "poa-title", text: state.lang === "en" ? `${t("poa")} (위임장)` : "위임장" }),
    h("p", { class: "notice", text: t("poaHow") }),
    h("h4", { text: t("principal") }), who(doc.applicant, false),
    h("h4", { text: t("agent") }), who(doc.delegate, true),
    h("p", { text: t("poaText") }),
    h("h4", { text: t("tasks") }), h("ol", {}, tasks.map((f) => h("li", { text: title(f) }))),
    refused.length ? h("ul", { class: "refused" }, refused.map((r) => h("li", { text: r }))) : null,
    h("p", { text: `${kst(doc.iat).slice(0, 10)} ${t("principal")} ${doc.applicant.name} ${t("sign")}` }),
    pdfHolder);
}

/** The fee a petition costs: the form's fee times the copies asked (통수), when it has that field. */
function feeOf(form) {
  const fields = formFields(form);
  const copies = Number.isInteger(fields.copies) && fields.copies > 0 ? fields.copies : 1;
  return (form.fee_won || 0) * copies;
}

function renderQr() {
  const doc = state.doc;
  const n = state.texts.length;
  const figure = h("figure", { class: "qr" });
  const showPart = (i) => {
    state.part = i;
    const width = Math.min(document.documentElement.clientWidth - 16, 720);
    const { url, cssSize } = qrDataUrl(state.texts[i], width);
    const img = h("img", { src: url, alt: `${t("qrAlt")} ${i + 1}/${n}`, class: "qr-img", width: cssSize, height: cssSize });
    const counter = h("p", { class: "part-no", "aria-hidden": n > 1 ? null : "true", text: `${i + 1}/${n}` });
    const nav = n > 1 ? h("div", { class: "part-nav" },
      h("button", { type: "button", disabled: i === 0, onclick: () => showPart(i - 1) }, t("prev")),
      h("button", { type: "button", class: "primary", disabled: i === n - 1, onclick: () => showPart(i + 1) }, t("next"))) : null;
    figure.replaceChildren(...[n > 1 ? counter : null, img, nav].filter(Boolean));
  };
  const forms = chosenForms();
  const total = forms.reduce((s, f) => s + feeOf(f), 0);
  const summary = h("section", { class: "box summary", "aria-labelledby": "sum-title" },
    h("h3", { id: "sum-title", text: t("summary") }),
    h("p", {}, `${state.proxy ? t("principalBlock") : t("applicant")}: ${doc.applicant.name}`, doc.delegate ? ` · ${t("delegate")}: ${doc.delegate.name} (${doc.delegate.relation})` : ""),
    forms.map((f) => {
      const fields = formFields(f);
      const rows = fieldsOf(f).filter((fd) => fd.id in fields && !IDENT_TYPES.has(fd.type))
        .map((fd) => [h("dt", { text: label(fd) }), h("dd", { text: fmtValue(fd, fields[fd.id]) })]);
      const fee = feeOf(f);
      return h("div", { class: "sum-form" }, h("h4", { text: title(f) }), h("dl", {}, rows,
        h("dt", { text: t("fee") }), h("dd", { text: fee ? `${fee.toLocaleString("ko-KR")}${t("won")}` : t("free") })));
    }),
    h("p", { class: "hint", text: t("noPersonRrn") }),
    h("p", { text: `${t("validUntil")}: ${kst(doc.exp)}` }));
  const bring = [...new Set([t("bringId"), ...forms.flatMap((f) => attachmentItems(f).map((li) => li.textContent))])];
  const atCounter = h("section", { class: "box", "aria-labelledby": "counter-title" },
    h("h3", { id: "counter-title", text: t("atCounter") }),
    h("p", { class: "total", id: "total-fee" }, `${t("totalFee")}: `, h("strong", { text: total ? `${total.toLocaleString("ko-KR")}${t("won")}` : t("free") })),
    h("h4", { text: t("bring") }), h("ul", { class: "bring", id: "bring-all" }, bring.map((b) => h("li", { text: b }))),
    h("h4", { text: t("steps") }), h("ol", {}, t("stepsList").map((s) => h("li", { text: s }))));
  // The QR first: in the first screen at any text size, the notices after it.
  const parts = [stepHeading(3, t("qrTitle")), figure,
    h("p", { class: "notice", text: t("brightness") }),
    n > 1 ? h("p", { class: "notice", text: t("parts") }) : null, atCounter];
  if (doc.delegate) parts.push(powerOfAttorney(doc, true));
  const confirmBox = h("div", { class: "alert", id: "restart-confirm", role: "alertdialog", "aria-labelledby": "restart-q", hidden: true },
    h("p", { id: "restart-q", text: t("restartQ") }),
    h("div", { class: "actions" },
      h("button", { type: "button", onclick: () => { confirmBox.hidden = true; } }, t("cancel")),
      h("button", { type: "button", class: "primary", onclick: restart }, t("restartYes"))));
  parts.push(summary, h("div", { class: "actions" },
    h("button", { type: "button", onclick: saveImages }, t("save")),
    h("button", { type: "button", onclick: () => go("fill") }, t("edit")),
    h("button", { type: "button", onclick: () => { confirmBox.hidden = false; confirmBox.scrollIntoView({ block: "center" }); confirmBox.querySelector("button").focus(); } }, t("restart"))),
  confirmBox);
  app().replaceChildren(...parts.filter(Boolean));
  showPart(state.part);
  performance.mark("mw-qr");
  keepScreenOn();
}

/** One PNG per part, saved on the phone only (the citizen asked for it): for a petition
 *  filled at home, shown from the photo gallery at the counter. */
function saveImages() {
  const n = state.texts.length;
  state.texts.forEach((text, i) => {
    setTimeout(() => {
      const { url } = qrDataUrl(text, 720);
      const a = h("a", { href: url, download: `minwon-qr-${i + 1}-of-${n}.png` });
      document.body.append(a);
      a.click();
      a.remove();
    }, i * 400);
  });
}

function restart() {
  if (state.poaUrl) URL.revokeObjectURL(state.poaUrl);
  Object.assign(state, { proxy: false, chosen: [], applicant: {}, delegate: {}, values: {}, touched: new Set(), texts: [], doc: null, part: 0, dirty: false, poaUrl: null });
  go("choose");
}

// -- the steps in the browser's history ---------------------------------------------------------
//
// Each step is a history entry (no data in it, nor in the URL: the data stay in this page's
// memory), so Back goes back a step and Forward comes again. A reload or leaving the site
// would lose what was typed: the browser asks first.

// Tells this page load's history entries from an earlier one's (after a reload); not a
// secret, and it must work where the floor message has to show (no WebCrypto).
const SESSION = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/** The step a history entry may show with the data the page holds. */
function reachable(step) {
  if (step !== "choose" && !state.chosen.length) return "choose";
  if (step === "qr" && !state.doc) return "fill";
  return step;
}

function go(step, push = true) {
  state.step = reachable(step);
  if (push) history.pushState({ mwStep: state.step, mwSession: SESSION }, "");
  render();
  focusHeading();
}

/** Something was typed or chosen: a QR made earlier no longer shows it. */
function edited() {
  state.dirty = true;
  state.doc = null;
}

window.addEventListener("popstate", (e) => {
  if (!state.site) return;
  const entry = e.state && e.state.mwSession === SESSION ? e.state.mwStep : "choose";
  const step = reachable(entry || "choose");
  if (step !== entry) history.replaceState({ mwStep: step, mwSession: SESSION }, "");
  go(step, false);
});

window.addEventListener("beforeunload", (e) => {
  if (!state.dirty) return;
  e.preventDefault();
  e.returnValue = ""; // older engines need a value to ask
});

async function keepScreenOn() {
  try {
    if ("wakeLock" in navigator && !state.wakeLock) {
      state.wakeLock = await navigator.wakeLock.request("screen");
      state.wakeLock.addEventListener("release", () => { state.wakeLock = null; });
    }
  } catch { /* not granted: the hint to keep the screen on stays */ }
}

function releaseWakeLockUnlessQr() {
  if (state.step !== "qr" && state.wakeLock) { state.wakeLock.release(); state.wakeLock = null; }
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && state.step === "qr") keepScreenOn();
});

export { state, normalise, isCalendarDate, pyStrip, validateValue };
start();
