// The one DOM helper of the widget and the consoles: an element from a tag, attributes and
// children. Text goes in through textContent only, so nothing from a server or a visitor is
// ever parsed as HTML.
(function () {
  "use strict";

  /**
   * h("button", { type: "button", class: "x", text: "Send" }, [child, …]).
   * The attribute `text` sets the text; `true` gives an empty attribute (`hidden`, …);
   * `false`, `null` and `undefined` leave the attribute out. Falsy children are skipped.
   */
  function h(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const name of Object.keys(attrs || {})) {
      const value = attrs[name];
      if (value === false || value === null || value === undefined) continue;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children || []) if (child) node.append(child);
    return node;
  }

  const dom = { h };
  if (typeof module === "object" && module.exports)
    module.exports = dom; // node --test
  else (globalThis.infoopt = globalThis.infoopt || {}).dom = dom;
})();
