// Staff console: the live preview of the bot's answer, answer length counters, confirmations.
(function () {
  "use strict";

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;  // text only: never HTML from the server
    if (cls) node.className = cls;
    return node;
  }

  const form = document.getElementById("preview-form");
  if (form) {
    const input = document.getElementById("preview-text");
    const lang = document.getElementById("preview-lang");
    const out = document.getElementById("preview-result");
    let timer = null;
    let seq = 0;
    async function run() {
      const text = input.value.trim();
      if (!text) { out.replaceChildren(); return; }
      const mine = ++seq;
      const params = new URLSearchParams({ text });
      if (lang.value) params.set("lang", lang.value);
      const response = await fetch("/staff/api/preview?" + params, { credentials: "same-origin" });
      if (mine !== seq) return;  // a newer question was typed meanwhile
      if (!response.ok) { out.replaceChildren(el("p", "Preview failed (" + response.status + ")", "error")); return; }
      const data = await response.json();
      const parts = [el("p", "Decision: " + data.decision + " · language " + data.lang +
                        " · out of scope " + data.out_of_scope, "decision")];
      if (data.answer) parts.push(el("pre", data.answer, "answer"));
      if (data.choices.length) parts.push(el("p", "Would offer: " + data.choices.join(", ")));
      const table = el("table");
      const head = el("tr");
      ["Candidate", "Title", "Score"].forEach((h) => { const th = el("th", h); th.scope = "col"; head.append(th); });
      table.append(head);
      for (const c of data.candidates) {
        const row = el("tr");
        row.append(el("td", c.id), el("td", c.title), el("td", c.score.toFixed(3)));
        table.append(row);
      }
      parts.push(table);
      out.replaceChildren(...parts);
    }
    form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 350); });
    lang.addEventListener("change", run);
  }

  for (const area of document.querySelectorAll("textarea[data-max]")) {
    const max = Number(area.dataset.max);
    const counter = el("p", "", "muted counter");
    counter.setAttribute("aria-live", "polite");
    area.after(counter);
    const update = () => {
      const n = area.value.trim().length;
      counter.textContent = n + " / " + max + " characters";
      counter.classList.toggle("error", n > max);
    };
    area.addEventListener("input", update);
    update();
  }

  for (const f of document.querySelectorAll("form[data-confirm]")) {
    f.addEventListener("submit", (event) => { if (!window.confirm(f.dataset.confirm)) event.preventDefault(); });
  }
})();
