// Staff console: the live preview of the bot's answer, answer length counters, confirmations.
(function () {
  "use strict";
  const _ = window.consoleI18n.gettext;
  const number = window.consoleI18n.number;
  const { h } = window.infoopt.dom;

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
      if (!text) {
        out.replaceChildren();
        return;
      }
      const mine = ++seq;
      const params = new URLSearchParams({ text });
      if (lang.value) params.set("lang", lang.value);
      const response = await fetch("/staff/api/preview?" + params, { credentials: "same-origin" });
      if (mine !== seq) return; // a newer question was typed meanwhile
      if (!response.ok) {
        out.replaceChildren(
          h("p", {
            class: "error",
            text: _("Preview failed (%(status)s)", { status: response.status }),
          }),
        );
        return;
      }
      const data = await response.json();
      const decision = DECISIONS[data.decision] || data.decision;
      const parts = [
        h("p", {
          class: "decision",
          text: _("Decision: %(decision)s · language %(lang)s · out of scope %(out)s", {
            decision,
            lang: data.lang,
            out: number(data.out_of_scope, 3),
          }),
        }),
      ];
      if (data.answer) parts.push(h("pre", { class: "answer", text: data.answer }));
      if (data.choices.length)
        parts.push(
          h("p", { text: _("Would offer: %(choices)s", { choices: data.choices.join(", ") }) }),
        );
      const table = h("table");
      const head = h("tr");
      for (const title of [_("Candidate"), _("Title"), _("Score")])
        head.append(h("th", { scope: "col", text: title }));
      table.append(head);
      for (const c of data.candidates) {
        const row = h("tr");
        row.append(
          h("td", { text: c.id }),
          h("td", { text: c.title }),
          h("td", { text: number(c.score, 3) }),
        );
        table.append(row);
      }
      parts.push(table);
      out.replaceChildren(...parts);
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      run();
    });
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(run, 350);
    });
    lang.addEventListener("change", run);
  }

  for (const area of document.querySelectorAll("textarea[data-max]")) {
    const max = Number(area.dataset.max);
    const counter = h("p", { class: "muted counter", "aria-live": "polite" });
    area.after(counter);
    const update = () => {
      const n = area.value.trim().length;
      counter.textContent = _("%(count)s / %(max)s characters", {
        count: number(n),
        max: number(max),
      });
      counter.classList.toggle("error", n > max);
    };
    area.addEventListener("input", update);
    update();
  }

  for (const f of document.querySelectorAll("form[data-confirm]")) {
    f.addEventListener("submit", (event) => {
      if (!window.confirm(f.dataset.confirm)) event.preventDefault();
    });
  }
})();
