// Where the assistant answers in conversations: @mentions (in the thread), direct messages, and
// follow-ups in a thread it already answered in. Slack acknowledges at once (Bolt acks events
// before listeners run); answering happens in the background, once per message across replicas.
import type { App } from '@slack/bolt';
import { answerQuestion } from './answer-flow.js';
import { runOnce, type BotIdentity, type SlackContext } from './context.js';
import { slackTextToPlain } from './mrkdwn.js';
import { ThreadReplier } from './reply-writer.js';
import { relayToTicket, ticketForThread } from './ticket-threads.js';
import { threadMemory } from './threads.js';

/** The fields of a message or app_mention event this adapter reads. */
export interface IncomingMessage {
  type?: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  channel?: string;
  channel_type?: string;
  team?: string;
}

/** Bots (including this one) and edits, joins, deletions are never answered. */
export function isAnswerable(m: IncomingMessage, me: BotIdentity): boolean {
  if (!m.user || !m.ts || !m.channel) return false;
  if (m.bot_id || m.subtype === 'bot_message') return false;
  if (m.subtype && m.subtype !== 'file_share' && m.subtype !== 'thread_broadcast') return false;
  if (me.botUserId && m.user === me.botUserId) return false;
  return true;
}

/** Keys that make one answer per message: the event itself, and the message (mention + message events). */
export function dedupeKeys(eventId: string | undefined, m: IncomingMessage): string[] {
  const keys = eventId ? [`slack:${eventId}`] : [];
  keys.push(`slack:msg:${m.channel}:${m.ts}`);
  return keys;
}

export function registerMessageEvents(app: App, ctx: SlackContext): void {
  app.event('app_mention', async ({ event, body, context }) => {
    const m = event as IncomingMessage;
    const me = await ctx.identity();
    if (!isAnswerable(m, me)) return;
    noteRetry(ctx, context.retryNum, context.retryReason);
    const threadTs = m.thread_ts ?? m.ts!;
    answerOnce(ctx, body.event_id, m, { threadTs, surface: 'mention', botUserId: me.botUserId ?? context.botUserId, teamId: body.team_id });
  });

  app.event('message', async ({ event, body, context }) => {
    const m = event as IncomingMessage;
    const me = await ctx.identity();
    if (!isAnswerable(m, me)) return;
    noteRetry(ctx, context.retryNum, context.retryReason);
    const botUserId = me.botUserId ?? context.botUserId;

    if (m.channel_type === 'im') {
      // Threads in a DM belong to the assistant panel (Bolt's Assistant takes them first);
      // anything else in a DM is a question answered at the top level.
      answerOnce(ctx, body.event_id, m, { threadTs: m.thread_ts, surface: 'dm', botUserId, teamId: body.team_id });
      return;
    }
    // In channels, only replies in a thread the assistant answered in (or a ticket's thread);
    // mentions come as app_mention.
    if (!m.thread_ts || m.thread_ts === m.ts) return;
    const [known, ticket] = await Promise.all([
      threadMemory(ctx.deps.settings, m.channel!, m.thread_ts).catch(() => null),
      ticketForThread(ctx, m.channel!, m.thread_ts),
    ]);
    if (!known && !ticket) return;
    answerOnce(ctx, body.event_id, m, { threadTs: m.thread_ts, surface: 'thread', botUserId, teamId: body.team_id });
  });
}

function answerOnce(
  ctx: SlackContext,
  eventId: string | undefined,
  m: IncomingMessage,
  where: { threadTs?: string; surface: string; botUserId?: string; teamId?: string },
): void {
  runOnce(ctx, dedupeKeys(eventId, m), where.surface, async () => {
    if (where.surface === 'thread' && (await relayToTicket(ctx, m, where.botUserId))) return;
    const target = { channel: m.channel!, threadTs: where.threadTs, userId: m.user!, teamId: m.team ?? where.teamId };
    const replier = new ThreadReplier(ctx.api, target, ctx.logger, { streaming: ctx.streaming });
    await answerQuestion(
      ctx,
      {
        text: slackTextToPlain(m.text ?? '', where.botUserId),
        userId: m.user!,
        teamId: target.teamId,
        channel: m.channel,
        threadTs: where.threadTs,
        messageTs: m.ts,
        surface: where.surface,
      },
      replier,
    );
  });
}

function noteRetry(ctx: SlackContext, retryNum: number | undefined, retryReason: string | undefined): void {
  // Slack re-sends after a slow or failed ack; the store-backed claim decides, this is for operators.
  if (retryNum) ctx.logger.info('slack event redelivered', { retryNum, retryReason });
}
