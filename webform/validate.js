// @ts-check
// The counter's field validators, mirrored for the citizen's phone.
//
// This file follows decoding/forms/identifiers.py, validators.py, validation.py
// and the person checks of decoding/document.py line by line: a petition this
// page accepts must never be refused at the counter for a field reason. The
// shared cases (decoding/forms/shared_cases.py, run by tests/validators.test.mjs)
// hold both sides to the same verdicts. Python semantics are kept on purpose:
// lengths count code points, digits are ASCII 0-9 only (the counter refuses
// full-width and other scripts' digits), `strip()` uses Python's white space, and
// text with control or bidi characters is refused as decoding/text.py does.

import { DEFAULT_MAX_LENGTH, MAX_NAME, MAX_PERSON_TEXT, MAX_RELATION } from "./limits.js";
const ND = /^[0-9]$/;

/** Python's str.isspace() set (what str.strip() removes). */
const PY_SPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
  0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
  0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

export const chars = (s) => Array.from(s);
export const pyLen = (s) => chars(s).length;
export function pyStrip(s) {
  const c = chars(s);
  let a = 0;
  let b = c.length;
  while (a < b && PY_SPACE.has(c[a].codePointAt(0))) a++;
  while (b > a && PY_SPACE.has(c[b - 1].codePointAt(0))) b--;
  return c.slice(a, b).join("");
}
const isDigit = (ch) => ND.test(ch);
/** The value of a Unicode decimal digit (as Python's int() reads it). */
function digitValue(ch) {
  let cp = ch.codePointAt(0);
  let start = cp;
  while (ND.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}
const allDigits = (s, n) => {
  const c = chars(s);
  return (n === undefined ? c.length > 0 : c.length === n) && c.every(isDigit);
};
const digits = (s) => chars(s).map(digitValue);

function err(ko, en) {
  return [{ severity: "error", message_ko: ko, message_en: en }];
}
function warn(ko, en) {
  return [{ severity: "warning", message_ko: ko, message_en: en }];
}

// -- identifiers.py ---------------------------------------------------------

const CENTURY = { 9: [1800, false], 0: [1800, false], 1: [1900, false], 2: [1900, false],
  3: [2000, false], 4: [2000, false], 5: [1900, true], 6: [1900, true], 7: [2000, true],
  8: [2000, true] };
const RRN_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];

function realDate(y, m, d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

/** The century entry of the 7th character itself (Python looks the character up). */
function centuryOf(s) {
  const c = chars(s)[6];
  return c !== undefined && /^[0-9]$/.test(c) ? CENTURY[c] : null;
}

function birthOk(s) {
  const [century] = centuryOf(s);
  const d = digits(s);
  return realDate(century + d[0] * 10 + d[1], d[2] * 10 + d[3], d[4] * 10 + d[5]);
}

/** The birth date (YYYY-MM-DD) a 13-digit RRN encodes, or null. */
export function rrnBirthDate(rrn) {
  const s = rrn.replaceAll("-", "");
  if (!allDigits(s, 13)) return null;
  const c = centuryOf(s);
  if (!c) return null;
  const d = digits(s);
  const y = c[0] + d[0] * 10 + d[1];
  const m = d[2] * 10 + d[3];
  const day = d[4] * 10 + d[5];
  if (!realDate(y, m, day)) return null;
  const p = (n, w) => String(n).padStart(w, "0");
  return `${p(y, 4)}-${p(m, 2)}-${p(day, 2)}`;
}

const weightedSum = (d) => RRN_WEIGHTS.reduce((s, w, i) => s + d[i] * w, 0);
const mod = (a, n) => ((a % n) + n) % n;

function thirteen(value, whatKo, whatEn) {
  if (!allDigits(value, 13)) {
    return err(`${whatKo}는 하이픈 없는 숫자 13자리입니다`, `${whatEn} must be 13 digits without hyphen`);
  }
  if (!centuryOf(value)) return err(`${whatKo} 7번째 자리가 올바르지 않습니다`, `${whatEn}: bad 7th digit`);
  if (!birthOk(value)) {
    return err(`${whatKo} 앞 6자리가 실제 생년월일이 아닙니다`,
      `${whatEn}: the first 6 digits are not a real birth date`);
  }
  return [];
}

export function checkRrn(value) {
  const problems = thirteen(value, "주민등록번호", "Resident registration number");
  if (problems.length) return problems;
  const d = digits(value);
  if (centuryOf(value)[1]) return checkFrn(value);
  if (mod(11 - mod(weightedSum(d), 11), 10) !== d[12]) {
    return warn(
      "주민등록번호 검증번호가 옛 규칙과 맞지 않습니다. 2020년 10월 이후 발급된 번호일 수 " +
        "있으니 신분증과 대조해 주세요.",
      "The number fails the legacy check digit; it may be one issued since 2020-10. " +
        "Compare it with the ID card.");
  }
  return [];
}

export function checkFrn(value) {
  const problems = thirteen(value, "외국인등록번호", "Foreigner registration number");
  if (problems.length) return problems;
  const d = digits(value);
  if (!centuryOf(value)[1]) {
    return err("외국인등록번호의 7번째 자리는 5~8입니다",
      "The 7th digit of a foreigner registration number is 5 to 8");
  }
  const checksum = mod(mod(11 - mod(weightedSum(d), 11), 10) + 2, 10) === d[12];
  const legacy = (d[7] * 10 + d[8]) % 2 === 0 && "6789".includes(chars(value)[11]) && checksum;
  if (!legacy) {
    return warn("외국인등록번호가 옛 검증 규칙과 맞지 않습니다. 외국인등록증과 대조해 주세요.",
      "The number fails the legacy foreigner check; compare it with the residence card.");
  }
  return [];
}

export function checkBrn(value) {
  if (!allDigits(value, 10)) {
    return err("사업자등록번호는 하이픈 없는 숫자 10자리입니다",
      "Business registration number must be 10 digits without hyphens");
  }
  const c = chars(value);
  if (c[3] === "0" && c[4] === "0") {
    return err("사업자등록번호 가운데 두 자리가 00일 수 없습니다", "Middle digits cannot be 00");
  }
  const d = digits(value);
  const w = [1, 3, 7, 1, 3, 7, 1, 3, 5];
  let s = w.reduce((a, x, i) => a + d[i] * x, 0);
  s += Math.floor((d[8] * 5) / 10);
  if (mod(10 - (s % 10), 10) !== d[9]) {
    return err("사업자등록번호의 검증번호가 맞지 않습니다. 사업자등록증과 대조해 주세요.",
      "The business registration number fails its check digit; compare it with the certificate.");
  }
  return [];
}

export function checkCrn(value) {
  if (!allDigits(value, 13)) {
    return err("법인등록번호는 하이픈 없는 숫자 13자리입니다",
      "Corporate registration number must be 13 digits without hyphens");
  }
  const d = digits(value);
  let s = 0;
  for (let i = 0; i < 12; i++) s += d[i] * (i % 2 === 0 ? 1 : 2);
  if (mod(10 - (s % 10), 10) !== d[12]) {
    return err("법인등록번호의 검증번호가 맞지 않습니다. 법인 등기사항증명서와 대조해 주세요.",
      "The corporate registration number fails its check digit; compare it with the corporate register.");
  }
  return [];
}

const AREA = new Set(["031", "032", "033", "041", "042", "043", "044", "051", "052", "053",
  "054", "055", "061", "062", "063", "064"]);

function phoneShapeOk(s) {
  const n = pyLen(s);
  const c = chars(s);
  const head = (k) => c.slice(0, k).join("");
  if (s.startsWith("010")) return n === 11;
  if (s.startsWith("02")) return (n === 9 || n === 10) && c[2] !== "0";
  if (AREA.has(head(3))) return (n === 10 || n === 11) && c[3] !== "0";
  if (s.startsWith("070")) return n === 11;
  if (s.startsWith("080")) return n === 10;
  if (s.startsWith("050")) return n === 11 || n === 12;
  if (["15", "16", "18"].includes(head(2))) return n === 8;
  return false;
}

export function checkPhone(value) {
  const groups = value.split("-");
  const shape = groups.length <= 3 && groups.every((g) => allDigits(g));
  if (!shape) {
    return err("전화번호는 숫자와 하이픈(-)으로 적어 주세요 (예: 010-1234-5678)",
      "Write the phone number with digits and hyphens (e.g. 010-1234-5678)");
  }
  if (!phoneShapeOk(value.replaceAll("-", ""))) {
    return err("국내 전화번호 형식이 아닙니다 (예: 010-1234-5678, 02-123-4567)",
      "Not a Korean phone number (e.g. 010-1234-5678, 02-123-4567)");
  }
  return [];
}

export function checkPostcode(value) {
  const c = chars(value);
  const old = (c.length === 6 && c.every(isDigit)) ||
    (c.length === 7 && c[3] === "-" && [...c.slice(0, 3), ...c.slice(4)].every(isDigit));
  if (old) {
    return err("옛 6자리 우편번호는 2015년 8월부터 쓰지 않습니다. 5자리 우편번호를 적어 주세요.",
      "6-digit postcodes ended in August 2015; use the 5-digit postcode.");
  }
  if (!allDigits(value, 5)) return err("우편번호는 숫자 5자리입니다", "The postcode is 5 digits");
  return [];
}

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$/;

export function checkEmail(value) {
  if (pyLen(value) > 254 || !EMAIL.test(value) || value.includes("..")) {
    return err("전자우편 주소 형식이 아닙니다 (예: name@example.kr)",
      "Not an e-mail address (e.g. name@example.kr)");
  }
  return [];
}

const MAIL_ORDER_NO = /^제 ?[0-9]{4}-[가-힣A-Za-z0-9]+-[0-9]{4,5} ?호$/u;

export function checkMailOrderNo(value) {
  const text = pyStrip(value);
  if (!text || pyLen(text) > 50 || chars(text).some((c) => c.codePointAt(0) < 32)) {
    return err("통신판매업 신고번호를 50자 이내로 적어 주세요",
      "Write the mail-order report number in at most 50 characters");
  }
  // Python's \s (str pattern) is any Unicode white space; JS \s differs slightly, so
  // replace the optional spaces by the Python set before matching.
  const t = chars(text).map((c) => (PY_SPACE.has(c.codePointAt(0)) ? " " : c)).join("");
  if (!MAIL_ORDER_NO.test(t)) {
    return warn("통신판매업 신고번호가 흔한 형식(제2023-서울서초-0647호)과 다릅니다. 신고증과 대조해 주세요.",
      "The mail-order number differs from the usual shape (제2023-서울서초-0647호); compare it with the certificate.");
  }
  return [];
}

// -- validators.py ------------------------------------------------------------

export { DEFAULT_MAX_LENGTH };

const isStr = (v) => typeof v === "string";
const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

// JSON cannot tell 1 from 1.0: a whole number is an integer on both sides (the page
// never writes 1.0, and the shared cases leave such values out).

// decoding/text.py: C0/C1 controls, bidi formatting characters, line/paragraph separators
// and lone surrogates are refused; `hasVisible` is its has_visible.
const CONTROL = /^[\p{Cc}\p{Cs}\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]$/u;
const VISIBLE = /[^\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zs}\p{Zl}\p{Zp}\p{Mn}\p{Me}\u115f\u1160\u3164\uffa0\u2800\u180e]/u;
export const hasVisible = (value) => VISIBLE.test(value);

function textOk(value, multiline) {
  return !chars(value).some((c) => CONTROL.test(c) && !(multiline && (c === "\n" || c === "\t")));
}

function text(fd, value, multiline = false) {
  if (!isStr(value)) return err("글자로 적어야 합니다", "must be text");
  const limit = fd.max_length || DEFAULT_MAX_LENGTH[multiline ? "longtext" : "text"];
  if (pyLen(value) > limit) return err(`${limit}자 이내로 적어 주세요`, `at most ${limit} characters`);
  if (!textOk(value, multiline)) return err("쓸 수 없는 제어 문자가 있습니다", "contains control characters");
  return [];
}

/** Python's "%g" for the limits a form file holds. */
export function fmtG(x) {
  if (x === 0) return "0";
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 6) {
    const [m, e] = x.toExponential(5).split("e");
    const mant = m.includes(".") ? m.replace(/0+$/, "").replace(/\.$/, "") : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  const s = x.toPrecision(6);
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

function range(fd, n) {
  if (fd.min !== null && fd.min !== undefined && n < fd.min) {
    return err(`${fmtG(fd.min)} 이상이어야 합니다`, `must be at least ${fmtG(fd.min)}`);
  }
  if (fd.max !== null && fd.max !== undefined && n > fd.max) {
    return err(`${fmtG(fd.max)} 이하여야 합니다`, `must be at most ${fmtG(fd.max)}`);
  }
  return [];
}

function isPyInt(v) {
  return typeof v === "number" && Number.isInteger(v);
}

const VALIDATORS = {
  text: (fd, v) => text(fd, v),
  longtext: (fd, v) => text(fd, v, true),
  integer(fd, v) {
    if (!isPyInt(v)) return err("정수여야 합니다", "must be a whole number");
    return range(fd, v);
  },
  decimal(fd, v) {
    if (typeof v !== "number" || !Number.isFinite(v)) return err("숫자여야 합니다", "must be a number");
    return range(fd, v);
  },
  money(fd, v) {
    if (!isPyInt(v) || v < 0) return err("금액은 0 이상의 원 단위 정수입니다", "an amount is whole won, 0 or more");
    return range(fd, v);
  },
  boolean(fd, v) {
    return typeof v === "boolean" ? [] : err("예/아니요 값이어야 합니다", "must be true or false");
  },
  date(fd, v) {
    if (!isStr(v) || !isCalendarDate(v)) return err("실제 날짜를 YYYY-MM-DD로 적어 주세요", "must be a real date YYYY-MM-DD");
    const y = Number(v.slice(0, 4));
    if (y < 1800 || y > 2200) return err("연도가 올바르지 않습니다", "implausible year");
    return [];
  },
  choice(fd, v) {
    if (!isStr(v)) return err("항목 중 하나를 골라야 합니다", "must be one of the choices");
    if (fd.choices.includes(v)) return [];
    if (fd.allow_other && pyStrip(v)) return text(fd, v);
    return err(`다음 중 하나여야 합니다: ${fd.choices.join(", ")}`, `must be one of: ${fd.choices.join(", ")}`);
  },
  multichoice(fd, v) {
    if (!Array.isArray(v) || !v.every(isStr)) return err("항목 목록(배열)이어야 합니다", "must be a list of choices");
    if (new Set(v).size !== v.length) return err("같은 항목이 두 번 있습니다", "a choice is repeated");
    for (const item of v) {
      const p = VALIDATORS.choice(fd, item);
      if (p.length) return p;
    }
    return [];
  },
  phone: strCheck(checkPhone),
  email: strCheck(checkEmail),
  postcode: strCheck(checkPostcode),
  address(fd, v) {
    if (!isObj(v)) return err("주소는 우편번호·도로명주소·상세주소로 적어야 합니다", "an address has postcode, road and detail");
    const unknown = Object.keys(v).filter((k) => !["postcode", "road", "detail"].includes(k)).sort();
    if (unknown.length) {
      return err(`주소에 알 수 없는 항목이 있습니다: ${unknown.join(", ")}`, `unknown address member(s): ${unknown.join(", ")}`);
    }
    const { postcode, road } = v;
    const detail = "detail" in v ? v.detail : "";
    if (!isStr(postcode)) return err("주소의 우편번호가 없습니다", "the address has no postcode");
    const p = checkPostcode(postcode);
    if (p.length) return p;
    if (!isStr(road) || !pyStrip(road)) return err("도로명주소가 없습니다", "the road address is missing");
    if (!isStr(detail)) return err("상세주소는 글자로 적어야 합니다", "the address detail must be text");
    if (pyLen(road) > MAX_PERSON_TEXT || pyLen(detail) > MAX_PERSON_TEXT) return err(`주소가 너무 깁니다 (각 ${MAX_PERSON_TEXT}자 이내)`, `address parts are limited to ${MAX_PERSON_TEXT} characters`);
    if (!(textOk(road, false) && textOk(detail, false))) return err("주소에 제어 문자가 있습니다", "the address contains control characters");
    return [];
  },
  rrn: strCheck(checkRrn),
  frn: strCheck(checkFrn),
  brn: strCheck(checkBrn),
  crn: strCheck(checkCrn),
  mail_order_no: strCheck(checkMailOrderNo),
};

function strCheck(check) {
  return (fd, v) => (isStr(v) ? check(v) : err("글자로 적어야 합니다", "must be text"));
}

export function isCalendarDate(s) {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  return !!m && realDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** No answer: missing, null, blank text or an empty list/object. */
export function isEmpty(v) {
  return v === null || v === undefined ||
    (isStr(v) && !pyStrip(v)) ||
    (Array.isArray(v) && v.length === 0) ||
    (isObj(v) && !(v instanceof Number) && Object.keys(v).length === 0);
}

/** The problems of `value` as a value of field `fd` (not counting absence). */
export function validateValue(fd, value) {
  return VALIDATORS[fd.type](fd, value);
}

// -- validation.py ---------------------------------------------------------------

const PERSON_KO = { applicant: "신청인", delegate: "대리인" };

function pyEquals(a, b) {
  if (typeof a !== typeof b) return false;
  if (typeof a === "number") return a === b && isPyInt(a) === isPyInt(b);
  return a === b;
}

export function conditionHolds(cond, fields) {
  const value = fields[cond.field];
  if (Array.isArray(value)) return value.some((x) => pyEquals(x, cond.equals));
  return value !== undefined && pyEquals(value, cond.equals);
}

export function personValue(person, member) {
  if (!person) return null;
  if (member === "address") {
    const a = person.address;
    if (!a) return null;
    const out = {};
    for (const k of ["postcode", "road", "detail"]) if (a[k] !== undefined && a[k] !== null) out[k] = a[k];
    return out;
  }
  if (member === "relation" && person.__role === "applicant") return null;
  const v = person[member];
  return v === undefined ? null : v;
}

export function fieldsOf(form) {
  return form.sections.flatMap((s) => s.fields);
}

/** The form's own values, the rest filled from applicant/delegate. */
export function mergeFields(form, fields, applicant, delegate) {
  const people = { applicant, delegate };
  const merged = {};
  for (const fd of fieldsOf(form)) {
    if (Object.prototype.hasOwnProperty.call(fields, fd.id) && !isEmpty(fields[fd.id])) {
      merged[fd.id] = fields[fd.id];
    } else if (fd.source) {
      const [who, member] = fd.source.split(".");
      const v = personValue(people[who], member);
      if (!isEmpty(v)) merged[fd.id] = v;
    }
  }
  return merged;
}

/** Findings for one form's values, exactly as the counter makes them. */
export function validateFields(form, fields, applicant, delegate = null) {
  const code = form.code;
  const findings = [];
  const app = applicant ? { ...applicant, __role: "applicant" } : null;
  const merged = mergeFields(form, fields, app, delegate);
  for (const fd of fieldsOf(form)) {
    const who = fd.source ? fd.source.split(".")[0] : null;
    if (who === "delegate" && !delegate && !(fd.id in merged)) continue;
    const required = fd.required || !!(fd.required_if && conditionHolds(fd.required_if, merged));
    const value = fd.id in merged ? merged[fd.id] : null;
    const ko = fd.label_ko;
    const en = fd.label_en;
    if (value === null) {
      if (required) {
        if (fd.source) {
          findings.push({ form: code, field: fd.id, severity: "error",
            message_ko: `${ko}: 필수 항목입니다 (${PERSON_KO[who]} 정보 ${fd.source}에서 채웁니다)`,
            message_en: `${en}: required (filled from ${fd.source})` });
        } else {
          findings.push({ form: code, field: fd.id, severity: "error",
            message_ko: `${ko}: 필수 항목입니다`, message_en: `${en}: required` });
        }
      }
      continue;
    }
    for (const p of validateValue(fd, value)) {
      findings.push({ form: code, field: fd.id, severity: p.severity,
        message_ko: `${ko}: ${p.message_ko}`, message_en: `${en}: ${p.message_en}` });
    }
  }
  const known = new Set(fieldsOf(form).map((f) => f.id));
  for (const extra of Object.keys(fields).filter((k) => !known.has(k)).sort()) {
    findings.push({ form: code, field: extra, severity: "warning",
      message_ko: `서식 '${form.title_ko}'에 없는 항목이라 무시합니다`,
      message_en: `not a field of form ${code} ver ${form.ver}; ignored` });
  }
  if (delegate) findings.push(...proxyFindings(form));
  return findings;
}

export function proxyFindings(form) {
  const rule = form.proxy;
  const code = form.code;
  if (rule.kind === "forbidden") {
    return [{ form: code, field: "delegate", severity: "error",
      message_ko: `${form.title_ko}은(는) 대리 신청을 할 수 없습니다: ${rule.reason_ko}`,
      message_en: `${form.title_en} cannot be applied for by a delegate: ${rule.reason_en}` }];
  }
  if (rule.handwritten) {
    return [{ form: code, field: "delegate", severity: "warning",
      message_ko: `${form.title_ko}: QR로 만든 위임장은 쓸 수 없습니다. ${rule.reason_ko}`,
      message_en: `${form.title_en}: a QR-made power of attorney cannot be used. ${rule.reason_en}` }];
  }
  if (rule.kind === "restricted") {
    return [{ form: code, field: "delegate", severity: "warning",
      message_ko: `${form.title_ko}: 대리 신청 제한 — ${rule.needs_ko}`,
      message_en: `${form.title_en}: restricted proxy — ${rule.needs_en || rule.needs_ko}` }];
  }
  return [];
}

/** The birth date and RRN disagree (a warning at the counter). */
export function personWarnings(role, person) {
  if (!person || !person.rrn || !person.birth) return [];
  const born = rrnBirthDate(person.rrn);
  if (born !== null && born !== person.birth) {
    return [{ form: "", field: `${role}.birth`, severity: "warning",
      message_ko: `${PERSON_KO[role]}의 생년월일과 주민등록번호 앞자리가 다릅니다`,
      message_en: `the ${role}'s birth date differs from the resident registration number` }];
  }
  return [];
}

// -- document.py: the person schema (MW_SCHEMA) ----------------------------------

/** The member the document schema refuses (e.g. "applicant.rrn"), with why; or null. */
export function personSchemaProblem(person, role) {
  const p = `${role}.`;
  const bad = (member, ko, en) => ({ member: p + member, message_ko: ko, message_en: en });
  if (!isObj(person)) return { member: role, message_ko: "객체여야 합니다", message_en: "must be an object" };
  if (!("name" in person)) return bad("name", "필수 항목이 없습니다", "required member missing");
  for (const k of ["name", "rrn", "birth", "phone", "email", "relation"]) {
    if (k in person && !isStr(person[k])) return bad(k, "문자열이어야 합니다", "must be a string");
  }
  for (const k of ["name", "rrn", "birth", "phone", "email", "relation"]) {
    if (k in person && !textOk(person[k], false)) return bad(k, "쓸 수 없는 제어 문자가 있습니다", "contains control or bidi characters");
    if (k in person && pyLen(person[k]) > MAX_PERSON_TEXT) return bad(k, `${MAX_PERSON_TEXT}자 이내여야 합니다`, `at most ${MAX_PERSON_TEXT} characters`);
  }
  const n = pyLen(person.name);
  if (n < 1 || n > MAX_NAME || !pyStrip(person.name)) return bad("name", `이름은 1~${MAX_NAME}자입니다`, `name must be 1 to ${MAX_NAME} characters`);
  if (!hasVisible(person.name)) {
    return bad("name", "이름에 보이는 글자가 없습니다 (공백·보이지 않는 문자뿐)",
      "the name has no visible character (only spaces, zero-width or bidi marks)");
  }
  if ("rrn" in person && !allDigits(person.rrn, 13)) {
    return bad("rrn", "주민등록번호는 하이픈 없는 숫자 13자리입니다", "resident registration number must be 13 digits without hyphen");
  }
  if ("birth" in person && !isCalendarDate(person.birth)) return bad("birth", "실제 날짜(YYYY-MM-DD)여야 합니다", "must be a real date YYYY-MM-DD");
  if ("phone" in person && !/^[0-9-]+$/.test(person.phone)) {
    return bad("phone", "숫자와 하이픈만 쓸 수 있습니다", "digits and hyphens only");
  }
  if ("address" in person) {
    const a = person.address;
    if (!isObj(a)) return bad("address", "객체여야 합니다", "must be an object");
    for (const k of ["postcode", "road", "detail"]) {
      if (k in a && !isStr(a[k])) return bad(`address.${k}`, "문자열이어야 합니다", "must be a string");
      if (k in a && !textOk(a[k], false)) return bad(`address.${k}`, "쓸 수 없는 제어 문자가 있습니다", "contains control or bidi characters");
      if (k in a && pyLen(a[k]) > MAX_PERSON_TEXT) return bad(`address.${k}`, `${MAX_PERSON_TEXT}자 이내여야 합니다`, `at most ${MAX_PERSON_TEXT} characters`);
    }
    if ("postcode" in a && !allDigits(a.postcode, 5)) return bad("address.postcode", "우편번호는 숫자 5자리입니다", "postcode must be 5 digits");
  }
  if (role === "delegate") {
    if (!("relation" in person)) return bad("relation", "필수 항목이 없습니다", "required member missing");
    if (!hasVisible(person.relation)) return bad("relation", "대리인의 관계가 비어 있습니다", "delegate relation is empty");
    if (pyLen(person.relation) > MAX_RELATION) return bad("relation", `관계는 ${MAX_RELATION}자 이내입니다`, `relation must be at most ${MAX_RELATION} characters`);
  }
  return null;
}

// -- decoding/canonical.py: one canonical form for what was typed ------------------------

const PY_INLINE = (c) => PY_SPACE.has(c.codePointAt(0)) && c !== "\n" && c !== "\r";
const FULLWIDTH_DIGIT = /[０-９]/g;
const DASHES = /[\uff0d\u2010\u2011\u2012\u2013\u2014\u2212]/g;

function collapseInline(line) {
  // Python's isspace() set, not JS's \s (which adds U+FEFF and lacks U+001C-U+001F).
  let out = "";
  let inSpace = false;
  for (const c of chars(line)) {
    if (PY_INLINE(c)) { if (!inSpace) out += " "; inSpace = true; } else { out += c; inSpace = false; }
  }
  return out;
}

/** NFC, trimmed, inner runs of white space one space; `multiline` keeps line breaks. */
export function canonicalText(value, multiline = false) {
  const text = value.normalize("NFC");
  if (!multiline) return pyStrip(collapseInline(text.replaceAll("\n", " ").replaceAll("\r", " ")));
  const lines = text.replace(/\r\n?|[\u2028\u2029\x85]/g, "\n").split("\n").map((l) => pyStrip(collapseInline(l)));
  const out = [];
  for (const line of lines) if (line || (out.length && out[out.length - 1])) out.push(line);
  return out.join("\n").replace(/^\n+|\n+$/g, "");
}

const asciiDigits = (s) => s.replace(FULLWIDTH_DIGIT, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(DASHES, "-");
const AREA3 = new Set([...AREA, "070"]);

function groupPhone(d) {
  const n = d.length;
  if (d.startsWith("02") && (n === 9 || n === 10)) return `02-${d.slice(2, n - 4)}-${d.slice(-4)}`;
  if (d.startsWith("010") && n === 11) return `010-${d.slice(3, 7)}-${d.slice(7)}`;
  if (AREA3.has(d.slice(0, 3)) && (n === 10 || n === 11)) return `${d.slice(0, 3)}-${d.slice(3, n - 4)}-${d.slice(-4)}`;
  if (d.startsWith("080") && n === 10) return `080-${d.slice(3, 6)}-${d.slice(6)}`;
  if (d.startsWith("050") && (n === 11 || n === 12)) return `${d.slice(0, 4)}-${d.slice(4, n - 4)}-${d.slice(-4)}`;
  if (["15", "16", "18"].includes(d.slice(0, 2)) && n === 8) return `${d.slice(0, 4)}-${d.slice(4)}`;
  return null;
}

/** 010-1234-5678 from 01012345678, 010.1234.5678, (010)1234-5678, +82 10-1234-5678, …; else as typed (trimmed). */
export function canonicalPhone(value) {
  const text = canonicalText(value);
  const s = asciiDigits(text);
  if (!/^[0-9+()\-. ]+$/.test(s) || s.split("+").length > 2 || s.slice(1).includes("+")) return text;
  let d = s.replace(/[^0-9]/g, "");
  if (s.startsWith("+")) {
    if (!d.startsWith("82")) return text;
    d = d.slice(2);
    if (!d.startsWith("0")) d = `0${d}`;
  }
  return groupPhone(d) ?? text;
}

const YMD = /^([0-9]{2}|[0-9]{4}) ?[.\-/년] ?([0-9]{1,2}) ?[.\-/월] ?([0-9]{1,2}) ?[.일]?$/u;
const COMPACT = /^([0-9]{4})([0-9]{2})([0-9]{2})$/;

/** YYYY-MM-DD from 1950-03-05, 1950.3.5, 1950. 3. 5., 1950년 3월 5일, 19500305, 50.3.5
 *  (a two-digit year: the latest such day not after today); else as typed (trimmed). */
export function canonicalDate(value, today = new Date()) {
  const text = canonicalText(value);
  const s = asciiDigits(text);
  const m = YMD.exec(s) || COMPACT.exec(s);
  if (!m) return text;
  let y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (m[1].length === 2) {
    const key = (a, b, c) => a * 10000 + b * 100 + c;
    y += key(2000 + y, mo, d) <= key(today.getFullYear(), today.getMonth() + 1, today.getDate()) ? 2000 : 1900;
  }
  if (!realDate(y, mo, d)) return text;
  const p = (n, w) => String(n).padStart(w, "0");
  return `${p(y, 4)}-${p(mo, 2)}-${p(d, 2)}`;
}
