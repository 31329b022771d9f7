// The page's MW1 pieces that need no key: Base45 (RFC 9285 examples), splitting, symbol sizes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";

if (!globalThis.crypto) globalThis.crypto = webcrypto; // node 18 (Debian 12)
const { b45encode, splitEnvelope, maxCharsFor, ALNUM_M, MAX_SYMBOL_CHARS } = await import("../mw1.js");

const enc = new TextEncoder();

test("Base45 matches RFC 9285's examples", () => {
  assert.equal(b45encode(enc.encode("AB")), "BB8");
  assert.equal(b45encode(enc.encode("Hello!!")), "%69 VD92EX0");
  assert.equal(b45encode(enc.encode("base-45")), "UJCLQE7W581");
  assert.equal(b45encode(new Uint8Array()), "");
});

test("a long envelope is split into the fewest nearly equal parts of at most 970 characters", () => {
  const env = new Uint8Array(1500).map((_, i) => i % 251);
  const parts = splitEnvelope(env);
  assert.ok(parts.length >= 2);
  for (const p of parts) assert.ok(p.startsWith("MWP:") && p.length <= MAX_SYMBOL_CHARS, p.length);
  const lengths = parts.map((p) => p.length);
  assert.ok(Math.max(...lengths) - Math.min(...lengths) <= 3);
  assert.equal(splitEnvelope(new Uint8Array(100)).length, 1);
});

test("a low-density screen gets smaller symbols (4 screen pixels a module)", () => {
  assert.equal(maxCharsFor(374 * 2), 970);       // a phone at DPR 2: version 20
  assert.equal(maxCharsFor(344), ALNUM_M[15]);   // 344 px: version 15 (85 modules x 4 = 340)
  for (const px of [200, 344, 400, 500]) {
    const chars = maxCharsFor(px);
    const v = ALNUM_M.indexOf(chars);
    assert.ok(v === 10 || (4 * v + 25) * 4 <= px, `${px}px -> v${v}`);
  }
  const env = new Uint8Array(700).map((_, i) => (i * 7) % 256);
  for (const p of splitEnvelope(env, null, maxCharsFor(344))) assert.ok(p.length <= maxCharsFor(344));
});
