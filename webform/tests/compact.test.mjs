// The page's version 2 coding (compact.js) gives the bytes of the Python encoder exactly:
// tests/vectors/payload-v2/coding.json (made by `python -m tests.vectors.payload_v2`) and the
// coded documents of the envelope vectors, with catalogue version 1 from the archive.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const { encodeCompact, dictionaryOf, codebookId } = await import("../compact.js");

const repo = new URL("../../", import.meta.url);
const read = (path) => JSON.parse(readFileSync(new URL(path, repo), "utf8"));
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const coding = read("tests/vectors/payload-v2/coding.json");

test("every coding case gives the Python encoder's bytes", () => {
  assert.ok(coding.cases.length >= 10);
  for (const c of coding.cases) assert.equal(hex(encodeCompact(c.document, coding.codebook)), c.coded, c.name);
});

test("the preset dictionary and the id are the codebook's", () => {
  assert.equal(hex(dictionaryOf(coding.codebook)), coding.dictionary);
  assert.equal(hex(codebookId(coding.codebook)), coding.codebook.id);
});

test("the envelope vectors' documents code as in Python, with catalogue version 1", () => {
  const book = { ...read("resources/catalogue-versions/0001.json"), codings: coding.codebook.codings };
  const cases = read("tests/vectors/payload-v2/vectors.json").filter((c) => c.coded);
  assert.ok(cases.length >= 30);
  for (const c of cases) {
    assert.equal(c.catalogue, book.id);
    assert.equal(hex(encodeCompact(c.expect.document, book)), c.coded, c.name);
  }
});
