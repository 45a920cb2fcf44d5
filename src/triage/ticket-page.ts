// The ticket view: every field, the redacted conversation, cited sources, replies and internal
// notes (visibly different), the audit log, and the action forms the ticket's state allows.
import {
  CATEGORY_LABELS,
  ORG_TYPE_LABELS,
  STATUS_LABELS,
  formatReference,
  type AuditEntry,
  type Ticket,
  type TicketComment,
} from '../queue/index.js';
import { formatInstant, html, safeUrl, type SafeHtml } from './html.js';
import { page, type Flash } from './layout.js';
import { actionsPanel } from './ticket-actions-view.js';
import type { TriageSession } from './triage-auth.js';

export interface TicketView {
  session: TriageSession;
  flash: Flash | null;
  ticket: Ticket;
  breached: boolean;
  comments: TicketComment[];
  audit: AuditEntry[];
}

function requesterLabel(t: Ticket): string {
  const r = t.requester;
  const who = r.displayName ?? (r.platform === 'web' ? 'Web chat visitor' : r.userId);
  return `${who} (${r.platform})${r.email ? `, ${r.email}` : ''}`;
}

function fields(v: TicketView): SafeHtml {
  const t = v.ticket;
  const item = (label: string, value: SafeHtml | string) => html`<dt>${label}</dt><dd>${value}</dd>`;
  return html`<dl class="fields">
  ${item('Requester', requesterLabel(t))}
  ${item('Organisation', `${t.orgName} (${ORG_TYPE_LABELS[t.orgType]})`)}
  ${item('Category', CATEGORY_LABELS[t.category])}
  ${item('Priority', t.priority)}
  ${item('Deadline', t.deadline ?? 'None given')}
  ${item('Status', html`<span class="pill status-${t.status}">${STATUS_LABELS[t.status]}</span>`)}
  ${item('Assignee', t.assignee ? (t.assignee.name ?? t.assignee.id) : 'Unassigned')}
  ${item('SLA due', html`${formatInstant(t.slaDueAt)}${v.breached ? html` <span class="breached">Breached</span>` : ''}`)}
  ${item('First response', t.firstResponseAt ? formatInstant(t.firstResponseAt) : 'Not yet')}
  ${item('Created', formatInstant(t.createdAt))}
  ${item('Updated', formatInstant(t.updatedAt))}
  ${t.linkedTo ? item('Linked to', html`<a href="/triage/tickets/${formatReference(t.linkedTo)}">${formatReference(t.linkedTo)}</a>`) : ''}
</dl>`;
}

function conversation(t: Ticket): SafeHtml {
  if (t.conversation.length === 0) {
    return html`<p class="muted">No conversation shared (the requester did not consent, or there was none).</p>`;
  }
  return html`<ol class="conversation">${t.conversation.map(
    (turn) => html`<li class="turn ${turn.role}"><span class="who">${turn.role === 'user' ? 'Requester' : 'Navigator'}</span><p class="pre">${turn.text}</p></li>`,
  )}</ol>`;
}

function sources(t: Ticket): SafeHtml {
  if (t.citations.length === 0) return html`<p class="muted">None.</p>`;
  return html`<ol class="sources">${t.citations.map(
    (c) => html`<li><a href="${safeUrl(c.url)}" rel="noopener noreferrer" target="_blank">${c.title}</a> <span class="muted">${c.publisher}${c.published ? `, ${c.published}` : ''}</span></li>`,
  )}</ol>`;
}

function comment(t: Ticket, c: TicketComment): SafeHtml {
  const fromRequester = c.author.id === t.requester.userId || c.author.id === 'requester';
  const kind = c.visibility === 'internal' ? 'internal' : fromRequester ? 'requester' : 'public';
  const label = { internal: 'Internal note', requester: 'From the requester', public: 'Reply to requester' }[kind];
  const author = fromRequester ? 'Requester' : (c.author.name ?? c.author.id);
  return html`<li class="comment ${kind}" data-visibility="${c.visibility}">
  <div class="meta"><span class="tag">${label}</span> ${author} · ${formatInstant(c.createdAt)}</div>
  <p class="pre">${c.text}</p>
</li>`;
}

function describeChanges(changes: AuditEntry['changes']): string {
  return Object.entries(changes)
    .map(([k, v]) => {
      if (v && typeof v === 'object' && 'from' in v && 'to' in v) return `${k}: ${String(v.from ?? '—')} → ${String(v.to ?? '—')}`;
      return `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`;
    })
    .join('; ');
}

function auditLog(entries: AuditEntry[]): SafeHtml {
  return html`<table class="audit">
  <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Changes</th></tr></thead>
  <tbody>${entries.map(
    (e) => html`<tr><td>${formatInstant(e.at)}</td><td>${e.actor.name ?? e.actor.id} <span class="muted">(${e.actor.via})</span></td><td>${e.action.replace(/_/g, ' ')}</td><td>${describeChanges(e.changes)}</td></tr>`,
  )}</tbody>
</table>`;
}

export function ticketPage(v: TicketView): SafeHtml {
  const t = v.ticket;
  return page({
    title: t.reference,
    session: v.session,
    flash: v.flash,
    body: html`<p><a href="/triage">← Back to the queue</a></p>
<div class="layout">
<article class="ticket">
  <h1><span class="ref">${t.reference}</span> ${t.summary}</h1>
  ${fields(v)}
  <section><h2>Details from the requester</h2>${t.details ? html`<p class="pre">${t.details}</p>` : html`<p class="muted">None.</p>`}</section>
  <section><h2>Conversation (redacted)</h2>${conversation(t)}</section>
  <section><h2>Cited sources</h2>${sources(t)}</section>
  <section><h2>Replies and notes</h2>${v.comments.length ? html`<ol class="comments">${v.comments.map((c) => comment(t, c))}</ol>` : html`<p class="muted">None yet.</p>`}</section>
  <section><h2>Audit log</h2>${auditLog(v.audit)}</section>
</article>
${actionsPanel(v.session, t)}
</div>`,
  });
}
