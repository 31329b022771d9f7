// @ts-check
// MW1: the encrypted petition QR payload (docs/payload-v1.md, docs/payload-v2.md), made on the phone.
//
// Version 2 (with the site's codebook): document -> the schema-aware coding (compact.js) -> raw
// DEFLATE with the catalogue version's preset dictionary (fflate: CompressionStream takes no
// dictionary) -> catalogue id || that -> HPKE as below, enc as a compressed point.
// Version 1: document (JSON) -> raw DEFLATE -> HPKE base mode seal, DHKEM(P-256, HKDF-SHA256),
// HKDF-SHA256, AES-128-GCM (RFC 9180) over WebCrypto -> header || enc || ct -> Base45
// -> "MW1:" text, or "MWP:" parts of nearly equal size when one symbol would carry
// more than 970 characters. Only browser APIs (and the vendored fflate when
// CompressionStream('deflate-raw') is missing).

import { codebookId, dictionaryOf, encodeCompact } from "./compact.js";
import { MAX_PARTS, MAX_SYMBOL_CHARS } from "./limits.js";

export const VERSION = 0x01;
export const VERSION_2 = 0x02;
export const SUITE = 0x01;
export { MAX_FORMS, MAX_PARTS, MAX_SYMBOL_CHARS } from "./limits.js";
const PART_FORMAT = 0x01;
const enc = new TextEncoder();

// -- Base45 (RFC 9285) ----------------------------------------------------------

const B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

export function b45encode(bytes) {
  let out = "";
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let n = bytes[i] * 256 + bytes[i + 1];
    const c = n % 45; n = (n - c) / 45;
    const d = n % 45; const e = (n - d) / 45;
    out += B45[c] + B45[d] + B45[e];
  }
  if (bytes.length % 2) {
    const n = bytes[bytes.length - 1];
    out += B45[n % 45] + B45[Math.floor(n / 45)];
  }
  return out;
}

// -- bytes helpers ----------------------------------------------------------------

export function concat(...arrays) {
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let pos = 0;
  for (const a of arrays) { out.set(a, pos); pos += a.length; }
  return out;
}
const i2osp = (n, w) => { const b = new Uint8Array(w); for (let i = w - 1; i >= 0; i--) { b[i] = n & 0xff; n >>= 8; } return b; };

export function base64ToBytes(b64) {
  const bin = atob(b64.replace(/\s+/g, ""));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The DER inside a PEM ("-----BEGIN PUBLIC KEY-----"). */
export function pemToDer(pem) {
  const m = /-----BEGIN PUBLIC KEY-----([\s\S]+?)-----END PUBLIC KEY-----/.exec(pem);
  if (!m) throw new Error("not a PEM public key");
  return base64ToBytes(m[1]);
}

// -- raw DEFLATE ----------------------------------------------------------------------

/** True when this browser has CompressionStream('deflate-raw') (Chrome 103, iOS 16.4). */
export function nativeDeflateRaw() {
  if (typeof globalThis.CompressionStream !== "function") return false;
  try { new globalThis.CompressionStream("deflate-raw"); return true; } catch { return false; }
}

export async function deflateRaw(bytes) {
  if (nativeDeflateRaw()) {
    const stream = new Blob([bytes]).stream().pipeThrough(new globalThis.CompressionStream("deflate-raw"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }
  // The 91 KB fallback is fetched only by a browser without the native stream.
  const { deflateSync } = await import("./vendor/fflate.js");
  return deflateSync(bytes, { level: 9 });
}

// -- HPKE (RFC 9180), base mode, suite 0x0010/0x0001/0x0001 ------------------------

const subtle = () => {
  const s = globalThis.crypto && globalThis.crypto.subtle;
  if (!s) throw new Error("WebCrypto unavailable (needs HTTPS or localhost)");
  return s;
};
const KEM_ID = i2osp(0x0010, 2);
const SUITE_KEM = concat(enc.encode("KEM"), KEM_ID);
const SUITE_HPKE = concat(enc.encode("HPKE"), KEM_ID, i2osp(0x0001, 2), i2osp(0x0001, 2));
const HPKE_V1 = enc.encode("HPKE-v1");

async function hmac(key, data) {
  // An empty salt is HashLen zero bytes (RFC 5869), which is also what HMAC does
  // with an empty key; WebCrypto refuses empty keys, so give the zeros.
  const k = await subtle().importKey("raw", key.length ? key : new Uint8Array(32),
    { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await subtle().sign("HMAC", k, data));
}
const labeledExtract = (suite, salt, label, ikm) => hmac(salt, concat(HPKE_V1, suite, enc.encode(label), ikm));
async function labeledExpand(suite, prk, label, info, length) {
  if (length > 32) throw new Error("expand beyond one block is not needed here");
  const t1 = await hmac(prk, concat(i2osp(length, 2), HPKE_V1, suite, enc.encode(label), info, new Uint8Array([1])));
  return t1.slice(0, length);
}

/** The recipient's public key from SPKI DER: {key, raw (65-byte point), kid (4 bytes)}. */
export async function importRecipient(spkiDer) {
  const key = await subtle().importKey("spki", spkiDer, { name: "ECDH", namedCurve: "P-256" }, true, []);
  const raw = new Uint8Array(await subtle().exportKey("raw", key));
  const kid = new Uint8Array(await subtle().digest("SHA-256", raw)).slice(0, 4);
  return { key, raw, kid };
}

/** HPKE single-shot seal: returns enc (65 bytes) || ciphertext || tag. */
export async function hpkeSeal(recipient, info, plaintext, aad = new Uint8Array()) {
  const eph = await subtle().generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
  const dh = new Uint8Array(await subtle().deriveBits({ name: "ECDH", public: recipient.key }, eph.privateKey, 256));
  const encapsulated = new Uint8Array(await subtle().exportKey("raw", eph.publicKey));
  const kemContext = concat(encapsulated, recipient.raw);
  const eaePrk = await labeledExtract(SUITE_KEM, new Uint8Array(), "eae_prk", dh);
  const shared = await labeledExpand(SUITE_KEM, eaePrk, "shared_secret", kemContext, 32);
  const pskIdHash = await labeledExtract(SUITE_HPKE, new Uint8Array(), "psk_id_hash", new Uint8Array());
  const infoHash = await labeledExtract(SUITE_HPKE, new Uint8Array(), "info_hash", info);
  const context = concat(new Uint8Array([0]), pskIdHash, infoHash);
  const secret = await labeledExtract(SUITE_HPKE, shared, "secret", new Uint8Array());
  const keyBytes = await labeledExpand(SUITE_HPKE, secret, "key", context, 16);
  const nonce = await labeledExpand(SUITE_HPKE, secret, "base_nonce", context, 12);
  const aes = await subtle().importKey("raw", keyBytes, { name: "AES-GCM" }, false, ["encrypt"]);
  const ct = new Uint8Array(await subtle().encrypt({ name: "AES-GCM", iv: nonce, additionalData: aad }, aes, plaintext));
  return concat(encapsulated, ct);
}

// -- the payload ----------------------------------------------------------------------------

export function randomBytes(n) {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/** 22 characters of base64url: 16 random bytes, the replay key. */
export function newPayloadId() {
  const b = randomBytes(16);
  return btoa(String.fromCharCode(...b)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The envelope of spec section 1 for a document object. */
export async function sealEnvelope(document, recipient) {
  const body = enc.encode(JSON.stringify(document));
  const plaintext = await deflateRaw(body);
  const header = concat(new Uint8Array([VERSION, SUITE]), recipient.kid);
  const sealed = await hpkeSeal(recipient, concat(enc.encode("MW1"), header), plaintext);
  return concat(header, sealed);
}

const dictionaries = new WeakMap();

/** The envelope of version 2 (docs/payload-v2.md, section 2) for a document, coded with `codebook`. */
export async function sealEnvelopeV2(document, recipient, codebook) {
  if (!dictionaries.has(codebook)) dictionaries.set(codebook, dictionaryOf(codebook));
  const coded = encodeCompact(document, codebook);
  // fflate is loaded when the first QR is made, not with the page (a preset dictionary is
  // something CompressionStream cannot take)
  const { deflateSync } = await import("./vendor/fflate.js");
  const plaintext = concat(codebookId(codebook), deflateSync(coded, { level: 9, dictionary: dictionaries.get(codebook) }));
  const header = concat(new Uint8Array([VERSION_2, SUITE]), recipient.kid);
  const sealed = await hpkeSeal(recipient, concat(enc.encode("MW1"), header), plaintext);
  // enc (65 bytes, 04 || x || y) goes as the compressed point: 02 | (y & 1), then x.
  return concat(header, new Uint8Array([2 | (sealed[64] & 1)]), sealed.subarray(1, 33), sealed.subarray(65));
}

const partTextLen = (chunkLen) => { const n = 7 + chunkLen; return 4 + Math.floor(n / 2) * 3 + (n % 2) * 2; };

/** Characters a QR symbol of version v (index) carries in alphanumeric mode at level M. */
export const ALNUM_M = [0, 20, 38, 61, 90, 122, 154, 178, 221, 262, 311, 366, 419, 483, 528, 600, 656, 734, 816, 909, 970];

/** The longest text a symbol may carry on a screen `devicePixels` wide: at least 4 screen
 *  pixels per module (spec section 6) with the quiet zone, version 10 to 20. */
export function maxCharsFor(devicePixels) {
  let v = 20;
  while (v > 10 && (4 * v + 17 + 8) * 4 > devicePixels) v--;
  return ALNUM_M[v];
}

/** "MW1:" text, or the fewest "MWP:" parts of nearly equal size that fit `maxChars`
 *  (970 by default: version 20) characters each. */
export function splitEnvelope(envelope, parts = null, maxChars = MAX_SYMBOL_CHARS) {
  const single = "MW1:" + b45encode(envelope);
  if (parts === null) {
    if (single.length <= maxChars) return [single];
    parts = 2;
    while (partTextLen(Math.ceil(envelope.length / parts)) > maxChars && parts < MAX_PARTS) parts++;
  }
  if (parts === 1) return [single];
  if (parts < 2 || parts > MAX_PARTS || parts > envelope.length) {
    throw new Error(`cannot split ${envelope.length} bytes into ${parts} parts (2..16)`);
  }
  const msgId = randomBytes(4);
  const size = Math.floor(envelope.length / parts);
  const extra = envelope.length % parts;
  const texts = [];
  let pos = 0;
  for (let index = 1; index <= parts; index++) {
    const length = size + (index <= extra ? 1 : 0);
    const chunk = envelope.slice(pos, pos + length);
    pos += length;
    texts.push("MWP:" + b45encode(concat(new Uint8Array([PART_FORMAT]), msgId, new Uint8Array([index, parts]), chunk)));
  }
  return texts;
}

/** QR texts for a document: version 2 with the site's `codebook` (catalogue.json), else version 1. */
export async function encodeDocument(document, recipient, parts = null, maxChars = MAX_SYMBOL_CHARS, codebook = null) {
  const envelope = codebook ? await sealEnvelopeV2(document, recipient, codebook) : await sealEnvelope(document, recipient);
  return splitEnvelope(envelope, parts, maxChars);
}

/** What this browser lacks for MW1 (empty when it can make a petition QR). */
export async function missingFeatures() {
  const missing = [];
  if (!globalThis.isSecureContext && globalThis.window) missing.push("secure context (HTTPS)");
  const s = globalThis.crypto && globalThis.crypto.subtle;
  if (!s) return [...missing, "WebCrypto"];
  try {
    const k = await s.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    await s.deriveBits({ name: "ECDH", public: k.publicKey }, k.privateKey, 256);
  } catch { missing.push("ECDH P-256"); }
  try { await hmac(new Uint8Array(32), new Uint8Array(1)); } catch { missing.push("HMAC-SHA-256"); }
  try {
    const a = await s.importKey("raw", new Uint8Array(16), { name: "AES-GCM" }, false, ["encrypt"]);
    await s.encrypt({ name: "AES-GCM", iv: new Uint8Array(12) }, a, new Uint8Array(1));
  } catch { missing.push("AES-GCM"); }
  return missing;
}
