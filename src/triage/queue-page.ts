// The queue view: filters, the ticket table, pagination, and the figures panel (what people ask,
// feedback, and the notification outbox with its failed items).
import {
  CATEGORIES,
  CATEGORY_LABELS,
  ORG_TYPES,
  ORG_TYPE_LABELS,
  PRIORITIES,
  STATUSES,
  STATUS_LABELS,
  TICKET_SORTS,
  type AskSummary,
  type OutboxItem,
  type Ticket,
} from '../queue/index.js';
import { formatInstant, html, truncate, type SafeHtml } from './html.js';
import { csrfField, page, type Flash } from './layout.js';
import { PAGE_SIZE, queueSearch, type QueueQuery } from './queue-filters.js';
import type { TriageSession } from './triage-auth.js';

export interface QueueFigures {
  asks: AskSummary;
  feedback: { helpful: number; notHelpful: number };
  outbox: { pending: number; failed: number };
  failedItems: OutboxItem[];
}

export interface QueueView {
  session: TriageSession;
  flash: Flash | null;
  query: QueueQuery;
  tickets: Array<{ ticket: Ticket; breached: boolean }>;
  total: number;
  assignees: Array<{ id: string; name: string }>;
  figures: QueueFigures;
}

const SORT_LABELS: Record<(typeof TICKET_SORTS)[number], string> = {
  newest: 'Newest first',
  oldest: 'Oldest first',
  updated: 'Recently updated',
  sla_due: 'SLA due soonest',
  priority: 'Priority',
};

function options(selected: string, items: Array<[string, string]>): SafeHtml[] {
  return items.map(([value, label]) => html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`);
}

function select(name: string, label: string, selected: string, items: Array<[string, string]>): SafeHtml {
  return html`<div class="field"><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}">${options(selected, items)}</select></div>`;
}

function filtersForm(v: QueueView): SafeHtml {
  const q = v.query;
  const any: [string, string] = ['', 'Any'];
  return html`<form class="filters" method="get" action="/triage" role="search" aria-label="Filter tickets">
  <div class="field grow"><label for="f-q">Search</label><input id="f-q" name="q" type="search" value="${q.q}" placeholder="Reference, summary, organisation"></div>
  ${select('status', 'Status', q.status, [['open', 'Open (not resolved)'], ['all', 'All'], ...STATUSES.map((s): [string, string] => [s, STATUS_LABELS[s]])])}
  ${select('category', 'Category', q.category, [any, ...CATEGORIES.map((c): [string, string] => [c, CATEGORY_LABELS[c]])])}
  ${select('priority', 'Priority', q.priority, [any, ...PRIORITIES.map((p): [string, string] => [p, p])])}
  ${select('assignee', 'Assignee', q.assignee, [any, ['none', 'Unassigned'], ['me', 'Me'], ...v.assignees.map((a): [string, string] => [a.id, a.name])])}
  ${select('org', 'Organisation type', q.org, [any, ...ORG_TYPES.map((o): [string, string] => [o, ORG_TYPE_LABELS[o]])])}
  ${select('sla', 'SLA', q.sla, [any, ['breached', 'Breached'], ['ok', 'Not breached']])}
  ${select('sort', 'Sort', q.sort, TICKET_SORTS.map((s): [string, string] => [s, SORT_LABELS[s]]))}
  <div class="field actions"><button type="submit">Apply</button><a href="/triage">Reset</a></div>
</form>`;
}

function row({ ticket: t, breached }: { ticket: Ticket; breached: boolean }): SafeHtml {
  return html`<tr data-reference="${t.reference}">
  <td><a href="/triage/tickets/${t.reference}">${t.reference}</a></td>
  <td class="summary">${truncate(t.summary, 90)}</td>
  <td>${ORG_TYPE_LABELS[t.orgType]}<br><span class="muted">${t.orgName}</span></td>
  <td>${CATEGORY_LABELS[t.category]}</td>
  <td><span class="pill priority-${t.priority}">${t.priority}</span></td>
  <td><span class="pill status-${t.status}">${STATUS_LABELS[t.status]}</span></td>
  <td>${t.assignee ? (t.assignee.name ?? t.assignee.id) : html`<span class="muted">Unassigned</span>`}</td>
  <td>${formatInstant(t.slaDueAt)}${breached ? html` <span class="breached" title="First response overdue">Breached</span>` : ''}</td>
  <td>${formatInstant(t.createdAt)}</td>
</tr>`;
}

function table(v: QueueView): SafeHtml {
  if (v.tickets.length === 0) return html`<p class="empty">No tickets match these filters.</p>`;
  return html`<table class="queue">
  <caption>${v.total} ticket${v.total === 1 ? '' : 's'}</caption>
  <thead><tr><th scope="col">Reference</th><th scope="col">Summary</th><th scope="col">Requester</th><th scope="col">Category</th><th scope="col">Priority</th><th scope="col">Status</th><th scope="col">Assignee</th><th scope="col">SLA due</th><th scope="col">Created</th></tr></thead>
  <tbody>${v.tickets.map(row)}</tbody>
</table>`;
}

function pager(v: QueueView): SafeHtml {
  const pages = Math.max(1, Math.ceil(v.total / PAGE_SIZE));
  if (pages <= 1) return html``;
  const q = v.query;
  return html`<nav class="pager" aria-label="Pages">
  ${q.page > 1 ? html`<a href="/triage${queueSearch(q, { page: q.page - 1 })}" rel="prev">Previous</a>` : ''}
  <span>Page ${q.page} of ${pages}</span>
  ${q.page < pages ? html`<a href="/triage${queueSearch(q, { page: q.page + 1 })}" rel="next">Next</a>` : ''}
</nav>`;
}

function figures(v: QueueView): SafeHtml {
  const f = v.figures;
  const routes = Object.entries(f.asks.byRoute).sort((a, b) => b[1] - a[1]);
  return html`<aside class="figures card" aria-labelledby="figures-h">
  <h2 id="figures-h">Figures</h2>
  <dl>
    <dt>Questions asked</dt><dd>${f.asks.total}</dd>
    <dt>Abstentions</dt><dd>${f.asks.byRoute.abstain ?? 0}</dd>
    <dt>Feedback: helpful</dt><dd>${f.feedback.helpful}</dd>
    <dt>Feedback: not helpful</dt><dd>${f.feedback.notHelpful}</dd>
    <dt>Outbox pending</dt><dd>${f.outbox.pending}</dd>
    <dt>Outbox failed</dt><dd>${f.outbox.failed}</dd>
  </dl>
  <h3>Questions by route</h3>
  ${routes.length ? html`<ul class="plain">${routes.map(([r, n]) => html`<li>${r.replace('_', ' ')}: ${n}</li>`)}</ul>` : html`<p class="muted">None yet.</p>`}
  <h3>Failed notifications</h3>
  ${f.failedItems.length ? html`<ul class="plain failed">${f.failedItems.map((item) => failedItem(v.session, item))}</ul>` : html`<p class="muted">None.</p>`}
</aside>`;
}

function failedItem(session: TriageSession, item: OutboxItem): SafeHtml {
  return html`<li>
  <span>${item.platform} · ${item.kind} · <a href="/triage/tickets/${item.ticketId}">ticket ${item.ticketId}</a></span>
  <span class="muted">${truncate(item.lastError ?? 'unknown error', 120)}</span>
  <form method="post" action="/triage/outbox/${item.id}/retry">${csrfField(session)}<button type="submit" class="small">Retry</button></form>
</li>`;
}

export function queuePage(v: QueueView): SafeHtml {
  return page({
    title: 'Queue',
    session: v.session,
    flash: v.flash,
    body: html`<div class="layout">
<section class="queue-main">
  <div class="heading"><h1>Support queue</h1><a class="button secondary" href="/triage/export.csv${queueSearch(v.query, { page: 1 })}">Export CSV</a></div>
  ${filtersForm(v)}
  ${table(v)}
  ${pager(v)}
</section>
${figures(v)}
</div>`,
  });
}
