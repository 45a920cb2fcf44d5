// The web chat: plain DOM, no framework, no innerHTML (answers are rendered as text nodes).
const log = document.getElementById('log');
const form = document.getElementById('ask');
const box = document.getElementById('question');
const send = document.getElementById('send');
let history = [];

const sessionKey = 'navigator-session';
let session = localStorage.getItem(sessionKey);
if (!session || !/^[A-Za-z0-9_-]{8,64}$/.test(session)) {
  session = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  localStorage.setItem(sessionKey, session);
}
export const sessionId = session;

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

/** Inline Markdown subset: **bold**, _italic_, [n] markers stay as text. */
function inline(text) {
  const frag = document.createDocumentFragment();
  const re = /\*\*([^*]+)\*\*|_([^_]+)_/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    frag.append(text.slice(last, m.index));
    frag.append(m[1] !== undefined ? el('strong', {}, m[1]) : el('em', {}, m[2]));
    last = m.index + m[0].length;
  }
  frag.append(text.slice(last));
  return frag;
}

function renderText(text) {
  const wrap = el('div', { class: 'text' });
  let list = null;
  for (const line of text.split('\n')) {
    const bullet = line.match(/^\s*[-*]\s+(.*)$/);
    if (bullet) {
      if (!list) wrap.append((list = el('ul')));
      list.append(el('li', {}, inline(bullet[1])));
    } else if (line.trim()) {
      list = null;
      wrap.append(el('p', {}, inline(line)));
    } else list = null;
  }
  return wrap;
}

/** Appends a turn to the conversation; `data.who` names a speaker other than You/Navigator. */
export function addTurn(role, text, data) {
  const who = el('span', { class: 'who' }, data?.who ?? (role === 'user' ? 'You' : 'Navigator'));
  const item = el('li', { class: `turn ${role}` }, who);
  if (data?.route) item.querySelector('.who').after(el('span', { class: 'route', 'data-route': data.route }, data.route.replace('_', ' ')));
  item.append(renderText(text));
  if (data?.citations?.length) {
    const list = el('ol');
    for (const c of data.citations) {
      const meta = [c.publisher, c.published && c.published !== 'undated' ? c.published : null].filter(Boolean).join(', ');
      const link = el('a', { href: c.url, target: '_blank', rel: 'noopener noreferrer', class: 'citation' }, c.title);
      const li = el('li', {}, link, el('span', { class: 'meta' }, meta ? ` — ${meta}` : ''));
      if (c.status && c.status !== 'current') li.append(el('span', { class: 'badge' }, c.status));
      list.append(li);
    }
    item.append(el('section', { class: 'sources', 'aria-label': 'Sources' }, el('h2', {}, 'Sources'), list));
  }
  log.append(item);
  item.scrollIntoView({ block: 'end' });
  return item;
}

async function ask(question) {
  addTurn('user', question);
  send.disabled = true;
  try {
    const res = await fetch('/api/ask', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-navigator-session': sessionId },
      body: JSON.stringify({ question, history }),
    });
    const data = await res.json().catch(() => ({ error: 'The server sent an unreadable reply.' }));
    if (!res.ok) {
      addTurn('assistant', data.error || `Something went wrong (${res.status}).`, { route: 'error' });
      return;
    }
    const item = addTurn('assistant', data.answer, data);
    const asked = history;
    history = [...history, { role: 'user', text: question }, { role: 'assistant', text: data.answer }].slice(-12);
    // escalation.js adds the "Request hands-on help" action to the answer's turn.
    document.dispatchEvent(new CustomEvent('navigator:answer', { detail: { question, data, history, asked, item } }));
  } catch {
    addTurn('assistant', 'I could not reach the server. Please try again.', { route: 'error' });
  } finally {
    send.disabled = false;
    box.focus();
  }
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const q = box.value.trim();
  if (!q) return;
  box.value = '';
  ask(q);
});
box.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey) {
    e.preventDefault();
    form.requestSubmit();
  }
});
document.getElementById('new-chat').addEventListener('click', () => {
  history = [];
  log.replaceChildren();
  box.focus();
});
box.focus();
