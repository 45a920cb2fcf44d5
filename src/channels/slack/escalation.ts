// Escalation: the button (or `/navigator request`) opens the form; a valid submission becomes a
// ticket through the support-queue service, and the requester is told the reference in the
// conversation. A failed save is said plainly: never a confirmation for a ticket that does not exist.
import type { App } from '@slack/bolt';
import type { Citation, Turn } from '../../core/types.js';
import type { CreateResult, NewTicketInput } from '../../queue/types.js';
import { textMessage } from './answer-blocks.js';
import { runInBackground, type SlackContext } from './context.js';
import { decodeEscalationContext, decodeFormMetadata, type EscalationContext } from './escalation-context.js';
import { confirmationView, escalationView, parseEscalation, type EscalationSubmission, type ViewStateValues } from './escalation-form.js';
import { ACTION, FIELD, VIEW } from './ids.js';
import { slackErrorCode } from './slack-api.js';
import { rememberTicketThread } from './ticket-threads.js';
import { threadHistory, threadMemory } from './threads.js';

/** How long the submission waits for the store before answering Slack (which allows 3 s). */
const SAVE_WAIT_MS = 2200;

export async function openEscalationForm(ctx: SlackContext, triggerId: string, escalation: EscalationContext): Promise<void> {
  await ctx.api.views.open({ trigger_id: triggerId, view: escalationView(escalation) });
}

export function registerEscalation(app: App, ctx: SlackContext): void {
  app.action(ACTION.requestHelp, async ({ ack, action, body }) => {
    await ack();
    const value = (action as { value?: string }).value;
    const triggerId = (body as { trigger_id?: string }).trigger_id;
    if (!triggerId) return;
    await openEscalationForm(ctx, triggerId, decodeEscalationContext(value)).catch((err: unknown) => {
      ctx.logger.warn('could not open the escalation form', { error: slackErrorCode(err) });
    });
  });

  app.view(VIEW.escalation, async ({ ack, view, body }) => {
    const parsed = parseEscalation(view.state.values as ViewStateValues);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    const user = body.user as { id: string; name?: string; username?: string };
    const where = decodeFormMetadata(view.private_metadata);
    // Without a conversation (a slash command outside a thread) the requester hears back by DM.
    const conversation = where.channel ? { channel: where.channel, ...(where.threadTs ? { thread_ts: where.threadTs } : {}) } : { channel: user.id };

    const saving = createTicket(ctx, { user, where, conversation, form: parsed.value });
    const outcome = await Promise.race([
      saving.then((r) => ({ kind: 'saved' as const, result: r }), (err: unknown) => ({ kind: 'failed' as const, err })),
      new Promise<{ kind: 'slow' }>((resolve) => setTimeout(() => resolve({ kind: 'slow' }), SAVE_WAIT_MS).unref()),
    ]);

    if (outcome.kind === 'saved') {
      const { ticket } = outcome.result;
      await ack({ response_action: 'update', view: confirmationView(ticket.reference, outcome.result.kind === 'linked_duplicate') });
      runInBackground(ctx, 'escalation confirmation', () => confirm(ctx, conversation, outcome.result));
      return;
    }
    if (outcome.kind === 'failed') {
      ctx.logger.error('could not save a slack escalation', { error: outcome.err instanceof Error ? outcome.err : String(outcome.err) });
      await ack({ response_action: 'errors', errors: { [FIELD.summary]: 'We couldn’t save your request just now. Please try again in a minute.' } });
      return;
    }
    // Slow store: keep the form open with an honest note, and report the real outcome in the conversation.
    await ack({ response_action: 'errors', errors: { [FIELD.summary]: 'Saving is taking longer than usual. You’ll get a message with your reference once it is saved; if not, please try again.' } });
    runInBackground(ctx, 'slow escalation', async () => {
      try {
        await confirm(ctx, conversation, await saving);
      } catch (err) {
        ctx.logger.error('could not save a slack escalation', { error: err instanceof Error ? err : String(err) });
        await postTo(ctx, conversation, 'Sorry, your request for hands-on help could not be saved. Please try again.');
      }
    });
  });
}

interface CreateArgs {
  user: { id: string; name?: string; username?: string };
  where: Pick<EscalationContext, 'channel' | 'threadTs'>;
  conversation: { channel: string; thread_ts?: string };
  form: EscalationSubmission;
}

async function createTicket(ctx: SlackContext, args: CreateArgs): Promise<CreateResult> {
  const { deps } = ctx;
  const { form, user, where } = args;
  const summary = deps.redact(form.summary);
  const details = deps.redact(form.details);
  const orgName = deps.redact(form.orgName);
  const [turns, citations] = await Promise.all([
    form.consentToShare ? sharedConversation(ctx, where) : Promise.resolve<Turn[]>([]),
    relatedSources(ctx, where),
  ]);
  const displayName = user.name ?? user.username;
  const input: NewTicketInput = {
    requester: { platform: 'slack', userId: user.id, ...(displayName ? { displayName } : {}), conversation: args.conversation },
    orgType: form.orgType,
    orgName: orgName.text,
    category: form.category,
    priority: form.priority,
    deadline: form.deadline,
    summary: summary.text,
    details: details.text,
    conversation: turns,
    citations,
    consentToShare: form.consentToShare,
  };
  const result = await deps.tickets.create(input, { id: user.id, ...(displayName ? { name: displayName } : {}), via: 'slack' });
  if (args.conversation.thread_ts) {
    await rememberTicketThread(ctx, args.conversation.channel, args.conversation.thread_ts, result.ticket.id).catch((err: unknown) =>
      ctx.logger.warn('could not remember the ticket thread', { error: err instanceof Error ? err.message : String(err) }),
    );
  }
  deps.metrics.tickets.inc({ event: result.kind === 'created' ? 'created' : 'linked_duplicate' });
  ctx.logger.info('slack escalation saved', { reference: result.ticket.reference, kind: result.kind, consent: form.consentToShare });
  return result;
}

/** The thread, redacted turn by turn, only when the requester agreed to share it. */
async function sharedConversation(ctx: SlackContext, where: Pick<EscalationContext, 'channel' | 'threadTs'>): Promise<Turn[]> {
  if (!where.channel || !where.threadTs) return [];
  const me = await ctx.identity();
  try {
    const turns = await threadHistory(ctx.api, { channel: where.channel, threadTs: where.threadTs, botUserId: me.botUserId, botId: me.botId, maxTurns: 30 });
    return turns.map((t) => ({ role: t.role, text: ctx.deps.redact(t.text).text }));
  } catch (err) {
    ctx.logger.warn('could not read the conversation for an escalation', { error: slackErrorCode(err) });
    return [];
  }
}

async function relatedSources(ctx: SlackContext, where: Pick<EscalationContext, 'channel' | 'threadTs'>): Promise<Citation[]> {
  if (!where.channel || !where.threadTs) return [];
  const memory = await threadMemory(ctx.deps.settings, where.channel, where.threadTs).catch(() => null);
  return memory?.citations ?? [];
}

async function confirm(ctx: SlackContext, conversation: { channel: string; thread_ts?: string }, result: CreateResult): Promise<void> {
  const ref = result.ticket.reference;
  const text =
    result.kind === 'linked_duplicate'
      ? `This looks like your earlier request **${ref}**, so I added your new details to it. The support team will reply here.`
      : `Thanks, your request **${ref}** is with the support team. They will reply in this conversation, and I’ll let you know when its status changes.`;
  await postTo(ctx, conversation, text);
}

async function postTo(ctx: SlackContext, conversation: { channel: string; thread_ts?: string }, markdown: string): Promise<void> {
  const m = textMessage(markdown);
  await ctx.api.chat.postMessage({ channel: conversation.channel, ...(conversation.thread_ts ? { thread_ts: conversation.thread_ts } : {}), text: m.text, blocks: m.blocks });
}
