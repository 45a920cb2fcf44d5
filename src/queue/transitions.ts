// The ticket lifecycle. Reopening (resolved/closed → in_progress) is its own action, `reopen`,
// so that it is audited as such and cannot happen by a mis-click on a status menu.
import { STATUS_LABELS, type TicketStatus } from './types.js';

export const TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['triaged', 'in_progress', 'resolved'],
  triaged: ['in_progress', 'waiting_on_requester', 'resolved'],
  in_progress: ['waiting_on_requester', 'resolved'],
  waiting_on_requester: ['in_progress', 'resolved'],
  resolved: ['closed'],
  closed: [],
};

export const REOPENABLE: readonly TicketStatus[] = ['resolved', 'closed'];
export const OPEN_STATUSES: readonly TicketStatus[] = ['new', 'triaged', 'in_progress', 'waiting_on_requester'];

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** A sentence for the person who tried, naming both states and what they could do instead. */
export function transitionMessage(reference: string, from: TicketStatus, to: TicketStatus): string {
  const base = `${reference} cannot move from ${from} (${STATUS_LABELS[from]}) to ${to} (${STATUS_LABELS[to]})`;
  if (from === to) return `${base}: it is already ${to}.`;
  if (REOPENABLE.includes(from)) return `${base}: reopen it first.`;
  const allowed = TRANSITIONS[from];
  return `${base}: from ${from} it can go to ${allowed.join(', ')}.`;
}

/** What the requester is told when their ticket moves; plain text, channels may format it. */
export function requesterStatusMessage(reference: string, to: TicketStatus): string {
  switch (to) {
    case 'triaged':
      return `Your request ${reference} has been reviewed by the support team.`;
    case 'in_progress':
      return `Your request ${reference} is now being worked on by the support team.`;
    case 'waiting_on_requester':
      return `The support team needs more information from you about ${reference}: please see their latest message and reply in this conversation.`;
    case 'resolved':
      return `Your request ${reference} has been resolved. If you still need help, reply here and it will be reopened.`;
    case 'closed':
      return `Your request ${reference} is now closed.`;
    default:
      return `Your request ${reference} is now ${STATUS_LABELS[to]}.`;
  }
}
