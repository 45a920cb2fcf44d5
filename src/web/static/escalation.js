// "Request hands-on help" in the web chat: a button under every answer opens the request form
// (prefilled by the server), and the page polls for the support team's replies and status changes.
// Plain DOM with text nodes only: nothing from the server or the user is parsed as HTML.
import { addTurn, el, sessionId } from './chat.js';

const dialog = document.getElementById('escalate');
const form = document.getElementById('escalate-form');
const summaryBox = document.getElementById('escalate-errors');
const sendButton = document.getElementById('escalate-send');
const FIELDS = ['orgType', 'orgName', 'category', 'priority', 'deadline', 'summary', 'details', 'consent'];
const field = (name) => document.getElementById(`esc-${name}`);
const POLL_MS = 5000;
const stateKey = `navigator-escalations:${sessionId}`;
const orgKey = 'navigator-org';

let context = null; // the answer the form was opened from: { question, history, conversation, citations }
let opener = null;
let typedSummary = false;

function loadJson(key, fallback) {
  try {
    return JSON.parse(localStorage.getItem(key) ?? '') ?? fallback;
  } catch {
    return fallback;
  }
}
/** Per ticket: the last status shown and which replies were already shown, so reloads don't repeat them. */
const known = loadJson(stateKey, {});
const saveKnown = () => localStorage.setItem(stateKey, JSON.stringify(known));

document.addEventListener('navigator:answer', (event) => {
  const { question, data, history, asked, item } = event.detail;
  const prominent = data.route === 'escalate' || data.route === 'abstain';
  const button = el('button', { type: 'button', class: prominent ? 'help prominent' : 'help secondary' }, 'Request hands-on help');
  button.addEventListener('click', () =>
    openForm(button, { question, history: asked ?? [], conversation: history ?? [], citations: data.citations ?? [] }),
  );
  const bar = el('div', { class: 'turn-actions' });
  if (prominent) {
    const lead = data.route === 'escalate' ? 'This sounds like something the support team can help with.' : 'The guidance may not cover this; the support team can help.';
    bar.append(el('p', { class: 'help-lead' }, lead));
  }
  bar.append(button);
  item.append(bar);
});

function clearErrors() {
  summaryBox.hidden = true;
  summaryBox.replaceChildren();
  for (const name of FIELDS) {
    const message = document.getElementById(`err-${name}`);
    message.hidden = true;
    message.textContent = '';
    field(name).removeAttribute('aria-invalid');
  }
}

function showErrors(fields, message) {
  const list = el('ul');
  for (const [key, text] of Object.entries(fields ?? {})) {
    const name = key.split('.')[0];
    if (FIELDS.includes(name)) {
      const slot = document.getElementById(`err-${name}`);
      if (slot.hidden) {
        slot.textContent = text;
        slot.hidden = false;
        field(name).setAttribute('aria-invalid', 'true');
        list.append(el('li', {}, el('a', { href: `#esc-${name}` }, text)));
      }
    } else list.append(el('li', {}, text));
  }
  summaryBox.replaceChildren(el('p', {}, message || 'Please correct the highlighted fields.'));
  if (list.childElementCount) summaryBox.append(list);
  summaryBox.hidden = false;
  summaryBox.focus();
}

async function openForm(button, ctx) {
  context = ctx;
  opener = button;
  clearErrors();
  const org = loadJson(orgKey, {});
  if (org.orgType && !field('orgType').value) field('orgType').value = org.orgType;
  if (org.orgName && !field('orgName').value) field('orgName').value = org.orgName;
  field('summary').value = '';
  field('details').value = '';
  field('deadline').value = '';
  field('consent').checked = false;
  typedSummary = false;
  dialog.showModal();
  (field('orgType').value ? field('summary') : field('orgType')).focus();
  try {
    const res = await fetch('/api/escalations/prefill', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-navigator-session': sessionId },
      body: JSON.stringify({ question: ctx.question, history: ctx.history }),
    });
    if (!res.ok || context !== ctx) return;
    const prefill = await res.json();
    if (prefill.category) field('category').value = prefill.category;
    if (!typedSummary && prefill.summary) field('summary').value = prefill.summary;
  } catch {
    // The form works without a prefill; the person writes the summary themselves.
  }
}

field('summary').addEventListener('input', () => (typedSummary = true));
document.getElementById('escalate-cancel').addEventListener('click', () => dialog.close());
dialog.addEventListener('close', () => opener?.focus());

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors();
  const consent = field('consent').checked;
  const body = {
    orgType: field('orgType').value,
    orgName: field('orgName').value,
    category: field('category').value,
    priority: field('priority').value,
    deadline: field('deadline').value || undefined,
    summary: field('summary').value,
    details: field('details').value || undefined,
    consent,
    // Only with consent does the conversation leave the browser at all.
    conversation: consent ? context?.conversation ?? [] : undefined,
    citations: context?.citations ?? [],
  };
  sendButton.disabled = true;
  try {
    const res = await fetch('/api/escalations', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-navigator-session': sessionId },
      body: JSON.stringify(body),
    });
    const data = await res.json().catch(() => ({}));
    if (res.status === 201) {
      localStorage.setItem(orgKey, JSON.stringify({ orgType: body.orgType, orgName: body.orgName }));
      known[data.reference] ??= { status: data.status, seen: [] };
      saveKnown();
      dialog.close();
      const how = data.linked ? 'was added to your earlier request' : 'has been sent to the support team';
      const turn = addTurn('support', `Thank you. Your request ${data.reference} ${how}. Their replies and any status changes will appear in this conversation.`, { who: 'Support team' });
      turn.classList.add('confirmation');
      turn.dataset.reference = data.reference;
      startPolling();
      void poll();
    } else {
      showErrors(data.fields, data.error || `Your request could not be sent (${res.status}). Please try again.`);
    }
  } catch {
    showErrors({}, 'Your request could not be sent: the server could not be reached. Please try again.');
  } finally {
    sendButton.disabled = false;
  }
});

const replyKey = (reply) => `${reply.at}|${reply.text.length}`;

function renderRequests(list) {
  const section = document.getElementById('my-requests');
  const ul = document.getElementById('my-requests-list');
  ul.replaceChildren(...list.map((t) => el('li', { 'data-reference': t.reference }, el('strong', {}, t.reference), ` · ${t.statusLabel ?? t.status} · ${t.summary}`)));
  section.hidden = list.length === 0;
}

async function poll() {
  let list;
  try {
    const res = await fetch('/api/escalations', { headers: { 'x-navigator-session': sessionId } });
    if (!res.ok) return;
    list = await res.json();
  } catch {
    return; // offline for a moment: the next poll tries again
  }
  if (!Array.isArray(list)) return;
  renderRequests(list);
  for (const t of [...list].reverse()) {
    const state = (known[t.reference] ??= { status: t.status, seen: [] });
    for (const reply of t.replies ?? []) {
      const key = replyKey(reply);
      if (state.seen.includes(key)) continue;
      state.seen.push(key);
      const who = `Support team · ${t.reference}${reply.author ? ` · ${reply.author}` : ''}`;
      addTurn('support', reply.text, { who }).classList.add('support-reply');
    }
    if (t.status !== state.status) {
      state.status = t.status;
      addTurn('support', `${t.reference} is now ${t.statusLabel ?? t.status}.`, { who: 'Support team' }).classList.add('status-change');
    }
  }
  saveKnown();
  if (list.length) startPolling();
}

let timer = null;
function startPolling() {
  if (timer) return;
  timer = setInterval(() => {
    if (!document.hidden) void poll();
  }, POLL_MS);
}
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && timer) void poll();
});

void poll();
