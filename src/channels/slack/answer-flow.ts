// The one use case every Slack surface shares: take a question, ask the core, render the result.
// Mentions, DMs, thread follow-ups, the assistant panel and the slash command differ only in
// where the question comes from and where the answer goes (a Replier).
import { randomUUID } from 'node:crypto';
import type { Turn } from '../../core/types.js';
import { rateLimitText } from '../../guard/rate-limit.js';
import { renderAnswer, textMessage } from './answer-blocks.js';
import type { SlackContext } from './context.js';
import type { EscalationContext } from './escalation-context.js';
import type { Replier } from './reply-writer.js';
import { slackErrorCode } from './slack-api.js';
import { rememberThread, threadHistory } from './threads.js';
import { USAGE } from './usage.js';

export interface SlackQuestion {
  /** Plain text, mentions of the bot removed. */
  text: string;
  userId: string;
  teamId?: string;
  /** Where the conversation lives; absent for a slash command (the answer goes to response_url). */
  channel?: string;
  /** The thread to read history from and to remember as answered. */
  threadTs?: string;
  /** The user's message, excluded from the history. */
  messageTs?: string;
  /** 'mention' | 'dm' | 'thread' | 'assistant' | 'command', for logs and metrics only. */
  surface: string;
  assistant?: {
    setStatus(status: string): Promise<unknown>;
    setTitle(title: string): Promise<unknown>;
  };
}

export async function answerQuestion(ctx: SlackContext, q: SlackQuestion, replier: Replier): Promise<void> {
  const { deps, logger } = ctx;
  const verdict = await deps.rateLimiter.take(`slack:${q.userId}`);
  if (!verdict.allowed) {
    deps.metrics.rateLimited.inc({ channel: 'slack' });
    await replier.finish([textMessage(rateLimitText(verdict.retryAfterMs))]);
    return;
  }
  if (!q.text.trim()) {
    await replier.finish([textMessage(USAGE)]);
    return;
  }
  const question = q.text.slice(0, deps.config.limits.maxQuestionChars);
  const started = Date.now();

  const history = await readHistory(ctx, q);
  if (q.assistant) {
    await q.assistant.setStatus('Searching guidance…').catch((err: unknown) => logger.debug('slack setStatus failed', { error: slackErrorCode(err) }));
    if (!history.some((t) => t.role === 'user')) {
      await q.assistant.setTitle(question.slice(0, 60)).catch((err: unknown) => logger.debug('slack setTitle failed', { error: slackErrorCode(err) }));
    }
  }

  let result;
  try {
    result = await ctx.answers.run(() =>
      deps.navigator.ask(
        {
          question,
          history,
          requester: { platform: 'slack', userId: q.userId, ...(q.channel ? { conversation: { channel: q.channel, thread_ts: q.threadTs } } : {}) },
        },
        replier.onToken ? { onToken: replier.onToken } : {},
      ),
    );
  } catch (err) {
    logger.error('slack answer failed', { surface: q.surface, error: err instanceof Error ? err : String(err) });
    await replier.finish([textMessage('Sorry, something went wrong while I was looking that up. Please try again in a moment.')]);
    return;
  }

  const escalation: EscalationContext = {
    channel: q.channel,
    threadTs: q.threadTs,
    category: result.meta.suggestedCategory as EscalationContext['category'],
    question: result.meta.redactedQuestion,
  };
  await replier.finish(renderAnswer(result, { answerId: randomUUID().slice(0, 12), escalation }));
  logger.info('slack answered', { surface: q.surface, route: result.route, ms: Date.now() - started, historyTurns: history.length });

  if (q.channel && q.threadTs) {
    await rememberThread(deps.settings, q.channel, q.threadTs, {
      category: escalation.category,
      citations: result.citations,
    }).catch((err: unknown) => logger.warn('could not remember the slack thread', { error: err instanceof Error ? err.message : String(err) }));
  }
}

async function readHistory(ctx: SlackContext, q: SlackQuestion): Promise<Turn[]> {
  if (!q.channel || !q.threadTs || q.threadTs === q.messageTs) return [];
  const me = await ctx.identity();
  try {
    return await threadHistory(ctx.api, { channel: q.channel, threadTs: q.threadTs, excludeTs: q.messageTs, botUserId: me.botUserId, botId: me.botId });
  } catch (err) {
    // Answering without context beats not answering.
    ctx.logger.warn('could not read the slack thread history', { error: slackErrorCode(err) });
    return [];
  }
}
