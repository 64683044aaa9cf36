// The widget's translation catalogue is complete in every language.
import assert from "node:assert/strict";
import { test } from "node:test";

import widgetStrings from "../../../../bot/web/static/widget-strings.js";

const { messages, names } = widgetStrings;
const placeholders = (text) => new Set(text.match(/\{\w+\}/g) || []);

test("the language menu and the catalogue have the same languages", () => {
  assert.deepEqual(Object.keys(names), ["pl", "en", "uk", "ru"]);
  assert.deepEqual(Object.keys(messages), Object.keys(names));
});

test("every language has every text, with the same placeholders", () => {
  for (const [lang, table] of Object.entries(messages)) {
    assert.deepEqual(Object.keys(table).sort(), Object.keys(messages.en).sort(), lang);
    for (const [key, text] of Object.entries(table)) {
      assert.ok(text.trim(), `${lang}.${key} is empty`);
      assert.deepEqual(placeholders(text), placeholders(messages.en[key]), `${lang}.${key}`);
    }
  }
});

test("the limit in the counter and the too-long note is the server's, filled in", () => {
  for (const [lang, table] of Object.entries(messages)) {
    for (const key of ["counter", "tooLong"]) {
      assert.deepEqual(placeholders(table[key]), new Set(["{n}", "{max}"]), `${lang}.${key}`);
    }
  }
});
