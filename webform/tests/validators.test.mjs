// The shared validation cases (made by the Python validators, decoding/forms/shared_cases.py)
// against the JavaScript validators of the page: same verdict, same field, same message.
//
//   python -m decoding.forms.shared_cases > /tmp/cases.json
//   MW_SHARED_CASES=/tmp/cases.json MW_CATALOGUE=/tmp/catalogue.json node --test webform/tests/
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { canonicalDate, canonicalPhone, canonicalText, validateValue, validateFields, personSchemaProblem } from "../validate.js";

const casesPath = process.env.MW_SHARED_CASES;
const cataloguePath = process.env.MW_CATALOGUE;

test("shared validation cases are given", () => {
  assert.ok(casesPath, "set MW_SHARED_CASES (pytest tests/webform does)");
  assert.ok(cataloguePath, "set MW_CATALOGUE");
});

if (casesPath && cataloguePath) {
  const cases = JSON.parse(readFileSync(casesPath, "utf8"));
  const catalogue = JSON.parse(readFileSync(cataloguePath, "utf8"));
  const forms = new Map(catalogue.forms.map((f) => [`${f.code}/${f.ver}`, f]));
  const show = (v) => JSON.stringify(v);

  test(`value cases (${cases.value.length})`, () => {
    const wrong = [];
    for (const c of cases.value) {
      const got = validateValue(c.field, c.value).map((p) => ({ severity: p.severity, message_ko: p.message_ko }));
      try { assert.deepEqual(got, c.problems); } catch {
        wrong.push(`${c.field.type} ${show(c.value)}: python ${show(c.problems)} js ${show(got)}`);
      }
    }
    assert.equal(wrong.length, 0, wrong.slice(0, 20).join("\n"));
  });

  test(`form cases (${cases.form.length})`, () => {
    const wrong = [];
    for (const c of cases.form) {
      const form = forms.get(`${c.code}/${c.ver}`);
      assert.ok(form, `form ${c.code} in the catalogue export`);
      const got = validateFields(form, c.fields, c.applicant, c.delegate)
        .map((f) => ({ form: f.form, field: f.field, severity: f.severity, message_ko: f.message_ko }));
      try { assert.deepEqual(got, c.findings); } catch {
        wrong.push(`${c.name}: python ${show(c.findings)} js ${show(got)}`);
      }
    }
    assert.equal(wrong.length, 0, wrong.slice(0, 10).join("\n"));
  });

  test(`person cases (${cases.person.length})`, () => {
    const wrong = [];
    for (const c of cases.person) {
      const got = personSchemaProblem(c.person, c.delegate ? "delegate" : "applicant");
      const member = got ? got.member : null;
      if (member !== c.member) wrong.push(`${show(c.person)}: python ${c.member} js ${member}`);
    }
    assert.equal(wrong.length, 0, wrong.join("\n"));
  });

  test(`canonical cases (${cases.canonical.length})`, () => {
    const wrong = [];
    for (const c of cases.canonical) {
      const got = c.kind === "text" ? canonicalText(c.input) : c.kind === "longtext" ? canonicalText(c.input, true)
        : c.kind === "phone" ? canonicalPhone(c.input) : canonicalDate(c.input, new Date(`${c.today}T12:00:00`));
      if (got !== c.output) wrong.push(`${c.kind} ${show(c.input)}: python ${show(c.output)} js ${show(got)}`);
    }
    assert.ok(cases.canonical.length > 50);
    assert.equal(wrong.length, 0, wrong.join("\n"));
  });
}
