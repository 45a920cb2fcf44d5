// Outbox notifications for Teams: new tickets posted to the triage channel (and the card updated
// in place after each change), SLA warnings in the ticket's thread, and replies and status
// changes sent to the requester's own chat. One connector attempt per call; the outbox retries.
import type { Activity, ConversationReference } from 'botbuilder';
import type { DeliveryHandler, DeliveryOutcome, OutboxItem, Ticket } from '../../queue/types.js';
import { attachment } from './card-kit.js';
import { outcomeFromConnectorError } from './connector.js';
import { errorFields, type TeamsContext } from './context.js';
import { supportReplyCard } from './requester-cards.js';
import { renderTriageCard } from './triage-actions.js';

/** Where a ticket's triage card lives, as stored in ChannelRefs. */
interface CardRef {
  serviceUrl: string;
  conversationId: string;
  activityId: string;
  channelId?: string;
  tenantId?: string;
  bot?: { id: string; name?: string };
}

export function createTeamsDelivery(t: TeamsContext): DeliveryHandler {
  return async (item, ticket) => {
    try {
      switch (item.kind) {
        case 'ticket_created':
          return await postTriageCard(t, ticket, item);
        case 'ticket_updated':
          return await updateTriageCard(t, ticket, item);
        case 'sla_warning':
          return await slaWarning(t, ticket, item);
        case 'reply':
        case 'status_changed':
          return await notifyRequester(t, ticket, item);
        default:
          return { ok: false, retryable: false, error: `unknown notification kind ${String(item.kind)}` };
      }
    } catch (err) {
      const outcome = outcomeFromConnectorError(err);
      t.logger.warn('teams delivery failed', { outboxId: item.id, kind: item.kind, ticketId: ticket.id, retryable: !outcome.ok && outcome.retryable, ...errorFields(err) });
      return outcome;
    }
  };
}

async function postTriageCard(t: TeamsContext, ticket: Ticket, item: OutboxItem): Promise<DeliveryOutcome> {
  // Delivered already (a retry after a lost acknowledgement): posting again would duplicate the card.
  if (await cardRef(t, ticket.id)) return { ok: true };
  const triage = await t.triage.get();
  if (!triage) return notConfigured(t, ticket, item);
  const activityId = await t.connector.send(triage, {
    type: 'message',
    // The text is what notifications and the channel list show; the card has the detail.
    summary: `New request ${ticket.reference}`,
    attachments: [attachment(await renderTriageCard(t, ticket))],
  });
  if (!activityId) return { ok: false, retryable: true, error: 'the Bot Connector returned no activity id' };
  const ref: CardRef = {
    serviceUrl: triage.serviceUrl,
    conversationId: triage.conversation.id,
    activityId,
    channelId: triage.channelId ?? 'msteams',
    ...(triage.conversation.tenantId ? { tenantId: triage.conversation.tenantId } : {}),
    ...(triage.bot ? { bot: { id: triage.bot.id, name: triage.bot.name } } : {}),
  };
  await t.deps.channelRefs.set(ticket.id, 'teams', { ...ref });
  t.logger.info('teams triage card posted', { ticketId: ticket.id, reference: ticket.reference });
  return { ok: true };
}

async function updateTriageCard(t: TeamsContext, ticket: Ticket, item: OutboxItem): Promise<DeliveryOutcome> {
  const ref = await cardRef(t, ticket.id);
  // Never posted (triage set up after the ticket, or the first post still pending): post it now.
  if (!ref) return postTriageCard(t, ticket, item);
  try {
    await t.connector.update(referenceOf(ref), ref.activityId, { type: 'message', attachments: [attachment(await renderTriageCard(t, ticket))] });
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== 404) throw err;
    // The card was deleted from the channel: post a fresh one rather than failing every later update.
    t.logger.info('teams triage card was gone; posting a new one', { ticketId: ticket.id });
    return postTriageCard(t, ticket, item);
  }
  return { ok: true };
}

async function slaWarning(t: TeamsContext, ticket: Ticket, item: OutboxItem): Promise<DeliveryOutcome> {
  const ref = await cardRef(t, ticket.id);
  const triage = ref ? null : await t.triage.get();
  if (!ref && !triage) return notConfigured(t, ticket, item);
  const due = new Date(ticket.slaDueAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' });
  const text = `⚠️ **${ticket.reference}** has had no first response, and one was due by ${due}.`;
  if (ref) {
    // In the ticket's own thread, so the warning sits under its card.
    await t.connector.send({ ...referenceOf(ref), conversation: { ...referenceOf(ref).conversation!, id: `${ref.conversationId};messageid=${ref.activityId}` } }, { type: 'message', text, textFormat: 'markdown' });
  } else {
    await t.connector.send(triage!, { type: 'message', text, textFormat: 'markdown' });
  }
  return { ok: true };
}

async function notifyRequester(t: TeamsContext, ticket: Ticket, item: OutboxItem): Promise<DeliveryOutcome> {
  const ref = ticket.requester.conversation as Partial<ConversationReference> | undefined;
  if (!ref?.serviceUrl || !ref.conversation?.id) {
    return { ok: false, retryable: false, error: `${ticket.reference} has no Teams conversation to reply to` };
  }
  let activity: Partial<Activity>;
  if (item.kind === 'reply') {
    const reply = item.payload as { text?: unknown; author?: { name?: unknown } };
    const author = typeof reply.author?.name === 'string' ? reply.author.name : undefined;
    activity = { type: 'message', summary: `Reply about ${ticket.reference}`, attachments: [attachment(supportReplyCard(ticket, { text: String(reply.text ?? ''), ...(author ? { author } : {}) }))] };
  } else {
    const message = typeof item.payload.message === 'string' ? item.payload.message : `Your request ${ticket.reference} has a new status.`;
    activity = { type: 'message', text: message };
  }
  await t.connector.send(ref, activity);
  return { ok: true };
}

function notConfigured(t: TeamsContext, ticket: Ticket, item: OutboxItem): DeliveryOutcome {
  t.logger.info('Teams triage is not configured; the ticket is on the web dashboard', { kind: item.kind, ticketId: ticket.id });
  return { ok: true };
}

async function cardRef(t: TeamsContext, ticketId: number): Promise<CardRef | null> {
  const raw = await t.deps.channelRefs.get(ticketId, 'teams');
  const r = raw as Partial<CardRef> | null;
  return r && typeof r.serviceUrl === 'string' && typeof r.conversationId === 'string' && typeof r.activityId === 'string' ? (r as CardRef) : null;
}

function referenceOf(ref: CardRef): Partial<ConversationReference> {
  return {
    channelId: ref.channelId ?? 'msteams',
    serviceUrl: ref.serviceUrl,
    conversation: { id: ref.conversationId, isGroup: true, conversationType: 'channel', name: '', ...(ref.tenantId ? { tenantId: ref.tenantId } : {}) },
    ...(ref.bot ? { bot: { id: ref.bot.id, name: ref.bot.name ?? '' } } : {}),
  };
}
