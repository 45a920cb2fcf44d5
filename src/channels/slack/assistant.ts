// Slack's AI-app surface (the assistant panel) through Bolt's Assistant: suggested prompts when a
// thread starts, a status while working, a title, then the same answer as everywhere else.
import { Assistant } from '@slack/bolt';
import { answerQuestion } from './answer-flow.js';
import { runOnce, type SlackContext } from './context.js';
import { isAnswerable, dedupeKeys, type IncomingMessage } from './message-events.js';
import { slackTextToPlain } from './mrkdwn.js';
import { ThreadReplier } from './reply-writer.js';
import { slackErrorCode } from './slack-api.js';
import { relayToTicket } from './ticket-threads.js';
import { GREETING, SUGGESTED_PROMPTS } from './usage.js';

export function createAssistant(ctx: SlackContext): Assistant {
  return new Assistant({
    threadStarted: async ({ event, body, setSuggestedPrompts }) => {
      const thread = (event as { assistant_thread?: { channel_id?: string; thread_ts?: string } }).assistant_thread;
      const eventId = (body as { event_id?: string }).event_id;
      if (!thread?.channel_id || !thread.thread_ts) return;
      runOnce(ctx, [`slack:${eventId ?? `thread:${thread.channel_id}:${thread.thread_ts}`}`], 'assistant_thread_started', async () => {
        await ctx.api.chat.postMessage({ channel: thread.channel_id!, thread_ts: thread.thread_ts!, text: GREETING });
        await setSuggestedPrompts({ prompts: SUGGESTED_PROMPTS, title: 'Try asking' }).catch((err: unknown) => {
          ctx.logger.warn('slack setSuggestedPrompts failed', { error: slackErrorCode(err) });
        });
      });
    },
    // The answer does not depend on which channel the user is looking at, so context changes are
    // acknowledged and not stored (the default store would rewrite the greeting on every change).
    threadContextChanged: async () => undefined,
    userMessage: async ({ message, body, context, setStatus, setTitle }) => {
      const m = message as IncomingMessage;
      const me = await ctx.identity();
      if (!isAnswerable(m, me) || !m.thread_ts) return;
      const eventId = (body as { event_id?: string }).event_id;
      const teamId = m.team ?? (body as { team_id?: string }).team_id;
      const botUserId = me.botUserId ?? context.botUserId;
      runOnce(ctx, dedupeKeys(eventId, m), 'assistant', async () => {
        if (await relayToTicket(ctx, m, botUserId)) return;
        const target = { channel: m.channel!, threadTs: m.thread_ts, userId: m.user!, teamId };
        await answerQuestion(
          ctx,
          {
            text: slackTextToPlain(m.text ?? '', botUserId),
            userId: m.user!,
            teamId,
            channel: m.channel,
            threadTs: m.thread_ts,
            messageTs: m.ts,
            surface: 'assistant',
            assistant: { setStatus: (s) => setStatus(s), setTitle: (t) => setTitle(t) },
          },
          new ThreadReplier(ctx.api, target, ctx.logger, { streaming: ctx.streaming }),
        );
      });
    },
  });
}
