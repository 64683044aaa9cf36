/*
 * INFO.OPT chat widget: the web front-end of the multilingual FAQ assistant of the
 * Foreigners' Affairs Department, Małopolska Voivodeship Office in Kraków.
 *
 * Embedded on any page with one tag:
 *   <script src="https://HOST/static/widget.js" data-server="https://RASA-HOST"
 *           data-lang="uk" data-primary="#1a4f9c" defer></script>
 *
 * Plain JavaScript, no build step. This file is the wiring; it loads its parts from the folder
 * it is served from (PARTS below: the DOM helper, the text formatters, the widget's strings and
 * the server's limits), and so does the only dependency, the socket.io client
 * (vendor/socket.io.min.js): nothing comes from a CDN. The parts are classic scripts, which a
 * page of another site may load without CORS; they share one global object, `infoopt`.
 * Everything the widget adds to the page lives inside <div id="infoopt-chat">.
 *
 * Wire protocol (socket.io v4, default namespace, path /socket.io), see connectors/webchat.py:
 *   → session_request {session_id}        ← session_confirm "<session id>"
 *   → user_uttered {message, session_id, metadata: {language}, id, display?}
 *   ← bot_uttered {id, text, lang?, quick_replies?: [{title, payload}], consultant?}
 *                 | {id, custom: {...}} (never shown)
 *   ← user_uttered {id, text}: the visitor's message from another tab of the conversation
 * and, from the web app, GET /api/widget/topics?lang= (the topics suggested on opening).
 */
(function () {
  "use strict";

  // document.currentScript only exists while this file is first executed; socket events and
  // clicks run later, so the tag (and with it data-* options and our base URL) is kept now.
  const SCRIPT = document.currentScript || document.querySelector('script[src*="widget.js"]');

  // widget-config.js is written by the web app (bot/web/routers/pages.py): the server's limits.
  const PARTS = ["dom.js", "format.js", "widget-strings.js", "widget-config.js"];

  /** Loads the parts next to this file, in order, then calls `done` once all have run. */
  function loadParts(base, done) {
    let waiting = PARTS.length;
    for (const name of PARTS) {
      const script = document.createElement("script");
      script.src = new URL(name, base).href;
      script.async = false; // run in the order of PARTS, as soon as each has arrived
      script.onload = () => {
        waiting -= 1;
        if (!waiting) done();
      };
      script.onerror = () => console.error("[infoopt-chat] could not load " + script.src);
      document.head.appendChild(script);
    }
  }

  loadParts((SCRIPT && SCRIPT.src) || document.baseURI, () => widget(globalThis.infoopt));

  /** The widget itself, once its parts have loaded. */
  function widget(parts) {
    const { h } = parts.dom;
    const { formatBotText, charCount, clock } = parts.format;
    const STRINGS = parts.widgetStrings.messages;
    const LANG_NAMES = parts.widgetStrings.names;
    const LANGS = Object.keys(LANG_NAMES);
    const MAX_CHARS = parts.widgetConfig.maxChars;
    const COUNTER_FROM = Math.round(MAX_CHARS * 0.8); // the counter appears in the last fifth
    const ROOT_ID = "infoopt-chat";
    const TYPING_TIMEOUT_MS = 20000;
    const RECONNECTED_MS = 4000;
    const HISTORY_LIMIT = 200;
    const DEFAULT_PRIMARY = "#1a4f9c"; // 7.9:1 against white text
    const KEYS = {
      session: "infoopt-chat:session",
      history: "infoopt-chat:history",
      lang: "infoopt-chat:lang",
      open: "infoopt-chat:open",
      unread: "infoopt-chat:unread",
      human: "infoopt-chat:human",
    };

    /* ------------------------------------------------------------------ storage */

    // localStorage can be missing or throw (privacy modes, sandboxed iframes, full quota). The
    // widget then still works for the current page view, from this in-memory copy.
    const memoryStore = {};
    const store = {
      get(key) {
        try {
          const value = window.localStorage.getItem(key);
          return value === null ? memoryStore[key] || null : value;
        } catch {
          return memoryStore[key] || null;
        }
      },
      set(key, value) {
        memoryStore[key] = value;
        try {
          window.localStorage.setItem(key, value);
        } catch {
          /* kept in memory only */
        }
      },
      getJson(key, fallback) {
        try {
          const value = JSON.parse(this.get(key));
          return value === null ? fallback : value;
        } catch {
          return fallback;
        }
      },
      setJson(key, value) {
        this.set(key, JSON.stringify(value));
      },
    };

    /* ------------------------------------------------------------------ configuration */

    function normaliseLang(value) {
      if (typeof value !== "string") return null;
      const code = value.trim().toLowerCase().split(/[-_]/)[0];
      return LANGS.indexOf(code) >= 0 ? code : null;
    }

    function browserLanguage() {
      const tags =
        navigator.languages && navigator.languages.length
          ? navigator.languages
          : [navigator.language];
      for (const tag of tags) {
        const code = normaliseLang(tag);
        if (code) return code;
      }
      return null;
    }

    function validServer(value) {
      try {
        const url = new URL(value);
        return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
      } catch {
        return null; // missing, or the page's {{RASA_URL}} placeholder was never filled in
      }
    }

    function readConfig(script) {
      const data = (script && script.dataset) || {};
      const base = (script && script.src) || document.baseURI;
      return {
        server: validServer((data.server || "").trim()),
        lang: normaliseLang(data.lang),
        primary: (data.primary || "").trim(),
        socketIoUrl: new URL("vendor/socket.io.min.js", base).href,
        cssUrl: new URL("widget.css", base).href,
        topicsUrl: new URL("/api/widget/topics", base).href,
      };
    }

    /* ------------------------------------------------------------------ state */

    const CONFIG = readConfig(SCRIPT);

    const state = {
      // A language the visitor picked in the widget wins over the page's default and the browser.
      lang: normaliseLang(store.get(KEYS.lang)) || CONFIG.lang || browserLanguage() || "pl",
      history: loadHistory(),
      open: store.get(KEYS.open) === "true",
      unread: Math.max(0, parseInt(store.get(KEYS.unread), 10) || 0),
      sessionId: store.get(KEYS.session),
      socket: null,
      ready: false, // connected and session confirmed: only then are messages emitted
      status: "", // '', 'offline', 'reconnected' or 'unavailable'
      limitCount: 0, // the length shown in the too-long note; 0 when the note is hidden
      quickRepliesFor: null, // the history entry whose quick replies are on screen
      timers: { typing: 0, status: 0, io: 0 },
      // While a consultant has the conversation the bot is silent: no "assistant is typing".
      withHuman: store.get(KEYS.human) === "true",
    };
    const nodes = new Map(); // history entry → its element in the log
    const ui = {};

    /** The widget's text `key` in `lang` (default: the current language), with {max} and `vars`
     *  filled in. */
    function t(key, vars, lang) {
      const table = STRINGS[lang || state.lang] || STRINGS.pl;
      let text = table[key] !== undefined ? table[key] : STRINGS.en[key];
      const values = Object.assign({ max: MAX_CHARS }, vars);
      for (const name of Object.keys(values))
        text = text.split("{" + name + "}").join(values[name]);
      return text;
    }

    function loadHistory() {
      const saved = store.getJson(KEYS.history, []);
      if (!Array.isArray(saved)) return [];
      // Stored data is untrusted input too: keep only well-formed entries.
      return saved.filter(
        (entry) =>
          entry &&
          typeof entry === "object" &&
          (entry.from === "user" || entry.from === "bot") &&
          typeof entry.text === "string",
      );
    }

    function saveHistory() {
      if (state.history.length > HISTORY_LIMIT) {
        for (const old of state.history.splice(0, state.history.length - HISTORY_LIMIT)) {
          const node = nodes.get(old);
          if (node) node.remove();
          nodes.delete(old);
        }
      }
      store.setJson(KEYS.history, state.history);
    }

    /* ------------------------------------------------------------------ icons */

    function icon(paths, extraClass) {
      const ns = "http://www.w3.org/2000/svg";
      const svg = document.createElementNS(ns, "svg");
      svg.setAttribute("viewBox", "0 0 24 24");
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
      svg.setAttribute("class", "ic-icon " + (extraClass || ""));
      for (const attrs of paths) {
        const path = document.createElementNS(ns, "path");
        for (const name of Object.keys(attrs)) path.setAttribute(name, attrs[name]);
        svg.append(path);
      }
      return svg;
    }

    const CHAT_ICON = [
      {
        d:
          "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2h-9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z" +
          "M7 9.5a1.5 1.5 0 1 0 0 .01zM12 9.5a1.5 1.5 0 1 0 0 .01zM17 9.5a1.5 1.5 0 1 0 0 .01z",
        fill: "currentColor",
        "fill-rule": "evenodd",
      },
    ];
    const CLOSE_ICON = [
      {
        d: "M6 6l12 12M18 6L6 18",
        fill: "none",
        stroke: "currentColor",
        "stroke-width": "2.5",
        "stroke-linecap": "round",
      },
    ];

    /* ------------------------------------------------------------------ building the widget */

    function buildLauncher() {
      ui.badge = h("span", { id: "infoopt-chat-badge", class: "ic-badge", "aria-hidden": "true" });
      ui.launcher = h(
        "button",
        {
          id: "infoopt-chat-launcher",
          class: "ic-launcher",
          type: "button",
          "aria-expanded": "false",
          "aria-controls": "infoopt-chat-panel",
        },
        [icon(CHAT_ICON), ui.badge],
      );
      ui.launcher.addEventListener("click", () =>
        state.open ? closePanel(true) : openPanel(true),
      );
      return ui.launcher;
    }

    function buildHeader() {
      ui.langSelect = h(
        "select",
        { id: "infoopt-chat-lang", class: "ic-select" },
        LANGS.map((code) => h("option", { value: code, lang: code, text: LANG_NAMES[code] })),
      );
      ui.langSelect.addEventListener("change", () => setLanguage(ui.langSelect.value, true));

      ui.human = h("button", {
        id: "infoopt-chat-human",
        class: "ic-human",
        type: "button",
        "data-ic-text": "human",
      });
      ui.human.addEventListener("click", () => sendUserMessage(t("human"), "/human_handoff"));

      const close = h(
        "button",
        {
          class: "ic-close",
          type: "button",
          "data-ic-label": "close",
        },
        [icon(CLOSE_ICON)],
      );
      close.addEventListener("click", () => closePanel(true));

      return h("div", { class: "ic-header" }, [
        h("div", { class: "ic-header-top" }, [
          h("h2", { id: "infoopt-chat-title", class: "ic-title", "data-ic-text": "title" }),
          close,
        ]),
        h("div", { class: "ic-toolbar" }, [
          h("div", { class: "ic-lang" }, [
            h("label", { for: "infoopt-chat-lang", "data-ic-text": "language" }),
            ui.langSelect,
          ]),
          ui.human,
        ]),
      ]);
    }

    function buildLog() {
      ui.typing = h("div", { class: "ic-typing", hidden: true }, [
        h("span", { class: "ic-dots", "aria-hidden": "true" }, [h("span"), h("span"), h("span")]),
        h("span", { class: "ic-sr", "data-ic-text": "typing" }),
      ]);
      ui.log = h(
        "div",
        {
          id: "infoopt-chat-log",
          class: "ic-log",
          role: "log",
          "aria-live": "polite",
          "aria-relevant": "additions",
          "data-ic-label": "log",
          // Focusable so keyboard users can scroll a long conversation.
          tabindex: "0",
        },
        [h("p", { class: "ic-notice", "data-ic-text": "notice" }), ui.typing],
      );
      return ui.log;
    }

    function buildForm() {
      ui.input = h("textarea", {
        id: "infoopt-chat-input",
        class: "ic-input",
        rows: "1",
        autocomplete: "off",
        enterkeyhint: "send",
        "aria-describedby": "infoopt-chat-counter infoopt-chat-limit",
      });
      ui.counter = h("p", { id: "infoopt-chat-counter", class: "ic-counter" });
      ui.send = h("button", {
        id: "infoopt-chat-send",
        class: "ic-send",
        type: "submit",
        "data-ic-text": "send",
      });
      const form = h("form", { class: "ic-form", novalidate: true }, [
        h("label", { for: "infoopt-chat-input", class: "ic-sr", "data-ic-text": "inputLabel" }),
        h("div", { class: "ic-form-row" }, [ui.input, ui.send]),
        ui.counter,
      ]);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        submitInput();
      });
      ui.input.addEventListener("keydown", onInputKeydown);
      ui.input.addEventListener("input", onInputChange);
      return form;
    }

    function buildPanel() {
      ui.status = h("div", { id: "infoopt-chat-status", class: "ic-status", role: "status" });
      // Kept in the page while empty (CSS gives it no size) so that a screen reader announces
      // the text as soon as it is set.
      ui.limit = h("p", { id: "infoopt-chat-limit", class: "ic-limit", role: "alert" });
      ui.panel = h(
        "div",
        {
          id: "infoopt-chat-panel",
          class: "ic-panel",
          role: "dialog",
          "aria-modal": "false",
          "aria-labelledby": "infoopt-chat-title",
          hidden: true,
        },
        [buildHeader(), ui.status, buildLog(), ui.limit, buildForm()],
      );
      return ui.panel;
    }

    function buildRoot() {
      // A named landmark, so that the launcher and the panel are not stray content outside the
      // host page's landmarks, and screen-reader users can jump to the chat.
      ui.root = h("div", { id: ROOT_ID, role: "complementary", hidden: true }, [
        buildLauncher(),
        buildPanel(),
      ]);
      document.addEventListener("keydown", trapFocus);
      ui.root.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && state.open && !event.defaultPrevented) {
          event.preventDefault();
          closePanel(true);
        }
      });
      return ui.root;
    }

    /* ------------------------------------------------------------------ strings and colours */

    /** Puts every widget text in the current language at once. */
    function applyStrings() {
      ui.root.setAttribute("lang", state.lang);
      ui.panel.setAttribute("lang", state.lang);
      ui.root.setAttribute("aria-label", t("region"));
      for (const node of ui.root.querySelectorAll("[data-ic-text]")) {
        // Inside a message, in the message's language.
        const message = node.closest(".ic-msg[lang]");
        const lang = message ? message.getAttribute("lang") : null;
        node.textContent = t(node.getAttribute("data-ic-text"), null, lang);
      }
      for (const node of ui.root.querySelectorAll("[data-ic-label]")) {
        node.setAttribute("aria-label", t(node.getAttribute("data-ic-label")));
      }
      for (const group of ui.root.querySelectorAll(".ic-quick-replies")) {
        group.setAttribute("aria-label", t("quickReplies"));
      }
      ui.input.setAttribute("placeholder", t("placeholder"));
      ui.langSelect.value = state.lang;
      updateBadge();
      renderStatus();
      renderLimit();
      updateCounter();
    }

    function parseColour(value) {
      if (!value || !window.CSS || !CSS.supports("color", value)) return null;
      const probe = h("span", { hidden: true });
      probe.style.color = value;
      ui.root.append(probe);
      const computed = getComputedStyle(probe).color;
      probe.remove();
      const match = computed.match(
        /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+))?/,
      );
      if (!match) return null;
      return {
        rgb: [match[1], match[2], match[3]].map(Number),
        alpha: match[4] === undefined ? 1 : Number(match[4]),
      };
    }

    function contrastWithWhite(rgb) {
      const channel = (c) => {
        const v = c / 255;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
      };
      const luminance =
        0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
      return 1.05 / (luminance + 0.05);
    }

    /** data-primary is used only if white text on it stays readable (WCAG AA, 4.5:1). */
    function applyPrimaryColour() {
      if (!CONFIG.primary) return;
      const colour = parseColour(CONFIG.primary);
      if (colour && colour.alpha === 1 && contrastWithWhite(colour.rgb) >= 4.5) {
        ui.root.style.setProperty("--ic-primary", CONFIG.primary);
      } else {
        console.warn(
          '[infoopt-chat] data-primary "' +
            CONFIG.primary +
            '" is not an opaque ' +
            "colour with 4.5:1 contrast against white text; using " +
            DEFAULT_PRIMARY +
            ".",
        );
      }
    }

    /* ------------------------------------------------------------------ panel */

    // The panel covers the whole page under the same media query as widget.css: there it is a
    // modal dialog, and Tab stays inside it.
    const FULL_SCREEN = window.matchMedia("(max-width: 479px), (max-height: 520px)");

    function isModal() {
      return state.open && FULL_SCREEN.matches;
    }

    function trapFocus(event) {
      if (event.key !== "Tab" || !isModal()) return;
      const focusable = Array.from(
        ui.panel.querySelectorAll(
          'a[href], button:not([disabled]), select, textarea, [tabindex="0"]',
        ),
      ).filter((node) => node.getClientRects().length);
      if (!focusable.length) return;
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      const inside = ui.panel.contains(document.activeElement);
      if (event.shiftKey && (document.activeElement === first || !inside)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
        event.preventDefault();
        first.focus();
      }
    }

    /** Asking for a consultant again while queued or talking to one would only queue twice. */
    function renderHuman() {
      ui.human.disabled = state.withHuman;
    }

    function openPanel(moveFocus) {
      state.open = true;
      store.set(KEYS.open, "true");
      ui.panel.setAttribute("aria-modal", String(FULL_SCREEN.matches));
      ui.panel.hidden = false;
      ui.root.classList.add("ic-open");
      ui.launcher.setAttribute("aria-expanded", "true");
      setUnread(0);
      welcome();
      scrollToLatest();
      // Not on page load: restoring an open panel must not steal focus from the host page.
      if (moveFocus) ui.input.focus();
    }

    function closePanel(returnFocus) {
      state.open = false;
      store.set(KEYS.open, "false");
      ui.panel.hidden = true;
      ui.root.classList.remove("ic-open"); // first, so the launcher is visible again on phones
      ui.launcher.setAttribute("aria-expanded", "false");
      if (returnFocus) ui.launcher.focus();
    }

    function setUnread(count) {
      state.unread = count;
      store.set(KEYS.unread, String(count));
      updateBadge();
    }

    function updateBadge() {
      ui.badge.textContent = state.unread > 99 ? "99+" : String(state.unread);
      ui.badge.hidden = state.unread === 0;
      // The badge is decoration; the count is part of the launcher's name instead.
      const label = t("launcher") + (state.unread ? ", " + t("unread", { n: state.unread }) : "");
      ui.launcher.setAttribute("aria-label", label);
    }

    /* ------------------------------------------------------------------ status line */

    function setStatus(kind) {
      clearTimeout(state.timers.status);
      state.status = kind;
      renderStatus();
      if (kind === "reconnected") {
        state.timers.status = setTimeout(() => setStatus(""), RECONNECTED_MS);
      }
    }

    function renderStatus() {
      ui.status.textContent = state.status ? t(state.status) : "";
      ui.status.setAttribute("data-kind", state.status);
    }

    /* ------------------------------------------------------------------ log rendering */

    function pendingNote() {
      return h("span", { class: "ic-pending-note", "data-ic-text": "pending", text: t("pending") });
    }

    /** Who wrote `entry`: a visually hidden "Assistant:" or "You:", or, on a consultant's
     *  message, a visible "Consultant Anna:" that screen readers read out as well. */
    function authorOf(entry, lang) {
      if (typeof entry.consultant === "string") {
        const name = entry.consultant || t("consultantUnnamed", null, lang);
        return h("span", { class: "ic-author", text: t("consultantSays", { name: name }, lang) });
      }
      const key = entry.from === "bot" ? "botSays" : "youSay";
      return h("span", { class: "ic-sr", "data-ic-text": key, text: t(key, null, lang) });
    }

    function renderEntry(entry) {
      const fromBot = entry.from === "bot";
      // A message without a language of its own (older history) follows the widget's.
      const lang = normaliseLang(entry.lang);
      const bubble = h("div", { class: "ic-bubble" });
      if (fromBot) {
        // Escaped before any tag is added.
        bubble.innerHTML = formatBotText(entry.text, t("newTab", null, lang));
      } else {
        bubble.textContent = entry.text; // the visitor's text is never parsed as HTML
      }
      const meta = h("div", { class: "ic-meta" }, [
        h("time", { datetime: entry.time, text: clock(entry.time) }),
        entry.pending ? pendingNote() : null,
      ]);
      const kind = typeof entry.consultant === "string" ? " ic-consultant" : "";
      return h(
        "div",
        {
          class:
            "ic-msg " +
            (fromBot ? "ic-bot" : "ic-user") +
            kind +
            (entry.pending ? " ic-pending" : ""),
          lang: lang,
          // The same in every tab of the conversation (and after a reload).
          "data-id": entry.id,
        },
        [authorOf(entry, lang), bubble, meta],
      );
    }

    function addToLog(entry) {
      if (entry.control) return; // language switches are sent, never shown
      const node = renderEntry(entry);
      nodes.set(entry, node);
      ui.log.insertBefore(node, ui.typing);
    }

    function renderHistory() {
      for (const node of nodes.values()) node.remove();
      nodes.clear();
      for (const entry of state.history) addToLog(entry);
      refreshQuickReplies();
    }

    /** Whether the history already holds the message with this id (shown by another tab). */
    function knownId(id) {
      return typeof id === "string" && state.history.some((entry) => entry.id === id);
    }

    function newId() {
      const bytes = new Uint8Array(8);
      crypto.getRandomValues(bytes);
      return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    }

    /**
     * Another tab of this conversation saved the history: take its entries and keep ours that
     * it does not have yet, so that nothing written in either tab is lost. Only entries new to
     * this tab are added to the log (the others stay, and are not announced again).
     */
    function adoptHistory(theirs) {
      const ours = new Map(state.history.filter((e) => e.id).map((e) => [e.id, e]));
      const merged = theirs.map((entry) => {
        const known = entry.id && ours.get(entry.id);
        if (!known) return entry;
        ours.delete(entry.id);
        if (entry.used) known.used = true;
        return known;
      });
      const kept = Array.from(ours.values());
      state.history = merged
        .concat(kept)
        .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
      let next = ui.typing;
      for (let i = state.history.length - 1; i >= 0; i--) {
        const entry = state.history[i];
        if (entry.control) continue;
        let node = nodes.get(entry);
        if (!node) {
          node = renderEntry(entry);
          nodes.set(entry, node);
          ui.log.insertBefore(node, next);
        }
        next = node;
      }
      refreshQuickReplies();
      scrollToLatest();
      if (kept.length) saveHistory(); // the other tab then adopts ours
    }

    function appendEntry(entry) {
      state.history.push(entry);
      saveHistory();
      addToLog(entry);
      refreshQuickReplies();
      scrollToLatest();
    }

    function lastBotEntry() {
      for (let i = state.history.length - 1; i >= 0; i--) {
        if (state.history[i].from === "bot") return state.history[i];
      }
      return null;
    }

    /** Only the newest assistant message offers its quick replies, and only until one is used. */
    function refreshQuickReplies() {
      const last = lastBotEntry();
      const wanted =
        last && !last.used && Array.isArray(last.quickReplies) && last.quickReplies.length
          ? last
          : null;
      if (wanted === state.quickRepliesFor) return; // unchanged: avoid re-announcing the buttons
      const old = ui.log.querySelector(".ic-quick-replies");
      if (old) old.remove();
      state.quickRepliesFor = wanted;
      if (!wanted || !nodes.get(wanted)) return;
      const group = h("div", {
        class: "ic-quick-replies",
        role: "group",
        "aria-label": t("quickReplies"),
      });
      for (const reply of wanted.quickReplies) {
        const button = h("button", { class: "ic-quick-reply", type: "button", text: reply.title });
        button.addEventListener("click", () => useQuickReply(wanted, reply));
        group.append(button);
      }
      nodes.get(wanted).after(group);
    }

    /**
     * On opening an empty conversation: a greeting with the most asked topics (from the web
     * app, in the current language) and the permit finder as quick replies. The privacy notice
     * is the one above the log, not repeated here.
     */
    function welcome() {
      if (!state.history.every((entry) => entry.control || entry.welcome)) return;
      const lang = state.lang;
      if (state.history.some((entry) => entry.welcome && entry.lang === lang)) return;
      for (const old of state.history.filter((entry) => entry.welcome)) {
        const node = nodes.get(old);
        if (node) node.remove();
        nodes.delete(old);
      }
      state.history = state.history.filter((entry) => !entry.welcome);
      const show = (topics) => {
        // Too late: the visitor wrote meanwhile, or chose another language (its own greeting).
        if (lang !== state.lang || !state.history.every((entry) => entry.control)) return;
        const entry = newEntry("bot", t("greeting", null, lang));
        entry.id = newId();
        entry.lang = lang;
        entry.welcome = true;
        if (topics.length) entry.quickReplies = topics;
        appendEntry(entry);
      };
      fetch(CONFIG.topicsUrl + "?lang=" + lang)
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((body) => {
          const topics = (Array.isArray(body.topics) ? body.topics : [])
            .filter((topic) => topic && typeof topic.title === "string")
            .filter((topic) => typeof topic.payload === "string")
            .map((topic) => ({ title: topic.title, payload: topic.payload }));
          if (typeof body.finder_payload === "string") {
            topics.push({ title: t("finderTopic", null, lang), payload: body.finder_payload });
          }
          show(topics);
        })
        .catch(() => show([])); // the greeting still invites a question
    }

    /** Scrolls to the end, but a reply longer than the log is shown from its first line. */
    function scrollToLatest() {
      if (ui.panel.hidden) return;
      let replyStart = null;
      for (let i = state.history.length - 1; i >= 0; i--) {
        const entry = state.history[i];
        if (entry.control) continue;
        if (entry.from === "user") break;
        replyStart = nodes.get(entry) || replyStart;
      }
      const bottom = ui.log.scrollHeight - ui.log.clientHeight;
      ui.log.scrollTop = replyStart ? Math.min(bottom, replyStart.offsetTop - 12) : bottom;
      // At 400 % zoom the panel itself scrolls (widget.css): its end holds the log and the input.
      if (getComputedStyle(ui.panel).overflowY === "auto")
        ui.panel.scrollTop = ui.panel.scrollHeight;
    }

    function showTyping() {
      clearTimeout(state.timers.typing);
      ui.typing.hidden = false;
      scrollToLatest();
      state.timers.typing = setTimeout(hideTyping, TYPING_TIMEOUT_MS);
    }

    function hideTyping() {
      clearTimeout(state.timers.typing);
      ui.typing.hidden = true;
    }

    /* ------------------------------------------------------------------ sending */

    function hasPending() {
      return state.history.some((entry) => entry.pending);
    }

    function canSendNow() {
      // Behind messages still waiting, a new one waits too, so that the order is kept.
      return state.ready && state.socket && state.socket.connected && !hasPending();
    }

    /** Sends `entry` (the visitor's message, or a control message) to the assistant. */
    function emitUtterance(entry) {
      const payload = entry.payload !== undefined ? entry.payload : entry.text;
      state.socket.emit("user_uttered", {
        message: payload,
        session_id: state.sessionId,
        metadata: { language: entry.lang || state.lang },
        id: entry.id,
        // What the other tabs show: the button's title, never its payload.
        display: entry.control ? undefined : entry.text,
      });
      if (!state.withHuman) showTyping();
    }

    function newEntry(from, text) {
      return { from: from, text: text, time: new Date().toISOString() };
    }

    /** Shows `display` as the visitor's message and sends `payload` (the same for typed text). */
    function sendUserMessage(display, payload) {
      const entry = newEntry("user", display);
      entry.id = newId();
      entry.lang = state.lang; // until the reply tells the language the turn was answered in
      if (payload !== display) entry.payload = payload;
      if (canSendNow()) emitUtterance(entry);
      else entry.pending = true; // sent by flushPending() after reconnecting
      appendEntry(entry);
    }

    /** A message for the assistant only (a language switch): queued in order, never displayed. */
    function sendControl(payload) {
      const entry = newEntry("user", "");
      entry.id = newId();
      entry.lang = state.lang;
      entry.payload = payload;
      entry.control = true;
      if (canSendNow()) {
        emitUtterance(entry);
        return;
      }
      entry.pending = true;
      appendEntry(entry);
    }

    function flushPending() {
      const waiting = state.history.filter((entry) => entry.pending);
      for (const entry of waiting) {
        emitUtterance(entry);
        delete entry.pending;
        const node = nodes.get(entry);
        if (node) {
          node.classList.remove("ic-pending");
          const note = node.querySelector(".ic-pending-note");
          if (note) note.remove();
        }
      }
      if (!waiting.length) return;
      state.history = state.history.filter((entry) => !entry.control);
      saveHistory();
    }

    function useQuickReply(entry, reply) {
      entry.used = true;
      saveHistory();
      refreshQuickReplies();
      // A language button from the assistant also switches the widget; the payload itself
      // tells the assistant, so no second message is sent.
      const lang = languageFromPayload(reply.payload);
      if (lang && lang !== state.lang) setLanguage(lang, false);
      sendUserMessage(reply.title, reply.payload);
      ui.input.focus(); // the pressed button is gone; keep keyboard users in the conversation
    }

    function languageFromPayload(payload) {
      const match = /^\/choose_language(\{.*\})$/.exec(payload || "");
      if (!match) return null;
      try {
        return normaliseLang(JSON.parse(match[1]).language);
      } catch {
        return null;
      }
    }

    function setLanguage(lang, tellAssistant) {
      const code = normaliseLang(lang);
      if (!code) return;
      state.lang = code;
      store.set(KEYS.lang, code);
      applyStrings();
      if (state.open) welcome(); // a greeting not answered yet comes again in this language
      if (tellAssistant) sendControl('/choose_language{"language": "' + code + '"}');
    }

    /* ------------------------------------------------------------------ input */

    function onInputKeydown(event) {
      // Enter sends, Shift+Enter is a new line; never while an IME is composing a character.
      if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) {
        return;
      }
      event.preventDefault();
      submitInput();
    }

    function onInputChange() {
      updateCounter();
      if (state.limitCount && charCount(ui.input.value.trim()) <= MAX_CHARS) {
        state.limitCount = 0;
        renderLimit();
      }
      autoGrow();
    }

    function autoGrow() {
      ui.input.style.height = "auto";
      ui.input.style.height = Math.min(ui.input.scrollHeight + 4, 160) + "px";
    }

    function submitInput() {
      const text = ui.input.value.trim();
      if (!text) return;
      const count = charCount(text);
      if (count > MAX_CHARS) {
        state.limitCount = count; // not truncated and not sent: the visitor decides what to cut
        renderLimit();
        return;
      }
      state.limitCount = 0;
      renderLimit();
      ui.input.value = "";
      updateCounter();
      autoGrow();
      sendUserMessage(text, text);
    }

    function updateCounter() {
      const count = charCount(ui.input.value);
      ui.counter.textContent = count > COUNTER_FROM ? t("counter", { n: count }) : "";
      ui.counter.classList.toggle("ic-over", count > MAX_CHARS);
    }

    function renderLimit() {
      ui.limit.textContent = state.limitCount ? t("tooLong", { n: state.limitCount }) : "";
      if (state.limitCount) ui.input.setAttribute("aria-invalid", "true");
      else ui.input.removeAttribute("aria-invalid");
    }

    /* ------------------------------------------------------------------ connection */

    function onBotUttered(data) {
      if (!data || typeof data !== "object") return;
      // {custom: …} carries machine-readable data (entry ids, hand-off states): never shown.
      const handoff = data.custom && typeof data.custom === "object" ? data.custom.handoff : null;
      if (typeof handoff === "string" && handoff !== "offered") {
        state.withHuman = handoff === "queued" || handoff === "active";
        store.set(KEYS.human, String(state.withHuman));
        renderHuman();
        if (state.withHuman) hideTyping();
      }
      const text = typeof data.text === "string" ? data.text : "";
      if (!text.trim()) return;
      const replies = Array.isArray(data.quick_replies) ? data.quick_replies : [];
      const quickReplies = replies
        .filter((r) => r && typeof r.title === "string" && typeof r.payload === "string")
        .map((r) => ({ title: r.title, payload: r.payload }));
      if (knownId(data.id)) return; // another tab stored it already
      const entry = newEntry("bot", text);
      if (typeof data.id === "string") entry.id = data.id;
      if (quickReplies.length) entry.quickReplies = quickReplies;
      if (typeof data.consultant === "string") entry.consultant = data.consultant.slice(0, 64);
      const lang = normaliseLang(data.lang);
      if (lang) {
        entry.lang = lang;
        answeredIn(lang);
      }
      hideTyping();
      appendEntry(entry);
      if (!state.open) setUnread(state.unread + 1);
      // The menu follows the conversation: the next question starts from the reply's language.
      if (lang && lang !== state.lang) setLanguage(lang, false);
    }

    /** The visitor's messages since the last reply were answered in `lang`: they are in it. */
    function answeredIn(lang) {
      for (let i = state.history.length - 1; i >= 0; i--) {
        const entry = state.history[i];
        if (entry.from === "bot") break;
        if (entry.control || entry.lang === lang) continue;
        entry.lang = lang;
        const node = nodes.get(entry);
        if (node) {
          node.setAttribute("lang", lang);
          for (const text of node.querySelectorAll("[data-ic-text]")) {
            text.textContent = t(text.getAttribute("data-ic-text"), null, lang);
          }
        }
      }
    }

    /** The visitor's message sent from another tab of this conversation. */
    function onUserUttered(data) {
      if (!data || typeof data.text !== "string" || !data.text.trim() || knownId(data.id)) return;
      const entry = newEntry("user", data.text);
      if (typeof data.id === "string") entry.id = data.id;
      entry.lang = state.lang;
      appendEntry(entry);
      if (!state.withHuman) showTyping();
    }

    function onSessionConfirm(data) {
      const id = typeof data === "string" ? data : data && data.session_id;
      if (typeof id !== "string" || !id) return;
      state.sessionId = id;
      store.set(KEYS.session, id);
      state.ready = true;
      if (state.status === "offline") setStatus("reconnected");
      flushPending();
    }

    function goOffline() {
      state.ready = false;
      hideTyping(); // a reply to an interrupted request will not come
      if (state.status !== "offline") setStatus("offline");
    }

    function connect(io) {
      const socket = io(CONFIG.server, {
        path: "/socket.io",
        transports: ["websocket", "polling"],
        reconnection: true,
      });
      state.socket = socket;
      socket.on("connect", () => {
        socket.emit("session_request", { session_id: state.sessionId || null });
      });
      socket.on("session_confirm", onSessionConfirm);
      socket.on("bot_uttered", onBotUttered);
      socket.on("user_uttered", onUserUttered);
      socket.on("disconnect", (reason) => {
        goOffline();
        // socket.io does not reconnect by itself after a server-side disconnect.
        if (reason === "io server disconnect") socket.connect();
      });
      socket.on("connect_error", () => {
        goOffline();
        if (!socket.active) setTimeout(() => socket.connect(), 5000);
      });
    }

    /** Loads the socket.io client next to this file, retrying with back-off if that fails. */
    function loadSocketIo(attempt) {
      const previous = window.io;
      const script = document.createElement("script");
      script.src = CONFIG.socketIoUrl;
      script.async = true;
      script.onload = () => {
        const io = window.io;
        // The client registers a global `io`; give the host page back its own, if it had one.
        if (previous !== undefined) window.io = previous;
        if (typeof io === "function") connect(io);
        else goOffline();
      };
      script.onerror = () => {
        script.remove();
        goOffline();
        const delay = Math.min(30000, 1000 * Math.pow(2, attempt));
        state.timers.io = setTimeout(() => loadSocketIo(attempt + 1), delay);
      };
      document.head.appendChild(script);
    }

    /* ------------------------------------------------------------------ start */

    function loadStylesheet(done) {
      const link = h("link", { rel: "stylesheet", href: CONFIG.cssUrl });
      // Shown once styled; if the stylesheet fails, the plain (still usable) widget is shown.
      link.addEventListener("load", done);
      link.addEventListener("error", done);
      document.head.appendChild(link);
    }

    function start() {
      if (document.getElementById(ROOT_ID)) return; // the tag was included twice
      document.body.appendChild(buildRoot());
      applyPrimaryColour();
      applyStrings();
      renderHistory();
      renderHuman();
      window.addEventListener("storage", (event) => {
        if (event.key === KEYS.history) adoptHistory(loadHistory());
      });
      loadStylesheet(() => {
        ui.root.hidden = false;
        if (state.open) openPanel(false);
      });
      if (!CONFIG.server) {
        console.error("[infoopt-chat] data-server must be the http(s) URL of the Rasa server.");
        setStatus("unavailable"); // messages typed now stay in the log as waiting to send
        return;
      }
      loadSocketIo(0);
    }

    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }
})();
