// POSTed ticket actions → TicketService calls. Expected refusals (already claimed, invalid
// transition, bad input) come back as a message for the next page; store failures are thrown.
import { CATEGORIES, PRIORITIES, STATUSES, type Category, type Priority, type Ticket, type TicketService, type TicketStatus, type WorkflowResult } from '../queue/index.js';
import { InputError } from '../shared/errors.js';
import type { Flash } from './layout.js';
import { actorFor, cleanName, type TriageSession } from './triage-auth.js';

export const TICKET_ACTIONS = ['claim', 'unassign', 'assign', 'category', 'priority', 'status', 'reply', 'note', 'resolve', 'reopen'] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

export interface ActionDeps {
  tickets: TicketService;
  redact: (text: string) => { text: string; redactions: number; kinds: string[] };
}

const one = <T extends string>(allowed: readonly T[], value: unknown, what: string): T => {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(`Choose a valid ${what}.`);
};

const staffText = (deps: ActionDeps, value: unknown): { text: string; note: string } => {
  const raw = typeof value === 'string' ? value.trim() : '';
  if (!raw) throw new InputError('Write something first: the text was empty.');
  if (raw.length > 5000) throw new InputError('The text is too long (at most 5,000 characters).');
  // Staff text is stored and relayed like anyone's, so patient data is removed from it too.
  const r = deps.redact(raw);
  return { text: r.text, note: r.redactions > 0 ? ` ${r.redactions} item(s) of patient-identifiable data were removed before saving.` : '' };
};

function deadlineOf(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const v = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) throw new InputError('The deadline must be a date such as 2026-12-31.');
  return v;
}

function outcome(result: WorkflowResult<Ticket>, done: string): Flash {
  if (result.ok) return { kind: 'ok', text: done };
  switch (result.reason) {
    case 'not_found':
      return { kind: 'error', text: 'That ticket no longer exists.' };
    case 'already_claimed':
      return { kind: 'error', text: `Already claimed by ${result.by.name ?? result.by.id}.` };
    default:
      return { kind: 'error', text: result.message };
  }
}

export async function runTicketAction(deps: ActionDeps, session: TriageSession, ticket: Ticket, action: TicketAction, body: Record<string, unknown>): Promise<Flash> {
  const { tickets } = deps;
  const me = session.actor;
  const ref = ticket.reference;
  try {
    switch (action) {
      case 'claim':
        return outcome(await tickets.claim(ticket.id, me), `You claimed ${ref}.`);
      case 'unassign':
        return outcome(await tickets.unassign(ticket.id, me), `${ref} is unassigned.`);
      case 'assign': {
        const name = cleanName(body.name);
        if (!name) throw new InputError('Give the name of the person to assign (1–80 characters).');
        return outcome(await tickets.assign(ticket.id, actorFor(name), me), `${ref} is assigned to ${name}.`);
      }
      case 'category': {
        const category = one<Category>(CATEGORIES, body.category, 'category');
        return outcome(await tickets.setCategory(ticket.id, category, me), `Category of ${ref} saved.`);
      }
      case 'priority': {
        const priority = one<Priority>(PRIORITIES, body.priority, 'priority');
        return outcome(await tickets.setPriority(ticket.id, priority, me, deadlineOf(body.deadline)), `Priority of ${ref} saved.`);
      }
      case 'status': {
        const status = one<TicketStatus>(STATUSES, body.status, 'status');
        return outcome(await tickets.changeStatus(ticket.id, status, me), `${ref} status changed.`);
      }
      case 'reply': {
        const { text, note } = staffText(deps, body.text);
        return outcome(await tickets.reply(ticket.id, text, me), `Reply sent to the requester.${note}`);
      }
      case 'note': {
        const { text, note } = staffText(deps, body.text);
        return outcome(await tickets.addNote(ticket.id, text, me), `Internal note added.${note}`);
      }
      case 'resolve':
        return outcome(await tickets.changeStatus(ticket.id, 'resolved', me), `${ref} is resolved.`);
      case 'reopen':
        return outcome(await tickets.reopen(ticket.id, me), `${ref} is reopened.`);
    }
  } catch (err) {
    if (err instanceof InputError) return { kind: 'error', text: err.message };
    throw err;
  }
}
