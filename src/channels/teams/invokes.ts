// Invoke activities, answered in the HTTP response: the native feedback buttons
// (`message/submitAction`) and every card button (`adaptiveCard/action`, Universal Actions). A
// card from an older version, or with data we no longer understand, gets the current card back
// instead of an error.
import type { InvokeResponse, TurnContext } from 'botbuilder';
import type { Route } from '../../core/types.js';
import { ROUTES } from '../../core/types.js';
import { answerQuestion } from './ask-flow.js';
import { attachment, VERB } from './card-kit.js';
import { conversationReference, errorFields, isPersonal, userOf, type TeamsContext } from './context.js';
import { decodeContext } from './escalation-context.js';
import { postEscalationForm, submitEscalation } from './escalation.js';
import { cardBody, errorBody, messageBody, type CardActionBody } from './invoke-response.js';
import { myRequestsCard, PRIVATE_REQUESTS } from './requester-cards.js';
import { renderTriageCard, TRIAGE_VERBS, triageAction } from './triage-actions.js';
import { welcomeCard } from './welcome-card.js';

export async function handleInvoke(t: TeamsContext, ctx: TurnContext): Promise<void> {
  // Messages sent while handling a card action belong next to that card, not under the invoke.
  const cardMessageId = ctx.activity.replyToId;
  ctx.onSendActivities(async (_c, activities, next) => {
    for (const a of activities) {
      if (a.type === 'invokeResponse') continue;
      if (cardMessageId) a.replyToId = cardMessageId;
      else delete a.replyToId;
    }
    return next();
  });

  let response: InvokeResponse;
  try {
    response = await dispatch(t, ctx);
  } catch (err) {
    t.logger.error('teams invoke failed', { name: ctx.activity.name, ...errorFields(err) });
    response = ctx.activity.name === 'adaptiveCard/action'
      ? { status: 200, body: errorBody(500, 'InternalError', 'Something went wrong on our side. Please try again.') }
      : { status: 500 };
  }
  await ctx.sendActivity({ type: 'invokeResponse', value: response });
}

async function dispatch(t: TeamsContext, ctx: TurnContext): Promise<InvokeResponse> {
  switch (ctx.activity.name) {
    case 'message/submitAction':
      return feedbackLoop(t, ctx);
    case 'adaptiveCard/action':
      return { status: 200, body: await cardAction(t, ctx) };
    default:
      // Not something this app declares (task modules, message extensions…).
      return { status: 501 };
  }
}

/** Teams' own thumbs up/down under an AI answer; the optional comment is redacted before storing. */
async function feedbackLoop(t: TeamsContext, ctx: TurnContext): Promise<InvokeResponse> {
  const value = (ctx.activity.value ?? {}) as { actionName?: unknown; actionValue?: { reaction?: unknown; feedback?: unknown } };
  if (value.actionName !== 'feedback') return { status: 200 };
  const reaction = value.actionValue?.reaction;
  if (reaction !== 'like' && reaction !== 'dislike') return { status: 400, body: { error: 'reaction must be like or dislike' } };
  const rating = reaction === 'like' ? 'helpful' : 'not_helpful';
  const answerId = ctx.activity.replyToId ?? null;
  await t.deps.feedback.record({
    platform: 'teams',
    userId: userOf(ctx.activity).id,
    route: t.memory.routeOf(answerId ?? undefined) ?? 'answer',
    rating,
    reason: feedbackText(t, value.actionValue?.feedback),
    answerId,
  });
  t.deps.metrics.feedback.inc({ rating });
  return { status: 200 };
}

/** The feedback form's text arrives as a JSON string ({"feedbackText": "…"}); never stored unredacted. */
function feedbackText(t: TeamsContext, raw: unknown): string | null {
  let text: unknown = raw;
  if (typeof raw === 'string') {
    try {
      text = (JSON.parse(raw) as { feedbackText?: unknown }).feedbackText;
    } catch {
      text = raw;
    }
  }
  if (typeof text !== 'string' || !text.trim()) return null;
  return t.deps.redact(text.trim()).text.slice(0, 200);
}

async function cardAction(t: TeamsContext, ctx: TurnContext): Promise<CardActionBody> {
  const value = (ctx.activity.value ?? {}) as { action?: { verb?: unknown; data?: unknown } };
  const verb = typeof value.action?.verb === 'string' ? value.action.verb : '';
  const data = (typeof value.action?.data === 'object' && value.action.data !== null ? value.action.data : {}) as Record<string, unknown>;

  if (TRIAGE_VERBS.has(verb)) return triageAction(t, ctx, verb, data);
  switch (verb) {
    case VERB.feedback:
      return cardFeedback(t, ctx, data);
    case VERB.requestHelp:
      await postEscalationForm(t, ctx, decodeContext(data));
      return messageBody('Here is a request form, prefilled from our conversation. Check it and press “Send request”.');
    case VERB.submitEscalation:
      return submitEscalation(t, ctx, data);
    case VERB.ask:
      return askFromCard(t, ctx, data);
    case VERB.myRequests:
      if (!isPersonal(ctx.activity)) return messageBody(PRIVATE_REQUESTS);
      await ctx.sendActivity({ type: 'message', attachments: [attachment(myRequestsCard(await t.deps.tickets.listForRequester('teams', userOf(ctx.activity).id)))] });
      return messageBody('Here are your requests.');
    case VERB.requesterReply:
      return requesterReply(t, ctx, data);
    case VERB.help:
      return cardBody(welcomeCard().content);
    default:
      return staleCard(t, data);
  }
}

async function cardFeedback(t: TeamsContext, ctx: TurnContext, data: Record<string, unknown>): Promise<CardActionBody> {
  const rating = data.rating === 'helpful' || data.rating === 'not_helpful' ? data.rating : undefined;
  if (!rating) return errorBody(400, 'BadRequest', 'That feedback button is not recognised.');
  const route: Route = ROUTES.includes(data.route as Route) ? (data.route as Route) : 'answer';
  await t.deps.feedback.record({ platform: 'teams', userId: userOf(ctx.activity).id, route, rating, answerId: ctx.activity.replyToId ?? null });
  t.deps.metrics.feedback.inc({ rating });
  return messageBody('Thanks for the feedback.');
}

/** A suggested question: acknowledged at once, answered in the background (answers can take a while). */
function askFromCard(t: TeamsContext, ctx: TurnContext, data: Record<string, unknown>): CardActionBody {
  const question = typeof data.question === 'string' ? data.question.trim().slice(0, t.deps.config.limits.maxQuestionChars) : '';
  if (!question) return messageBody('Send me your question and I’ll look it up.');
  const ref = conversationReference(ctx.activity);
  if (ctx.activity.replyToId) ref.activityId = ctx.activity.replyToId;
  void t.deps.track(
    t.adapter
      // The continuation turn's sender is the reference's user: the person who pressed the button.
      .proactive(ref, (proactive) => answerQuestion(t, proactive, question))
      .catch((err: unknown) => t.logger.error('teams suggested question failed', errorFields(err))),
  );
  return messageBody('Looking that up now…');
}

async function requesterReply(t: TeamsContext, ctx: TurnContext, data: Record<string, unknown>): Promise<CardActionBody> {
  const ticketId = Number(data.ticketId);
  const text = t.deps.redact(String(data.text ?? '').trim()).text;
  if (!Number.isInteger(ticketId) || !text) return messageBody('Write your reply first.');
  const user = userOf(ctx.activity);
  const result = await t.deps.tickets.addRequesterMessage(ticketId, text, { id: user.id, ...(user.name ? { name: user.name } : {}), via: 'teams' });
  if (!result.ok) return messageBody(result.reason === 'forbidden' || result.reason === 'not_found' ? 'Only the person who sent this request can reply to it.' : 'Your reply could not be added; please try again.');
  return messageBody(`Sent to the support team (${result.value.reference}).`);
}

/** A card this version does not understand: show the current card for its ticket, or the help card. */
async function staleCard(t: TeamsContext, data: Record<string, unknown>): Promise<CardActionBody> {
  const ticketId = Number(data.ticketId);
  // Only a triage card is answered with a triage card: a requester's stale card must not reveal one.
  if (data.surface === 'triage' && Number.isInteger(ticketId) && ticketId > 0) {
    const ticket = await t.deps.tickets.get(ticketId);
    if (ticket) return cardBody(await renderTriageCard(t, ticket, { text: 'This card was out of date; here is the request as it stands now.', tone: 'Warning' }));
  }
  return cardBody(welcomeCard({ notice: 'That card was from an older version of the app; here is what I can do now.' }).content);
}
