// The chat widget's pure text functions: the assistant's replies as safe HTML, character
// counts and clock times. No DOM and no state, so `node --test` runs them as they are.
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
  }

  // Runs on already escaped text, so a URL ends where an escaped quote or angle bracket begins;
  // "*" ends it too, so "**https://…**" keeps its bold markers.
  const URL_PATTERN = /https?:\/\/(?:(?!&quot;|&#39;|&lt;|&gt;)[^\s*])+/g;

  // Contacts in answers: e-mail addresses and international phone numbers ("+48 12 210 20 20").
  const CONTACT_PATTERN =
    /([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})|(\+\d{1,3}(?:[ \u00a0]?\d){6,12})/g;

  function linkContacts(escapedText) {
    return escapedText.replace(CONTACT_PATTERN, (match, mail) => {
      const href = mail ? "mailto:" + mail : "tel:" + match.replace(/[ \u00a0]/g, "");
      return '<a href="' + href + '">' + match + "</a>";
    });
  }

  /** A web link opening in a new tab; `newTab` is the visually hidden note saying so. */
  function linkUrl(match, newTab) {
    let url = match;
    let trail = "";
    // Sentence punctuation after a link is not part of it; ")" only if unbalanced.
    while (/[.,;:!?)\]]$/.test(url)) {
      const last = url.slice(-1);
      if (last === ")" && url.split("(").length > url.split(")").length - 1) break;
      trail = last + trail;
      url = url.slice(0, -1);
    }
    if (/^https?:\/\/$/.test(url)) return match;
    return (
      '<a href="' +
      url +
      '" target="_blank" rel="noopener noreferrer">' +
      url +
      '<span class="ic-sr" data-ic-text="newTab">' +
      escapeHtml(newTab) +
      "</span></a>" +
      trail
    );
  }

  /** Web links, then contacts in the text between them (never inside a link's markup). */
  function linkify(escaped, newTab) {
    const parts = [];
    let last = 0;
    for (const match of escaped.matchAll(URL_PATTERN)) {
      parts.push(linkContacts(escaped.slice(last, match.index)), linkUrl(match[0], newTab));
      last = match.index + match[0].length;
    }
    parts.push(linkContacts(escaped.slice(last)));
    return parts.join("");
  }

  function inlineMarkup(escapedLine, newTab) {
    return linkify(escapedLine, newTab).replace(
      /\*\*(?=\S)([\s\S]*?\S)\*\*/g,
      "<strong>$1</strong>",
    );
  }

  function formatBlock(block, newTab) {
    const inline = (line) => inlineMarkup(line, newTab);
    let html = "";
    let paragraph = [];
    let items = [];
    const flushParagraph = () => {
      if (paragraph.length) html += "<p>" + paragraph.map(inline).join("<br>") + "</p>";
      paragraph = [];
    };
    const flushList = () => {
      if (items.length) {
        html += "<ul>" + items.map((item) => "<li>" + inline(item) + "</li>").join("") + "</ul>";
      }
      items = [];
    };
    for (const line of block.split("\n")) {
      if (/^\s*- /.test(line)) {
        flushParagraph();
        items.push(line.replace(/^\s*- /, ""));
      } else if (line.trim()) {
        flushList();
        paragraph.push(line);
      }
    }
    flushParagraph();
    flushList();
    return html;
  }

  /**
   * The assistant's text as safe HTML: everything is escaped first, then a small markup subset
   * (bold, "- " lists, paragraphs, line breaks, http(s) links, e-mail addresses and phone
   * numbers) is turned into tags. `newTab` is the hidden note added to links opening a new tab.
   */
  function formatBotText(text, newTab) {
    const escaped = escapeHtml(String(text).replace(/\r\n?/g, "\n").trim());
    return escaped
      .split(/\n\s*\n/)
      .map((block) => formatBlock(block, newTab))
      .join("");
  }

  function charCount(text) {
    return Array.from(text).length; // code points, as the server counts them
  }

  /** "HH:MM" in the browser's time zone, or "" for an invalid time. */
  function clock(iso) {
    const date = new Date(iso);
    if (isNaN(date.getTime())) return "";
    const pad = (n) => String(n).padStart(2, "0");
    return pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  const format = { escapeHtml, linkify, formatBotText, charCount, clock };
  if (typeof module === "object" && module.exports)
    module.exports = format; // node --test
  else (globalThis.infoopt = globalThis.infoopt || {}).format = format;
})();
