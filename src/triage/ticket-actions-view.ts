// The action forms on a ticket. Only the actions the ticket's state allows are offered; the
// service still decides (two people may act at once), and its refusal is shown as a message.
import { CATEGORIES, CATEGORY_LABELS, PRIORITIES, STATUS_LABELS, TRANSITIONS, type Ticket } from '../queue/index.js';
import { html, type SafeHtml } from './html.js';
import { csrfField } from './layout.js';
import type { TriageSession } from './triage-auth.js';

function form(session: TriageSession, t: Ticket, action: string, label: string, inner: SafeHtml | string = ''): SafeHtml {
  return html`<form method="post" action="/triage/tickets/${t.reference}/${action}" class="action action-${action}">
  ${csrfField(session)}${inner}
  <button type="submit">${label}</button>
</form>`;
}

function selectOf(id: string, name: string, label: string, items: Array<[string, string]>, selected?: string): SafeHtml {
  return html`<label for="${id}">${label}</label>
<select id="${id}" name="${name}">${items.map(([v, l]) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${l}</option>`)}</select>`;
}

export function actionsPanel(session: TriageSession, t: Ticket): SafeHtml {
  const closed = t.status === 'closed';
  const reopenable = t.status === 'resolved' || t.status === 'closed';
  const next = TRANSITIONS[t.status].filter((s) => s !== 'resolved');
  const mine = t.assignee?.id === session.actor.id;
  return html`<aside class="actions-panel card" aria-labelledby="actions-h">
  <h2 id="actions-h">Actions</h2>
  ${!t.assignee && !reopenable ? form(session, t, 'claim', 'Claim') : ''}
  ${t.assignee ? form(session, t, 'unassign', mine ? 'Release (unassign me)' : 'Unassign') : ''}
  ${!closed
    ? form(session, t, 'assign', 'Assign', html`<label for="a-name">Assign to (name)</label><input id="a-name" name="name" maxlength="80" required>`)
    : ''}
  ${form(session, t, 'category', 'Set category', selectOf('a-category', 'category', 'Category', CATEGORIES.map((c): [string, string] => [c, CATEGORY_LABELS[c]]), t.category))}
  ${form(
    session,
    t,
    'priority',
    'Set priority',
    html`${selectOf('a-priority', 'priority', 'Priority', PRIORITIES.map((p): [string, string] => [p, p]), t.priority)}
<label for="a-deadline">Deadline <span class="hint">(optional)</span></label>
<input id="a-deadline" name="deadline" type="date" value="${t.deadline ? t.deadline.slice(0, 10) : ''}">`,
  )}
  ${next.length
    ? form(session, t, 'status', 'Change status', selectOf('a-status', 'status', 'Next status', next.map((s): [string, string] => [s, STATUS_LABELS[s]])))
    : ''}
  ${!closed
    ? form(session, t, 'reply', 'Send reply', html`<label for="a-reply">Reply to requester <span class="hint">(they will see this)</span></label><textarea id="a-reply" name="text" rows="4" maxlength="5000" required></textarea>`)
    : ''}
  ${form(session, t, 'note', 'Add note', html`<label for="a-note">Internal note <span class="hint">(support team only)</span></label><textarea id="a-note" name="text" rows="3" maxlength="5000" required></textarea>`)}
  ${TRANSITIONS[t.status].includes('resolved') ? form(session, t, 'resolve', 'Resolve') : ''}
  ${reopenable ? form(session, t, 'reopen', 'Reopen') : ''}
</aside>`;
}
