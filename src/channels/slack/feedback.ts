// Helpful / not helpful on answers, stored for analytics: who, which route and the rating, never
// the answer text. "Not helpful" asks for an optional reason in a small modal; closing it still
// records the rating, so each click counts exactly once.
import type { App } from '@slack/bolt';
import { ROUTES, type Route } from '../../core/types.js';
import type { SlackContext } from './context.js';
import { FIELD, ACTION, VIEW } from './ids.js';
import { slackErrorCode } from './slack-api.js';
import type { ModalView } from './escalation-form.js';
import type { ViewStateValues } from './escalation-form.js';

export interface FeedbackValue {
  rating: 'helpful' | 'not_helpful';
  route: Route;
  answerId: string;
}

export function parseFeedbackValue(value: string | undefined): FeedbackValue | undefined {
  const [rating, route, answerId] = (value ?? '').split('|');
  if (rating !== 'helpful' && rating !== 'not_helpful') return undefined;
  if (!ROUTES.includes(route as Route) || !answerId || answerId.length > 64) return undefined;
  return { rating, route: route as Route, answerId };
}

const REASONS = [
  ['wrong', 'It was wrong or out of date'],
  ['not_relevant', 'It didn’t answer my question'],
  ['incomplete', 'It was incomplete'],
  ['sources', 'The sources didn’t support it'],
  ['other', 'Something else'],
] as const;

export function feedbackReasonView(value: FeedbackValue): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.feedbackReason,
    notify_on_close: true,
    private_metadata: JSON.stringify(value),
    title: { type: 'plain_text', text: 'Thanks for the feedback' },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Skip' },
    blocks: [
      {
        type: 'input',
        block_id: FIELD.reason,
        optional: true,
        label: { type: 'plain_text', text: 'What went wrong? (optional)' },
        element: {
          type: 'radio_buttons',
          action_id: 'value',
          options: REASONS.map(([v, label]) => ({ text: { type: 'plain_text', text: label }, value: v })),
        },
      },
    ],
  };
}

export function registerFeedback(app: App, ctx: SlackContext): void {
  const record = async (userId: string, value: FeedbackValue, reason: string | null) => {
    await ctx.deps.feedback.record({ platform: 'slack', userId, route: value.route, rating: value.rating, reason, answerId: value.answerId });
    ctx.deps.metrics.feedback.inc({ rating: value.rating });
  };

  app.action(ACTION.feedback, async ({ ack, action, body }) => {
    await ack();
    const value = parseFeedbackValue((action as { value?: string }).value);
    const userId = body.user.id;
    if (!value) return;
    if (value.rating === 'not_helpful' && 'trigger_id' in body && body.trigger_id) {
      try {
        await ctx.api.views.open({ trigger_id: body.trigger_id, view: feedbackReasonView(value) });
        return;
      } catch (err) {
        ctx.logger.debug('could not open the feedback form; recording without a reason', { error: slackErrorCode(err) });
      }
    }
    await record(userId, value, null);
    const channel = (body as { channel?: { id?: string } }).channel?.id;
    const threadTs = (body as { message?: { thread_ts?: string } }).message?.thread_ts;
    if (channel) {
      await ctx.api.chat
        .postEphemeral({ channel, user: userId, ...(threadTs ? { thread_ts: threadTs } : {}), text: 'Thanks for the feedback.' })
        .catch(() => undefined);
    }
  });

  app.view(VIEW.feedbackReason, async ({ ack, view, body }) => {
    await ack();
    const value = parseFeedbackValue(metadataValue(view.private_metadata));
    if (!value) return;
    const picked = (view.state.values as ViewStateValues)[FIELD.reason]?.['value']?.selected_option?.value ?? null;
    const reason = REASONS.some(([v]) => v === picked) ? picked : null;
    await record(body.user.id, value, reason);
  });

  app.view({ callback_id: VIEW.feedbackReason, type: 'view_closed' }, async ({ ack, view, body }) => {
    await ack();
    const value = parseFeedbackValue(metadataValue(view.private_metadata));
    if (value) await record(body.user.id, value, null);
  });
}

function metadataValue(privateMetadata: string | undefined): string | undefined {
  try {
    const v = JSON.parse(privateMetadata ?? '') as Partial<FeedbackValue>;
    return `${v.rating}|${v.route}|${v.answerId}`;
  } catch {
    return undefined;
  }
}
