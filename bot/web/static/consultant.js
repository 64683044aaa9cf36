// The consultant console: polls the state every second; all user text goes in via textContent,
// except answers, which the widget's own formatter renders (it escapes the text first). Texts
// come from console-i18n.js, in the page's language.
(() => {
  "use strict";
  const _ = window.consoleI18n.gettext;
  const { formatBotText } = window.infoopt.format;
  const render = (text) => {
    const html = document.createElement("template");
    html.innerHTML = formatBotText(text, _("(opens in a new tab)"));
    return html.content;
  };
  const { h } = window.infoopt.dom;
  const csrf = document.querySelector("meta[name=csrf-token]").content;
  const $ = (id) => document.getElementById(id);
  const state = {
    selected: null,
    conversation: null,
    shown: new Set(),
    busy: false,
    failed: false,
  };
  const AUTHORS = {
    user: _("User"),
    bot: _("Bot"),
    consultant: _("Consultant"),
    notice: _("Bot (notice)"),
  };
  const STATES = {
    queued: _("queued"),
    active: _("in progress"),
    ticket_draft: _("ticket draft"),
    ticket: _("ticket"),
    closed: _("closed"),
  };
  const REASONS = { outside_hours: _("outside office hours"), nobody_online: _("nobody online") };

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401) {
      window.location = "/login?next=/consultant/";
      return null;
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(refusal(data.detail) || response.statusText);
    return data;
  }

  // A refusal's detail is a sentence, or (a request that does not fit) a list of fields with
  // the reason for each, already in the console's language.
  function refusal(detail) {
    if (!Array.isArray(detail)) return detail;
    return detail.map((error) => `${error.loc[error.loc.length - 1]}: ${error.msg}`).join("; ");
  }

  function say(message) {
    $("status").textContent = message;
  }

  function minutes(seconds) {
    return seconds < 60
      ? _("%(n)s s", { n: seconds })
      : _("%(n)s min", { n: Math.floor(seconds / 60) });
  }

  function summary(handoff) {
    return `${handoff.lang.toUpperCase()} · ${handoff.channel}`;
  }

  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  // A list item's parts; `fill` writes the handoff's texts into them.
  function item(handoff) {
    const open = h("button", { type: "button", class: "secondary open", text: _("Open") });
    open.addEventListener("click", () => select(handoff.id));
    return h("li", { "data-id": String(handoff.id) }, [
      h("strong"),
      h("span", { class: "muted" }),
      h("div", { class: "question" }),
      open,
    ]);
  }

  function fill(li, handoff) {
    const [title, waiting, question, open] = li.children;
    setText(title, summary(handoff));
    setText(waiting, " · " + _("waiting %(time)s", { time: minutes(handoff.waited) }));
    setText(question, handoff.question || "—");
    const name = _("Open: %(conversation)s", {
      conversation: `${summary(handoff)}, ${handoff.question || "—"}`,
    });
    if (open.getAttribute("aria-label") !== name) open.setAttribute("aria-label", name);
    li.classList.toggle("selected", handoff.id === state.selected);
  }

  // Updates a list in place, keyed by handoff id: the items already shown stay the same nodes,
  // and only changed texts are rewritten. Rebuilding it on every poll would take the keyboard
  // focus off an "Open" button each second and make a screen reader read the list again.
  function renderList(id, handoffs) {
    const list = $(id);
    const wanted = new Set(handoffs.map((handoff) => String(handoff.id)));
    const shown = new Map();
    for (const li of [...list.children]) {
      if (wanted.has(li.dataset.id)) shown.set(li.dataset.id, li);
      else li.remove();
    }
    handoffs.forEach((handoff, index) => {
      const li = shown.get(String(handoff.id)) || item(handoff);
      fill(li, handoff);
      // Moved only when out of place: a node taken out of the page loses the focus.
      if (list.children[index] !== li) list.insertBefore(li, list.children[index] || null);
    });
  }

  function line(entry) {
    const who = AUTHORS[entry.author] || entry.author;
    const label = entry.kb_id ? who + " · " + _("answer %(entry)s", { entry: entry.kb_id }) : who;
    const text = h("div", { class: "text" });
    if (entry.author === "user") text.textContent = entry.text;
    else text.append(render(entry.text));
    return h("li", { class: entry.author, "data-id": String(entry.id) }, [
      h("span", { class: "who", text: label }),
      text,
    ]);
  }

  /** Appends only the lines not shown yet: a screen reader hears the news, not the page. */
  function renderTranscript(c) {
    const transcript = $("transcript");
    if (state.conversation !== c.id) {
      transcript.replaceChildren();
      state.shown = new Set();
      state.conversation = c.id;
    }
    const fresh = c.lines.filter((entry) => !state.shown.has(entry.id));
    if (!fresh.length) return;
    const atEnd = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40;
    transcript.append(...fresh.map(line));
    fresh.forEach((entry) => state.shown.add(entry.id));
    if (atEnd || fresh.length === c.lines.length) transcript.scrollTop = transcript.scrollHeight;
  }

  function renderConversation(c, me) {
    $("empty").hidden = !!c;
    $("open").hidden = !c;
    if (!c) return;
    $("conv-title").textContent = `${summary(c)} · ${STATES[c.state] || c.state}`;
    const meta = [_("waited %(time)s", { time: minutes(c.waited) })];
    if (c.consultant) meta.push(_("consultant: %(name)s", { name: c.consultant }));
    if (c.reason) meta.push(_("reason: %(reason)s", { reason: REASONS[c.reason] || c.reason }));
    $("conv-meta").textContent = meta.join(" · ");
    renderTranscript(c);
    const mine = c.state === "active" && c.consultant === me.username;
    $("claim-box").hidden = c.state !== "queued";
    $("reply-box").hidden = !mine;
    $("kb-box").hidden = !mine && !c.state.startsWith("ticket");
    $("ticket-box").hidden = !c.state.startsWith("ticket");
    $("ticket-email").textContent = c.email || _("(none yet)");
    $("ticket-send").disabled = !c.email;
    state.lang = c.lang;
  }

  async function refresh() {
    if (state.busy) return;
    state.busy = true;
    try {
      const params = new URLSearchParams();
      if (state.selected) params.set("conversation", state.selected);
      if ($("all-languages").checked) params.set("all_languages", "true");
      const data = await api("GET", `/consultant/api/state?${params}`);
      if (!data) return;
      if (state.failed) {
        state.failed = false;
        say("");
      } // the server is back
      $("available").checked = data.me.available;
      $("queue-count").textContent = String(data.queue.length);
      $("ticket-count").textContent = String(data.tickets.length);
      renderList("queue", data.queue);
      renderList("mine", data.mine);
      renderList("tickets", data.tickets);
      renderConversation(data.conversation, data.me);
      document.body.dataset.ready = "true";
    } catch (error) {
      state.failed = true;
      say(_("Connection problem: %(error)s. Retrying…", { error: error.message }));
    } finally {
      state.busy = false;
    }
  }

  function select(id) {
    state.selected = id;
    state.conversation = null;
    say("");
    refresh();
  }

  async function act(method, path, body, done) {
    try {
      const result = await api(method, path, body);
      if (done) done(result);
    } catch (error) {
      say(error.message);
    }
    refresh();
  }

  $("claim").addEventListener("click", () =>
    act("POST", `/consultant/api/conversations/${state.selected}/claim`, undefined, () => {
      say(_("You have this conversation."));
      $("reply").focus();
    }),
  );
  $("reply-box").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("reply").value.trim();
    if (!text) return;
    act("POST", `/consultant/api/conversations/${state.selected}/messages`, { text }, () => {
      $("reply").value = "";
    });
  });
  $("reply").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) $("send").click();
  });
  for (const [id, resolved] of [
    ["handback", false],
    ["resolve", true],
  ]) {
    $(id).addEventListener("click", () =>
      act("POST", `/consultant/api/conversations/${state.selected}/handback`, { resolved }, () =>
        say(resolved ? _("Marked resolved.") : _("Handed back to the bot.")),
      ),
    );
  }
  $("ticket-box").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("ticket-answer").value.trim();
    if (!text) return;
    act("POST", `/consultant/api/tickets/${state.selected}/answer`, { text }, () => {
      $("ticket-answer").value = "";
      say(_("Answer sent by e-mail; ticket closed."));
    });
  });
  $("ticket-close").addEventListener("click", () =>
    act("POST", `/consultant/api/tickets/${state.selected}/close`, undefined, () =>
      say(_("Ticket closed.")),
    ),
  );
  $("kb-box").addEventListener("submit", async (event) => {
    event.preventDefault();
    const q = $("kb-search").value.trim();
    if (!q || !state.lang) return;
    try {
      const found = await api(
        "GET",
        `/consultant/api/answers?${new URLSearchParams({ q, lang: state.lang })}`,
      );
      $("kb-results").replaceChildren(
        ...found.map((entry) => {
          const insert = h("button", {
            type: "button",
            class: "secondary kb-insert",
            text: _("Insert"),
            "aria-label": _("Insert: %(title)s", { title: entry.title }),
          });
          insert.addEventListener("click", () => {
            const target = $("reply-box").hidden ? $("ticket-answer") : $("reply");
            target.value = target.value ? `${target.value}\n\n${entry.answer}` : entry.answer;
            target.focus();
          });
          return h("li", { "data-id": entry.id }, [
            h("strong", { text: entry.title }),
            h("br"),
            insert,
          ]);
        }),
      );
    } catch (error) {
      say(error.message);
    }
  });
  $("available").addEventListener("change", () =>
    act("POST", "/consultant/api/presence", { available: $("available").checked }),
  );
  $("all-languages").addEventListener("change", refresh);

  refresh();
  setInterval(refresh, 1000);
})();
