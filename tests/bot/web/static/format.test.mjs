// The widget's text formatters: what an assistant's reply becomes in the page.
import assert from "node:assert/strict";
import { test } from "node:test";

import format from "../../../../bot/web/static/format.js";

const { charCount, clock, escapeHtml, formatBotText, linkify } = format;
const NEW_TAB = " (opens in a new tab)";

function links(html) {
  return [...html.matchAll(/<a href="([^"]*)"/g)].map((match) => match[1]);
}

test("markup in a reply is shown as text, never run", () => {
  const html = formatBotText('<img src=x onerror="alert(1)"> & <script>x</script>', NEW_TAB);
  assert.equal(
    html,
    "<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;script&gt;x&lt;/script&gt;</p>",
  );
});

test("escapeHtml escapes both kinds of quotes for attributes", () => {
  assert.equal(escapeHtml(`a"b'c<d>&`), "a&quot;b&#39;c&lt;d&gt;&amp;");
});

test("a web link opens in a new tab and says so", () => {
  const html = formatBotText("See https://www.gov.pl/web/uw-malopolski/karta.", NEW_TAB);
  assert.equal(
    html,
    '<p>See <a href="https://www.gov.pl/web/uw-malopolski/karta" target="_blank" ' +
      'rel="noopener noreferrer">https://www.gov.pl/web/uw-malopolski/karta' +
      '<span class="ic-sr" data-ic-text="newTab"> (opens in a new tab)</span></a>.</p>',
  );
});

test("the new-tab note is escaped too", () => {
  const html = formatBotText("https://example.org", "<b>x</b>");
  assert.match(html, /&lt;b&gt;x&lt;\/b&gt;<\/span><\/a>/);
  assert.doesNotMatch(html, /<b>/);
});

test("a link ends at sentence punctuation and at an unbalanced bracket", () => {
  const html = formatBotText(
    "(see https://en.wikipedia.org/wiki/Visa_(document)), https://a.pl/x?y=1;",
    NEW_TAB,
  );
  assert.deepEqual(links(html), [
    "https://en.wikipedia.org/wiki/Visa_(document)",
    "https://a.pl/x?y=1",
  ]);
  assert.match(html, /<\/a>\), <a /);
});

test("a quote ends a link, so a reply cannot add attributes to it", () => {
  const html = formatBotText('https://a.pl/"onmouseover="alert(1)', NEW_TAB);
  assert.deepEqual(links(html), ["https://a.pl/"]);
  assert.doesNotMatch(html, /<a [^>]*onmouseover/);
});

test("only http and https become web links", () => {
  for (const text of ["javascript:alert(1)", "data:text/html,x", "ftp://a.pl/x", "https://."]) {
    assert.deepEqual(links(formatBotText(text, NEW_TAB)), [], text);
  }
});

test("phone numbers and e-mail addresses become tel: and mailto: links", () => {
  const html = formatBotText(
    "Call +48 12 210 20 20 or write to cudzoziemcy@malopolska.uw.gov.pl.",
    NEW_TAB,
  );
  assert.deepEqual(links(html), ["tel:+48122102020", "mailto:cudzoziemcy@malopolska.uw.gov.pl"]);
  assert.match(html, />\+48 12 210 20 20<\/a>/);
  assert.doesNotMatch(html, /mailto:[^"]*"[^>]*target/); // contacts stay in this tab
});

test("a contact inside a web link is not linked a second time", () => {
  const html = linkify("https://a.pl/form?to=info@a.pl&amp;tel=+48122102020", NEW_TAB);
  assert.equal(links(html).length, 1);
});

test("bold, also around a link", () => {
  assert.equal(
    formatBotText("**Karta pobytu** now", NEW_TAB),
    "<p><strong>Karta pobytu</strong> now</p>",
  );
  assert.match(formatBotText("**https://a.pl**", NEW_TAB), /^<p><strong><a href="https:\/\/a\.pl"/);
  assert.equal(formatBotText("2 ** 3 ** 4", NEW_TAB), "<p>2 ** 3 ** 4</p>");
});

test("paragraphs, line breaks and lists", () => {
  assert.equal(
    formatBotText("First\r\nsecond\r\n\r\nNeeded:\n- a passport\n  - a photo\nDone", NEW_TAB),
    "<p>First<br>second</p><p>Needed:</p><ul><li>a passport</li><li>a photo</li></ul><p>Done</p>",
  );
  assert.equal(formatBotText("  \n\n  ", NEW_TAB), "");
});

test("characters are counted as the server counts them (code points)", () => {
  assert.equal(charCount("żółw"), 4);
  assert.equal(charCount("👍🏽"), 2);
  assert.equal(charCount(""), 0);
});

test("clock shows local hours and minutes, or nothing for a bad time", () => {
  assert.equal(clock(new Date(2026, 0, 2, 3, 4).toISOString()), "03:04");
  assert.equal(clock("not a time"), "");
  assert.equal(clock(undefined), "");
});
