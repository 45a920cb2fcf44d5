// A ticket as the support team sees it in the Teams triage channel: the request, its state, the
// latest activity, and the actions (Claim, Assign, Priority, Status, Reply, Note, Resolve/Reopen),
// all Action.Execute so the card can be answered with its own refreshed version.
import type { AuditEntry, Ticket } from '../../queue/types.js';
import { CATEGORY_LABELS, ORG_TYPE_LABELS, PRIORITIES, STATUS_LABELS } from '../../queue/types.js';
import { isSlaBreached, TRANSITIONS } from '../../queue/index.js';
import { actionSet, card, choices, clip, execute, facts, heading, note, plain, showCard, text, VERB, type AdaptiveCard, type CardElement } from './card-kit.js';
import { PRIORITY_LABELS } from './escalation-form.js';

export interface TriageCardOptions {
  /** Latest audit entries, newest last. */
  audit?: AuditEntry[];
  /** A line for whoever just acted (a refusal, an invalid move); not stored anywhere. */
  notice?: { text: string; tone: 'Good' | 'Attention' | 'Warning' };
  now?: Date;
}

const when = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' }) : null;

export function triageCard(ticket: Ticket, options: TriageCardOptions = {}): AdaptiveCard {
  const now = options.now ?? new Date();
  const breached = isSlaBreached(ticket, now);
  const data = { ticketId: ticket.id, v: ticket.version, surface: 'triage' };
  const body: CardElement[] = [];
  if (options.notice) body.push(text(options.notice.text, { color: options.notice.tone, weight: 'Bolder' }));
  body.push(heading(`${ticket.reference} · ${STATUS_LABELS[ticket.status]}`));
  body.push(text(plain(clip(ticket.summary, 600))));
  body.push(
    facts([
      ['Category', CATEGORY_LABELS[ticket.category]],
      ['Urgency', PRIORITY_LABELS[ticket.priority]],
      ['Organisation', `${plain(ticket.orgName)} (${ORG_TYPE_LABELS[ticket.orgType]})`],
      ['Requester', `${plain(ticket.requester.displayName ?? ticket.requester.userId)} via ${ticket.requester.platform}`],
      ['Assignee', ticket.assignee ? plain(ticket.assignee.name ?? ticket.assignee.id) : 'Unassigned'],
      ['Deadline', ticket.deadline],
      ['First response', ticket.firstResponseAt ? `Sent ${when(ticket.firstResponseAt)}` : `${breached ? '⚠️ Overdue since' : 'Due'} ${when(ticket.slaDueAt)}`],
      ['Created', when(ticket.createdAt)],
    ]),
  );
  if (ticket.details) body.push(text('Details', { weight: 'Bolder', spacing: 'Medium' }), text(plain(clip(ticket.details, 1500))));
  if (ticket.conversation.length > 0) {
    const lines = ticket.conversation.slice(-4).map((t) => `**${t.role === 'user' ? 'Requester' : 'Navigator'}:** ${plain(clip(t.text, 400))}`);
    body.push(text('Conversation (shared with consent, redacted)', { weight: 'Bolder', spacing: 'Medium' }), text(lines.join('\n\n'), { size: 'Small' }));
  }
  if (ticket.citations.length > 0) {
    const lines = ticket.citations.slice(0, 5).map((c) => `- [${plain(clip(c.title, 100))}](${c.url})`);
    body.push(text('Sources the requester saw', { weight: 'Bolder', spacing: 'Medium' }), text(lines.join('\n'), { size: 'Small' }));
  }
  const recent = (options.audit ?? []).slice(-3);
  if (recent.length > 0) {
    const lines = recent.map((a) => `${when(a.at)}: ${a.action.replace(/_/g, ' ')}${a.actor.name ? ` by ${plain(a.actor.name)}` : a.actor.id === 'requester' ? ' by the requester' : ''}`);
    body.push(note(lines.join('\n')));
  }
  body.push(...actions(ticket, data));
  return card(body, {
    // Teams asks for a fresh card when a stale one is shown to someone who may act on it.
    refresh: { action: { type: 'Action.Execute', verb: VERB.refresh, data: { ...data, verb: VERB.refresh } } },
  });
}

function actions(ticket: Ticket, data: Record<string, unknown>): CardElement[] {
  const closedOrResolved = ticket.status === 'resolved' || ticket.status === 'closed';
  const first: CardElement[] = [];
  if (!ticket.assignee && !closedOrResolved) first.push(execute('Claim', VERB.claim, data, { style: 'positive' }));
  if (closedOrResolved) first.push(execute('Reopen', VERB.reopen, data));
  else if (TRANSITIONS[ticket.status].includes('resolved')) first.push(execute('Resolve', VERB.resolve, data));
  if (ticket.status !== 'closed') first.push(showCard('Reply', [textInput('text', 'Reply to the requester (they will see this)')], execute('Send reply', VERB.reply, data)));
  first.push(showCard('Note', [textInput('text', 'Internal note (only the support team sees this)')], execute('Add note', VERB.note, data)));

  const second: CardElement[] = [];
  if (ticket.status !== 'closed') {
    second.push(
      showCard(
        'Assign',
        [
          {
            type: 'Input.ChoiceSet',
            id: 'assignee',
            label: 'Assign to',
            isRequired: true,
            choices: [],
            // Teams' people picker: the value is the person's AAD object id.
            'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users?scope=currentContext' },
          },
        ],
        execute('Assign', VERB.assign, data),
      ),
    );
  }
  second.push(
    showCard(
      'Priority',
      [
        { type: 'Input.ChoiceSet', id: 'priority', label: 'Urgency', isRequired: true, value: ticket.priority, choices: choices(PRIORITIES.map((p) => [p, PRIORITY_LABELS[p]])) },
        { type: 'Input.Date', id: 'deadline', label: 'Deadline', value: ticket.deadline ?? '' },
      ],
      execute('Set priority', VERB.priority, data),
    ),
  );
  const next = TRANSITIONS[ticket.status];
  if (next.length > 0) {
    second.push(
      showCard(
        'Status',
        [{ type: 'Input.ChoiceSet', id: 'status', label: 'Move to', isRequired: true, value: next[0], choices: choices(next.map((s) => [s, STATUS_LABELS[s]])) }],
        execute('Change status', VERB.status, data),
      ),
    );
  }
  return [actionSet(first), actionSet(second)];
}

function textInput(id: string, label: string): CardElement {
  return { type: 'Input.Text', id, label, isMultiline: true, isRequired: true, maxLength: 4000, errorMessage: 'Write something first.' };
}
