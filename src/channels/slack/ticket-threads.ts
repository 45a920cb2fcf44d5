// A requester's conversation that became a ticket. Replies the requester writes there (without
// mentioning the bot) go to the ticket for the support team, not to the knowledge base: the team's
// replies arrive in that thread, and "reply here" must reach them.
import type { SlackContext } from './context.js';
import type { IncomingMessage } from './message-events.js';
import { slackTextToPlain } from './mrkdwn.js';
import { slackErrorCode } from './slack-api.js';

const key = (channel: string, threadTs: string) => `slack:ticket-thread:${channel}:${threadTs}`;

export async function rememberTicketThread(ctx: SlackContext, channel: string, threadTs: string, ticketId: number): Promise<void> {
  await ctx.deps.settings.set(key(channel, threadTs), { ticketId });
}

export async function ticketForThread(ctx: SlackContext, channel: string, threadTs: string): Promise<number | undefined> {
  const value = await ctx.deps.settings.get<{ ticketId?: number }>(key(channel, threadTs)).catch(() => null);
  return typeof value?.ticketId === 'number' ? value.ticketId : undefined;
}

/**
 * Adds the requester's message to their ticket when the thread belongs to one. Resolves false when
 * it does not (or the author is not the requester), so the message is answered as a question.
 */
export async function relayToTicket(ctx: SlackContext, m: IncomingMessage, botUserId: string | undefined): Promise<boolean> {
  if (!m.channel || !m.thread_ts || !m.user) return false;
  // An explicit @mention is a question for the assistant, even in a ticket's thread.
  if (botUserId && (m.text ?? '').includes(`<@${botUserId}>`)) return false;
  const ticketId = await ticketForThread(ctx, m.channel, m.thread_ts);
  if (!ticketId) return false;
  const text = ctx.deps.redact(slackTextToPlain(m.text ?? '', botUserId)).text.trim();
  if (!text) return false;
  const result = await ctx.deps.tickets.addRequesterMessage(ticketId, text, { id: m.user, via: 'slack' });
  if (!result.ok) return false;
  ctx.logger.info('slack requester message added to ticket', { ticketId });
  await ctx.api.chat
    .postEphemeral({ channel: m.channel, thread_ts: m.thread_ts, user: m.user, text: `Added to ${result.value.reference} for the support team.` })
    .catch((err: unknown) => ctx.logger.debug('could not confirm a relayed message', { error: slackErrorCode(err) }));
  return true;
}
