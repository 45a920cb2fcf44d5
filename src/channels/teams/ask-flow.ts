// Answering a question in Teams: rate limit, typing indicator (or, in a one-to-one chat with a
// language model, Teams streaming), the core's answer, then the rendered reply. The only text
// remembered is the redacted question and the answer.
import type { Activity, TurnContext } from 'botbuilder';
import type { AskOptions, AskResult } from '../../core/types.js';
import { rateLimitText } from '../../guard/rate-limit.js';
import { CATEGORIES, type Category } from '../../queue/types.js';
import { renderAnswer } from './answer-render.js';
import { errorFields, isPersonal, userOf, type TeamsContext } from './context.js';
import { TeamsStream } from './streaming.js';

const TYPING_EVERY_MS = 3000;

export async function answerQuestion(t: TeamsContext, ctx: TurnContext, question: string): Promise<void> {
  const { deps } = t;
  const activity = ctx.activity;
  const user = userOf(activity);
  const conversationId = activity.conversation.id;

  if (!question) {
    await ctx.sendActivity('What would you like to know? For example: “ask what is a DPIA?”');
    return;
  }
  if (question.length > deps.config.limits.maxQuestionChars) {
    await ctx.sendActivity(
      `That message is too long for me (${question.length.toLocaleString('en-GB')} characters; the limit is ${deps.config.limits.maxQuestionChars.toLocaleString('en-GB')}). Please shorten it, or use “request help” to send the details to the support team.`,
    );
    return;
  }
  const verdict = await deps.rateLimiter.take(`teams:${user.id}`);
  if (!verdict.allowed) {
    deps.metrics.rateLimited.inc({ channel: 'teams' });
    await ctx.sendActivity(rateLimitText(verdict.retryAfterMs));
    return;
  }

  const streaming = isPersonal(activity) && deps.config.llm.provider !== 'none';
  const stream = streaming ? new TeamsStream((a) => ctx.sendActivity(a), { intervalMs: t.streamIntervalMs }) : undefined;
  let typing: NodeJS.Timeout | undefined;
  const options: AskOptions = {};
  if (stream) {
    await stream.informative('Searching guidance…');
    options.onStatus = (s) => void stream.informative(s);
    options.onToken = (token) => stream.append(token);
  } else {
    await ctx.sendActivity({ type: 'typing' });
    // Teams hides the indicator after a few seconds; keep it up while a slow answer is written.
    typing = setInterval(() => {
      try {
        void ctx.sendActivity({ type: 'typing' }).catch(() => undefined);
      } catch {
        // The turn has ended (its context is revoked): nothing left to indicate.
        clearInterval(typing);
      }
    }, TYPING_EVERY_MS);
  }

  let result: AskResult;
  try {
    result = await deps.navigator.ask(
      { question, history: t.memory.history(conversationId), requester: { platform: 'teams', userId: user.id, ...(user.name ? { displayName: user.name } : {}) } },
      options,
    );
  } catch (err) {
    clearInterval(typing);
    t.logger.error('teams answer failed', errorFields(err));
    const sorry: Partial<Activity> = { type: 'message', text: 'Sorry, something went wrong while I was looking that up. Please try again in a moment.' };
    await (stream ? stream.finish(sorry) : ctx.sendActivity(sorry));
    return;
  }
  clearInterval(typing);

  const messages = renderAnswer(result);
  const ids: string[] = [];
  for (const [i, message] of messages.entries()) {
    const res = i === 0 && stream ? await stream.finish(message) : await ctx.sendActivity(message);
    if (res?.id) ids.push(res.id);
  }
  for (const id of ids) t.memory.rememberRoute(id, result.route);
  if (result.route !== 'smalltalk') {
    const category = CATEGORIES.includes(result.meta.suggestedCategory as Category) ? (result.meta.suggestedCategory as Category) : undefined;
    t.memory.remember(conversationId, { question: result.meta.redactedQuestion, answer: result.answer, category, citations: result.citations });
  }
  t.logger.info('teams answer sent', { route: result.route, parts: messages.length, streamed: Boolean(stream), conversationType: activity.conversation.conversationType ?? 'unknown' });
}
