// The small markdown subset of knowledge-base answers (paragraphs, "- " lists, **bold**,
// http(s) links), built as DOM nodes from text: nothing from the server becomes HTML.
(function () {
  "use strict";
  const { h } = window.infoopt.dom;
  const TOKEN = /\*\*(?=\S)([\s\S]*?\S)\*\*|https?:\/\/[^\s*<>"']+/g;

  function inline(parent, text) {
    let last = 0;
    for (const match of text.matchAll(TOKEN)) {
      parent.append(text.slice(last, match.index));
      if (match[1] !== undefined) {
        const strong = h("strong");
        inline(strong, match[1]);
        parent.append(strong);
        last = match.index + match[0].length;
        continue;
      }
      let url = match[0];
      while (/[.,;:!?)\]]$/.test(url)) url = url.slice(0, -1); // sentence punctuation
      parent.append(h("a", { href: url, rel: "noopener noreferrer", target: "_blank", text: url }));
      last = match.index + url.length;
    }
    parent.append(text.slice(last));
  }

  function render(text) {
    const out = document.createDocumentFragment();
    for (const block of String(text)
      .replace(/\r\n?/g, "\n")
      .trim()
      .split(/\n\s*\n/)) {
      let list = null;
      let paragraph = null;
      for (const line of block.split("\n")) {
        if (/^\s*- /.test(line)) {
          paragraph = null;
          if (!list) out.append((list = h("ul")));
          const item = h("li");
          inline(item, line.replace(/^\s*- /, ""));
          list.append(item);
        } else if (line.trim()) {
          list = null;
          if (paragraph) paragraph.append(h("br"));
          else out.append((paragraph = h("p")));
          inline(paragraph, line);
        }
      }
    }
    return out;
  }

  window.consoleMarkdown = render;
})();
