// Outbox notifications for Slack: the triage channel's message for each ticket (posted once, then
// updated in place with a threaded log line per change), SLA warnings, and replies and status
// changes to the requester's own thread or DM. Web API failures become DeliveryOutcomes, so the
// outbox retries what is worth retrying (5xx, 429 with its Retry-After) and never loses one.
import type { ChannelRefs } from '../../queue/index.js';
import type { DeliveryHandler, DeliveryOutcome, OutboxItem, Ticket } from '../../queue/types.js';
import type { Logger } from '../../shared/logger.js';
import { textMessage } from './answer-blocks.js';
import { outcomeFromSlackError, type WebClient } from './slack-api.js';
import { slackDate, triageLogLine, triageMessage } from './triage-message.js';

export interface DeliveryDeps {
  api: WebClient;
  channelRefs: ChannelRefs;
  triageChannel?: string;
  logger: Logger;
}

interface TriageRef {
  channel: string;
  ts: string;
}

/** How long a change waits for its ticket's first triage post before trying again. */
const WAIT_FOR_POST_MS = 2000;

export function createSlackDelivery(deps: DeliveryDeps): DeliveryHandler {
  return async (item, ticket) => {
    try {
      switch (item.kind) {
        case 'ticket_created':
          return await postOrRefresh(deps, ticket);
        case 'ticket_updated':
          return await updateTriage(deps, item, ticket);
        case 'sla_warning':
          return await slaWarning(deps, ticket);
        case 'reply':
          return await toRequester(deps, ticket, replyText(item));
        case 'status_changed':
          return await toRequester(deps, ticket, statusText(item));
        default:
          return { ok: false, retryable: false, error: `unknown notification kind ${String((item as OutboxItem).kind)}` };
      }
    } catch (err) {
      const outcome = outcomeFromSlackError(err);
      deps.logger.warn('slack delivery failed', { kind: item.kind, ticketId: item.ticketId, error: outcome.ok ? undefined : outcome.error });
      return outcome;
    }
  };
}

async function triageRef(deps: DeliveryDeps, ticketId: number): Promise<TriageRef | null> {
  const ref = (await deps.channelRefs.get(ticketId, 'slack')) as Partial<TriageRef> | null;
  return ref?.channel && ref.ts ? { channel: ref.channel, ts: ref.ts } : null;
}

/** The first post; after a crash between posting and recording, a repeat refreshes rather than re-posts. */
async function postOrRefresh(deps: DeliveryDeps, ticket: Ticket): Promise<DeliveryOutcome> {
  if (!deps.triageChannel) return { ok: true };
  const message = triageMessage(ticket);
  const ref = await triageRef(deps, ticket.id);
  if (ref) {
    await deps.api.chat.update({ channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks });
    return { ok: true };
  }
  const res = await deps.api.chat.postMessage({ channel: deps.triageChannel, text: message.text, blocks: message.blocks, unfurl_links: false });
  if (!res.ts) return { ok: false, retryable: true, error: 'chat.postMessage returned no ts' };
  await deps.channelRefs.set(ticket.id, 'slack', { channel: res.channel ?? deps.triageChannel, ts: res.ts });
  return { ok: true };
}

async function updateTriage(deps: DeliveryDeps, item: OutboxItem, ticket: Ticket): Promise<DeliveryOutcome> {
  if (!deps.triageChannel) return { ok: true };
  const ref = await triageRef(deps, ticket.id);
  if (!ref) {
    // The creation post has not gone out yet (it is being retried): keep changes in order behind it.
    return { ok: false, retryable: true, error: 'triage message not posted yet', retryAfterMs: WAIT_FOR_POST_MS };
  }
  const message = triageMessage(ticket);
  await deps.api.chat.update({ channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks });
  await deps.api.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, text: triageLogLine(item.payload), unfurl_links: false });
  return { ok: true };
}

async function slaWarning(deps: DeliveryDeps, ticket: Ticket): Promise<DeliveryOutcome> {
  if (!deps.triageChannel) return { ok: true };
  const ref = await triageRef(deps, ticket.id);
  const text = `:warning: ${ticket.reference} has had no first response and was due ${slackDate(ticket.slaDueAt)}.`;
  // Broadcast to the channel as well: an overdue request should not hide in a thread.
  if (ref) await deps.api.chat.postMessage({ channel: ref.channel, thread_ts: ref.ts, reply_broadcast: true, text });
  else await deps.api.chat.postMessage({ channel: deps.triageChannel, text });
  return { ok: true };
}

async function toRequester(deps: DeliveryDeps, ticket: Ticket, markdown: string): Promise<DeliveryOutcome> {
  const conversation = (ticket.requester.conversation ?? {}) as { channel?: unknown; thread_ts?: unknown };
  // A conversation reference from Slack, or the requester's DM with the app.
  const channel = typeof conversation.channel === 'string' && conversation.channel ? conversation.channel : ticket.requester.userId;
  const threadTs = typeof conversation.thread_ts === 'string' && conversation.thread_ts ? conversation.thread_ts : undefined;
  const m = textMessage(markdown);
  await deps.api.chat.postMessage({ channel, ...(threadTs ? { thread_ts: threadTs } : {}), text: m.text, blocks: m.blocks, unfurl_links: false });
  return { ok: true };
}

function replyText(item: OutboxItem): string {
  const p = item.payload as { reference?: string; text?: string; author?: { name?: string } };
  const who = p.author?.name ? `${p.author.name} (support team)` : 'The support team';
  const quoted = (p.text ?? '')
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
  return `**${who}** replied about **${p.reference ?? 'your request'}**:\n${quoted}`;
}

function statusText(item: OutboxItem): string {
  const p = item.payload as { reference?: string; message?: string; toLabel?: string };
  return p.message ?? `Your request ${p.reference ?? ''} is now ${p.toLabel ?? 'updated'}.`;
}
