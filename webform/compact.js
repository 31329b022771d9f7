// @ts-check
// The schema-aware coding of a petition document, MW1 version 2 (docs/payload-v2.md, section 4):
// the phone's twin of decoding/compact.py. Members, fields, forms and choices by their index
// in the catalogue version's codebook (the site's catalogue.json "codebook", written by
// `counter-app web build` from resources/catalogue-versions/), dates as day numbers, digits as
// binary numbers, the id as its 16 bytes; whatever does not fit its coding goes as JSON text.

const enc = new TextEncoder();
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_DICTIONARY = 32768;
const DAY_MS = 86400000;
const EPOCH_MS = Date.UTC(1900, 0, 1);
const DIGIT_BYTES = { 5: 3, 10: 5, 13: 6 };
const NIBBLE = "0123456789-";

const DOCUMENT = [["v", "one"], ["id", "id16"], ["iat", "uint"], ["exp", "after_iat"], ["office", "text"],
  ["applicant", "person"], ["delegate", "person"], ["forms", "forms"]];
const PERSON = [["name", "text"], ["rrn", "digits13"], ["birth", "date"], ["phone", "phone"], ["email", "text"],
  ["address", "address"], ["relation", "text"]];
const ADDRESS = [["postcode", "digits5"], ["road", "text"], ["detail", "text"]];

export function uint(n) {
  const out = [];
  while (n >= 128) { out.push((n % 128) + 128); n = Math.floor(n / 128); }
  out.push(n);
  return out;
}

/** Zigzag (0, -1, 1, -2 ... as 0, 1, 2, 3 ...) then uint; beyond 2^52 in BigInt, which is exact. */
function zigzag(v) {
  if (Math.abs(v) < 2 ** 52) return uint(v >= 0 ? v * 2 : -v * 2 - 1);
  const b = BigInt(v);
  let z = b >= BigInt(0) ? b * BigInt(2) : -b * BigInt(2) - BigInt(1);
  const out = [];
  while (z >= BigInt(128)) { out.push(Number(z % BigInt(128)) + 128); z /= BigInt(128); }
  out.push(Number(z));
  return out;
}

/** A string UTF-8 can carry: no lone surrogate (TextEncoder would silently replace it). */
function isText(v) {
  if (typeof v !== "string") return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = v.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

const text = (v) => { const b = enc.encode(v); const out = uint(b.length); add(out, b); return out; };
const json = (v) => text(JSON.stringify(v));
const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);
// Appends without spreading into arguments (engines cap those near 65,536).
const add = (out, items) => { for (const x of items) out.push(x); };
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isInt = (v, low = -MAX_SAFE) => Number.isSafeInteger(v) && v >= low;

function choice(v, choices) {
  if (!isText(v)) return null;
  const i = choices.indexOf(v);
  return i >= 0 ? uint(i + 1) : [0].concat(text(v));
}

function id16(v) {
  if (typeof v !== "string" || !/^[A-Za-z0-9_-]{22}$/.test(v)) return null;
  const bin = atob(v.replaceAll("-", "+").replaceAll("_", "/") + "==");
  const bytes = Array.from(bin, (c) => c.charCodeAt(0));
  const back = btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return bytes.length === 16 && back === v ? bytes : null;
}

function date(v) {
  const m = typeof v === "string" && /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(v);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  const days = Math.round((t - EPOCH_MS) / DAY_MS);
  return days >= 0 && days <= 0xffff ? [days >> 8, days & 0xff] : null;
}

function phone(v) {
  if (typeof v !== "string" || !/^[0-9-]*$/.test(v)) return null;
  const nibbles = Array.from(v, (c) => NIBBLE.indexOf(c));
  if (nibbles.length % 2) nibbles.push(15);
  const out = uint(v.length);
  for (let i = 0; i < nibbles.length; i += 2) out.push(nibbles[i] * 16 + nibbles[i + 1]);
  return out;
}

function digits(v, n) {
  if (typeof v !== "string" || !new RegExp(`^[0-9]{${n}}$`).test(v)) return null;
  let x = Number(v);
  const out = new Array(DIGIT_BYTES[n]).fill(0);
  for (let i = out.length - 1; i >= 0; i--) { out[i] = x % 256; x = Math.floor(x / 256); }
  return out;
}

class Writer {
  constructor(book) {
    this.book = book;
    this.index = new Map(book.forms.map((f, i) => [`${f.code}\u0000${f.ver}`, i]));
  }

  /** The coding of `v`, or null when it does not fit (it then goes as JSON). */
  typed(coding, v, choices, ctx) {
    switch (coding) {
      case "one": return v === 1 ? [] : null;
      case "id16": return id16(v);
      case "uint": return isInt(v, 0) ? uint(v) : null;
      case "after_iat": return has(ctx, "iat") && isInt(v) && v - ctx.iat >= 0 ? uint(v - ctx.iat) : null;
      case "text": return isText(v) ? text(v) : null;
      case "int": return isInt(v) ? zigzag(v) : null;
      case "number": return typeof v === "number" && Number.isFinite(v) ? text(JSON.stringify(v)) : null;
      case "bool": return typeof v === "boolean" ? [v ? 1 : 0] : null;
      case "date": return date(v);
      case "choice": return choice(v, choices);
      case "choices": {
        if (!Array.isArray(v)) return null;
        const items = v.map((x) => choice(x, choices));
        if (items.includes(null)) return null;
        const out = uint(items.length);
        for (const item of items) add(out, item);
        return out;
      }
      case "phone": return phone(v);
      case "digits5": return digits(v, 5);
      case "digits10": return digits(v, 10);
      case "digits13": return digits(v, 13);
      case "person": return isObject(v) ? this.record(PERSON, v) : null;
      case "address": return isObject(v) ? this.record(ADDRESS, v) : null;
      case "forms": return Array.isArray(v) ? this.forms(v) : null;
      default: throw new Error(`no coding ${coding}`);
    }
  }

  record(members, obj) {
    const names = members.map((m) => m[0]);
    const escapes = [];
    const bitmap = new Array(Math.ceil(members.length / 8)).fill(0);
    const values = [];
    const ctx = {};
    let count = 0;
    members.forEach(([name, coding, choices], i) => {
      if (!has(obj, name) || obj[name] === undefined) return;
      const coded = this.typed(coding, obj[name], choices || [], ctx);
      if (coded === null) { add(escapes, uint(i)); add(escapes, json(obj[name])); count++; return; }
      bitmap[i >> 3] |= 1 << (i & 7);
      add(values, coded);
      ctx[name] = obj[name];
    });
    for (const [name, value] of Object.entries(obj)) {
      if (names.includes(name) || value === undefined) continue;
      add(escapes, uint(members.length)); add(escapes, text(name)); add(escapes, json(value));
      count++;
    }
    const out = uint(count);
    add(out, escapes); add(out, bitmap); add(out, values);
    return out;
  }

  forms(list) {
    const out = [...uint(list.length)];
    for (const entry of list) {
      let index;
      if (isObject(entry) && Object.keys(entry).sort().join() === "code,fields,ver" && typeof entry.code === "string"
          && Number.isInteger(entry.ver) && isObject(entry.fields)) {
        index = this.index.get(`${entry.code}\u0000${entry.ver}`);
      }
      if (index === undefined) { out.push(0); add(out, json(entry)); continue; }
      const form = this.book.forms[index];
      const members = form.fields.map(([id, type, choices]) => [id, this.book.codings[type], choices]);
      add(out, uint(index + 1)); add(out, this.record(members, entry.fields));
    }
    return out;
  }
}

/** The coded document (before compression). */
export function encodeCompact(document, book) {
  return new Uint8Array(new Writer(book).record(DOCUMENT, document));
}

/** The preset dictionary: every distinct choice of every form, then the words; UTF-8, its last 32 KiB. */
export function dictionaryOf(book) {
  const seen = new Set();
  for (const form of book.forms) for (const [, , choices] of form.fields) for (const c of choices) seen.add(c);
  for (const w of book.words) seen.add(w);
  const bytes = enc.encode([...seen].join(""));
  return bytes.subarray(Math.max(0, bytes.length - MAX_DICTIONARY));
}

/** The codebook's 4-byte id (hex in the codebook). */
export function codebookId(book) {
  return Uint8Array.from(book.id.match(/../g), (h) => parseInt(h, 16));
}
