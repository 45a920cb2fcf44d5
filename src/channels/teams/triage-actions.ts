// The triage card's actions. Only the support team may act; anyone else is told so and nothing
// changes. Each action is one call to the ticket service (which audits it and queues the
// notifications); the person who acted gets the refreshed card straight back, and the outbox
// updates the card in the channel for everyone else.
import type { TurnContext } from 'botbuilder';
import { PRIORITIES, STATUSES, type Actor, type Priority, type Ticket, type TicketStatus, type WorkflowResult } from '../../queue/types.js';
import { InputError } from '../../shared/errors.js';
import { VERB } from './card-kit.js';
import { errorFields, userOf, type TeamsContext } from './context.js';
import { cardBody, messageBody, type CardActionBody } from './invoke-response.js';
import { triageCard, type TriageCardOptions } from './triage-card.js';

export const TRIAGE_VERBS: ReadonlySet<string> = new Set([
  VERB.claim,
  VERB.assign,
  VERB.priority,
  VERB.status,
  VERB.reply,
  VERB.note,
  VERB.resolve,
  VERB.reopen,
  VERB.refresh,
]);

const REFUSAL = 'Only the support team can act on requests here. If you should be on it, ask an administrator to add you to TEAMS_SUPPORT_USERS or to the triage channel’s team.';

export async function triageAction(t: TeamsContext, ctx: TurnContext, verb: string, data: Record<string, unknown>): Promise<CardActionBody> {
  const ticketId = Number(data.ticketId);
  if (!Number.isInteger(ticketId) || ticketId <= 0) return messageBody('That card is missing its request number; it may be from an older version of the app.');
  const ticket = await t.deps.tickets.get(ticketId);
  if (!ticket) return messageBody('That request no longer exists.');

  // Refreshing only shows the current state, which everyone in the channel can already see.
  if (verb === VERB.refresh) return cardBody(await renderTriageCard(t, ticket));

  const user = userOf(ctx.activity);
  if (!(await t.support.isMember(user))) {
    t.logger.info('teams triage action refused', { verb, ticketId });
    return messageBody(REFUSAL);
  }
  const actor: Actor = { id: user.id, ...(user.name ? { name: user.name } : {}), via: 'teams' };

  let result: WorkflowResult<Ticket>;
  try {
    result = await perform(t, ticketId, verb, data, actor);
  } catch (err) {
    if (err instanceof InputError) return cardBody(await renderTriageCard(t, ticket, { text: err.message, tone: 'Attention' }));
    t.logger.error('teams triage action failed', { verb, ticketId, ...errorFields(err) });
    return cardBody(await renderTriageCard(t, ticket, { text: 'That did not work: the change could not be saved. Please try again.', tone: 'Attention' }));
  }
  if (result.ok) return cardBody(await renderTriageCard(t, result.value, { text: doneText(verb, actor), tone: 'Good' }));

  const fresh = (await t.deps.tickets.get(ticketId)) ?? ticket;
  return cardBody(await renderTriageCard(t, fresh, { text: failureText(result), tone: 'Warning' }));
}

async function perform(t: TeamsContext, id: number, verb: string, data: Record<string, unknown>, actor: Actor): Promise<WorkflowResult<Ticket>> {
  const { tickets, redact } = t.deps;
  const typed = (key: string) => redact(String(data[key] ?? '')).text;
  switch (verb) {
    case VERB.claim:
      return tickets.claim(id, actor);
    case VERB.assign: {
      const aad = String(data.assignee ?? '').trim();
      if (!aad) throw new InputError('Choose who to assign it to.');
      if (!(await t.support.isMember({ id: aad, aadObjectId: aad, botId: aad }))) throw new InputError('That person is not on the support team, so the request was not assigned to them.');
      const name = await t.support.nameOf(aad);
      return tickets.assign(id, { id: aad, ...(name ? { name } : {}), via: 'teams' }, actor);
    }
    case VERB.priority: {
      const priority = String(data.priority ?? '') as Priority;
      if (!PRIORITIES.includes(priority)) throw new InputError('Choose an urgency.');
      const deadline = typeof data.deadline === 'string' ? data.deadline.trim() || null : undefined;
      return tickets.setPriority(id, priority, actor, deadline);
    }
    case VERB.status: {
      const to = String(data.status ?? '') as TicketStatus;
      if (!STATUSES.includes(to)) throw new InputError('Choose a status.');
      return tickets.changeStatus(id, to, actor);
    }
    case VERB.resolve:
      return tickets.changeStatus(id, 'resolved', actor);
    case VERB.reopen:
      return tickets.reopen(id, actor);
    case VERB.reply:
      return tickets.reply(id, typed('text'), actor);
    case VERB.note:
      return tickets.addNote(id, typed('text'), actor);
    default:
      throw new InputError('That action is not available any more.');
  }
}

export async function renderTriageCard(t: TeamsContext, ticket: Ticket, notice?: TriageCardOptions['notice']) {
  const audit = await t.deps.tickets.audit(ticket.id).catch(() => []);
  return triageCard(ticket, { audit, ...(notice ? { notice } : {}) });
}

function doneText(verb: string, actor: Actor): string {
  const who = actor.name ?? 'you';
  switch (verb) {
    case VERB.claim:
      return `Claimed by ${who}.`;
    case VERB.reply:
      return 'Reply sent to the requester.';
    case VERB.note:
      return 'Internal note added.';
    default:
      return 'Done.';
  }
}

function failureText(result: Exclude<WorkflowResult<Ticket>, { ok: true }>): string {
  switch (result.reason) {
    case 'already_claimed':
      return `Already claimed by ${result.by.name ?? result.by.id}.`;
    case 'not_found':
      return 'That request no longer exists.';
    default:
      return result.message;
  }
}
