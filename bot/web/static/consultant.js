// The consultant console: polls the state every second; all user text goes in via textContent.
(() => {
  'use strict';
  const csrf = document.querySelector('meta[name=csrf-token]').content;
  const $ = (id) => document.getElementById(id);
  const state = { selected: null, conversation: null, lastLine: 0, busy: false };
  const AUTHORS = { user: 'User', bot: 'Bot', consultant: 'Consultant', notice: 'Bot (notice)' };

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === 'text') node.textContent = v; else node.setAttribute(k, v);
    });
    (children || []).forEach((c) => node.appendChild(c));
    return node;
  }

  async function api(method, path, body) {
    const response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401) { window.location = '/login?next=/consultant/'; return null; }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.detail || response.statusText);
    return data;
  }

  function say(message) { $('status').textContent = message; }

  function minutes(seconds) {
    return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min`;
  }

  function item(h, action) {
    const li = el('li', { 'data-id': String(h.id) }, [
      el('strong', { text: `${h.lang.toUpperCase()} · ${h.channel}` }),
      el('span', { class: 'muted', text: ` · waiting ${minutes(h.waited)}` }),
      el('div', { class: 'question', text: h.question || '—' }),
    ]);
    if (h.id === state.selected) li.classList.add('selected');
    const open = el('button', { type: 'button', class: 'secondary open', text: action });
    open.addEventListener('click', () => select(h.id));
    li.appendChild(open);
    return li;
  }

  function renderList(id, handoffs, action) {
    const list = $(id);
    list.replaceChildren(...handoffs.map((h) => item(h, action)));
  }

  function renderConversation(c, me) {
    $('empty').hidden = !!c;
    $('open').hidden = !c;
    if (!c) return;
    $('conv-title').textContent = `${c.lang.toUpperCase()} · ${c.channel} · ${c.state}`;
    const meta = [`waited ${minutes(c.waited)}`];
    if (c.consultant) meta.push(`consultant: ${c.consultant}`);
    if (c.reason) meta.push(`reason: ${c.reason}`);
    $('conv-meta').textContent = meta.join(' · ');
    const last = c.lines.length ? c.lines[c.lines.length - 1].id : 0;
    if (state.conversation !== c.id || state.lastLine !== last || state.lines !== c.lines.length) {
      const transcript = $('transcript');
      transcript.replaceChildren(...c.lines.map((line) => {
        const who = AUTHORS[line.author] || line.author;
        const label = line.kb_id ? `${who} · answer ${line.kb_id}` : who;
        return el('li', { class: line.author, 'data-id': String(line.id) }, [
          el('span', { class: 'who', text: label }),
          el('span', { class: 'text', text: line.text }),
        ]);
      }));
      transcript.scrollTop = transcript.scrollHeight;
      state.conversation = c.id;
      state.lastLine = last;
      state.lines = c.lines.length;
    }
    const mine = c.state === 'active' && c.consultant === me.username;
    $('claim-box').hidden = c.state !== 'queued';
    $('reply-box').hidden = !mine;
    $('kb-box').hidden = !mine && !c.state.startsWith('ticket');
    $('ticket-box').hidden = !c.state.startsWith('ticket');
    $('ticket-email').textContent = c.email || '(none yet)';
    $('ticket-send').disabled = !c.email;
  }

  async function refresh() {
    if (state.busy) return;
    state.busy = true;
    try {
      const params = new URLSearchParams();
      if (state.selected) params.set('conversation', state.selected);
      if ($('all-languages').checked) params.set('all_languages', 'true');
      const data = await api('GET', `/consultant/api/state?${params}`);
      if (!data) return;
      $('available').checked = data.me.available;
      $('queue-count').textContent = String(data.queue.length);
      $('ticket-count').textContent = String(data.tickets.length);
      renderList('queue', data.queue, 'Open');
      renderList('mine', data.mine, 'Open');
      renderList('tickets', data.tickets, 'Open');
      renderConversation(data.conversation, data.me);
      document.body.dataset.ready = 'true';  // the first poll also marked us online
    } catch (error) {
      say(`Connection problem: ${error.message}. Retrying…`);
    } finally {
      state.busy = false;
    }
  }

  function select(id) {
    state.selected = id;
    state.conversation = null;
    say('');
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

  $('claim').addEventListener('click', () => act(
    'POST', `/consultant/api/conversations/${state.selected}/claim`, undefined,
    () => { say('You have this conversation.'); $('reply').focus(); },
  ));
  $('reply-box').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('reply').value.trim();
    if (!text) return;
    act('POST', `/consultant/api/conversations/${state.selected}/messages`, { text },
      () => { $('reply').value = ''; });
  });
  $('reply').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) $('send').click();
  });
  for (const [id, resolved] of [['handback', false], ['resolve', true]]) {
    $(id).addEventListener('click', () => act(
      'POST', `/consultant/api/conversations/${state.selected}/handback`, { resolved },
      () => say(resolved ? 'Marked resolved.' : 'Handed back to the bot.'),
    ));
  }
  $('ticket-box').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('ticket-answer').value.trim();
    if (!text) return;
    act('POST', `/consultant/api/tickets/${state.selected}/answer`, { text },
      () => { $('ticket-answer').value = ''; say('Answer sent by e-mail; ticket closed.'); });
  });
  $('ticket-close').addEventListener('click', () => act(
    'POST', `/consultant/api/tickets/${state.selected}/close`, undefined,
    () => say('Ticket closed.'),
  ));
  $('kb-box').addEventListener('submit', async (event) => {
    event.preventDefault();
    const q = $('kb-search').value.trim();
    const lang = $('conv-title').textContent.slice(0, 2).toLowerCase();
    if (!q) return;
    try {
      const found = await api('GET', `/consultant/api/answers?${new URLSearchParams({ q, lang })}`);
      $('kb-results').replaceChildren(...found.map((entry) => {
        const insert = el('button', { type: 'button', class: 'secondary kb-insert', text: 'Insert' });
        insert.addEventListener('click', () => {
          const target = $('reply-box').hidden ? $('ticket-answer') : $('reply');
          target.value = target.value ? `${target.value}\n\n${entry.answer}` : entry.answer;
          target.focus();
        });
        return el('li', { 'data-id': entry.id }, [el('strong', { text: entry.title }), el('br'), insert]);
      }));
    } catch (error) {
      say(error.message);
    }
  });
  $('available').addEventListener('change', () => act(
    'POST', '/consultant/api/presence', { available: $('available').checked },
  ));
  $('all-languages').addEventListener('change', refresh);

  refresh();
  setInterval(refresh, 1000);
})();
