// Staff console: the live preview of the bot's answer, answer length counters, confirmations.
(function () {
  "use strict";
  const _ = window.consoleI18n.gettext;
  const number = window.consoleI18n.number;

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;  // text only: never HTML from the server
    if (cls) node.className = cls;
    return node;
  }

  const DECISIONS = { answer: _("answer"), clarify: _("clarify"), no_match: _("no match") };

  // After a failed save, the keyboard and screen reader start at the first problem.
  const problems = document.getElementById("save-errors");
  if (problems) (document.querySelector("#editor [aria-invalid=true]") || problems).focus();

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
      if (!response.ok) { out.replaceChildren(el("p", _("Preview failed (%(status)s)", { status: response.status }), "error")); return; }
      const data = await response.json();
      const decision = DECISIONS[data.decision] || data.decision;
      const parts = [el("p", _("Decision: %(decision)s · language %(lang)s · out of scope %(out)s", {
        decision, lang: data.lang, out: number(data.out_of_scope, 3),
      }), "decision")];
      if (data.answer) parts.push(el("pre", data.answer, "answer"));
      if (data.choices.length) parts.push(el("p", _("Would offer: %(choices)s", { choices: data.choices.join(", ") })));
      const table = el("table");
      const head = el("tr");
      [_("Candidate"), _("Title"), _("Score")].forEach((h) => { const th = el("th", h); th.scope = "col"; head.append(th); });
      table.append(head);
      for (const c of data.candidates) {
        const row = el("tr");
        row.append(el("td", c.id), el("td", c.title), el("td", number(c.score, 3)));
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
    const counter = el("p");
    counter.className = "muted counter";
    counter.setAttribute("aria-live", "polite");
    area.after(counter);
    const update = () => {
      const n = area.value.trim().length;
      counter.textContent = _("%(count)s / %(max)s characters", { count: number(n), max: number(max) });
      counter.classList.toggle("error", n > max);
    };
    area.addEventListener("input", update);
    update();
  }

  for (const f of document.querySelectorAll("form[data-confirm]")) {
    f.addEventListener("submit", (event) => { if (!window.confirm(f.dataset.confirm)) event.preventDefault(); });
  }
})();
