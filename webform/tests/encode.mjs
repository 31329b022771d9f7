// Encrypt a petition document with the page's own MW1 code, in node (tests only):
//   node webform/tests/encode.mjs PUB.pem DOC.json [--no-compression-stream] [--parts N] [--codebook BOOK.json]
// (with --codebook: version 2, the codebook as `web build` puts it in catalogue.json)
// prints one QR text per line.
import { readFileSync } from "node:fs";
import { webcrypto } from "node:crypto";

if (!globalThis.crypto) globalThis.crypto = webcrypto; // node 18 (Debian 12)
const { encodeDocument, importRecipient, pemToDer } = await import("../mw1.js");
const [pemPath, docPath, ...rest] = process.argv.slice(2);
if (rest.includes("--no-compression-stream")) delete globalThis.CompressionStream;
const partsAt = rest.indexOf("--parts");
const parts = partsAt >= 0 ? Number(rest[partsAt + 1]) : null;
const bookAt = rest.indexOf("--codebook");
const codebook = bookAt >= 0 ? JSON.parse(readFileSync(rest[bookAt + 1], "utf8")) : null;
const recipient = await importRecipient(pemToDer(readFileSync(pemPath, "utf8")));
const doc = JSON.parse(readFileSync(docPath, "utf8"));
for (const text of await encodeDocument(doc, recipient, parts, undefined, codebook)) console.log(text);
