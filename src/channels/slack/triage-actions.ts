// The support team's actions on a triage message. Each goes through the ticket service (which
// writes the audit entry and the outbox items that update the message and tell the requester);
// anyone outside the support team gets an ephemeral refusal and nothing changes.
import type { App } from '@slack/bolt';
import { STATUSES, PRIORITIES, type Actor, type Priority, type Ticket, type TicketStatus, type WorkflowResult } from '../../queue/types.js';
import { InputError } from '../../shared/errors.js';
import type { SlackContext } from './context.js';
import type { ModalView, ViewStateValues } from './escalation-form.js';
import { ACTION, FIELD, VIEW, ticketIdFromBlockId } from './ids.js';
import { slackErrorCode } from './slack-api.js';

export const REFUSAL = 'Only members of the support team can act on requests here. Ask a team lead to add you if you should be.';

interface ActionBody {
  user: { id: string; name?: string; username?: string };
  channel?: { id?: string };
  message?: { ts?: string };
  trigger_id?: string;
}

interface ActionPayload {
  block_id?: string;
  value?: string;
  selected_user?: string;
  selected_option?: { value?: string };
}

const actorOf = (user: ActionBody['user']): Actor => ({ id: user.id, ...(user.name || user.username ? { name: user.name ?? user.username } : {}), via: 'slack' });

function ticketIdOf(action: ActionPayload): number | undefined {
  const fromValue = Number(action.value);
  if (Number.isInteger(fromValue) && fromValue > 0) return fromValue;
  return ticketIdFromBlockId(action.block_id);
}

export function registerTriageActions(app: App, ctx: SlackContext): void {
  const tell = async (body: ActionBody, text: string) => {
    const channel = body.channel?.id;
    if (!channel) return;
    await ctx.api.chat.postEphemeral({ channel, user: body.user.id, text }).catch((err: unknown) => {
      ctx.logger.warn('could not send an ephemeral message', { error: slackErrorCode(err) });
    });
  };

  /** Runs one triage action for a support-team member, explaining any expected refusal. */
  const act = (run: (ticketId: number, actor: Actor, action: ActionPayload, body: ActionBody) => Promise<WorkflowResult<Ticket> | 'done'>) =>
    async ({ ack, action, body }: { ack: () => Promise<void>; action: unknown; body: unknown }) => {
      await ack();
      const b = body as ActionBody;
      const a = action as ActionPayload;
      const ticketId = ticketIdOf(a);
      if (!ticketId) return;
      if (!(await ctx.supportTeam.isMember(b.user.id))) {
        ctx.logger.info('slack triage action refused', { user: b.user.id, ticketId });
        await tell(b, REFUSAL);
        return;
      }
      try {
        const result = await run(ticketId, actorOf(b.user), a, b);
        if (result !== 'done' && !result.ok) await tell(b, workflowMessage(result));
      } catch (err) {
        ctx.logger.error('slack triage action failed', { ticketId, error: err instanceof Error ? err : String(err) });
        await tell(b, err instanceof InputError ? err.message : 'That didn’t work because the queue could not be reached. Please try again.');
      }
    };

  const { tickets } = ctx.deps;
  const assigneeNames = new Map<string, string>();
  app.action(ACTION.triageClaim, act((id, actor) => tickets.claim(id, actor)));
  app.action(ACTION.triageResolve, act((id, actor) => tickets.changeStatus(id, 'resolved', actor)));
  app.action(ACTION.triageReopen, act((id, actor) => tickets.reopen(id, actor)));
  app.action(
    ACTION.triageStatus,
    act(async (id, actor, a) => {
      const to = a.selected_option?.value as TicketStatus | undefined;
      if (!to || !STATUSES.includes(to)) return 'done';
      return tickets.changeStatus(id, to, actor);
    }),
  );
  app.action(
    ACTION.triagePriority,
    act(async (id, actor, a) => {
      const p = a.selected_option?.value as Priority | undefined;
      if (!p || !PRIORITIES.includes(p)) return 'done';
      return tickets.setPriority(id, p, actor);
    }),
  );
  app.action(
    ACTION.triageAssign,
    act(async (id, actor, a) => {
      if (!a.selected_user) return 'done';
      return tickets.assign(id, await assigneeOf(ctx, assigneeNames, a.selected_user), actor);
    }),
  );
  app.action(ACTION.triageReply, act(async (id, _actor, _a, b) => openTextForm(ctx, b, id, 'reply')));
  app.action(ACTION.triageNote, act(async (id, _actor, _a, b) => openTextForm(ctx, b, id, 'note')));

  for (const kind of ['reply', 'note'] as const) {
    app.view(kind === 'reply' ? VIEW.triageReply : VIEW.triageNote, async ({ ack, view, body }) => {
      const text = ((view.state.values as ViewStateValues)[FIELD.text]?.['value']?.value ?? '').trim();
      if (!text) {
        await ack({ response_action: 'errors', errors: { [FIELD.text]: 'Write something first.' } });
        return;
      }
      const ticketId = Number(view.private_metadata);
      const user = body.user as ActionBody['user'];
      if (!(await ctx.supportTeam.isMember(user.id))) {
        await ack({ response_action: 'errors', errors: { [FIELD.text]: REFUSAL } });
        return;
      }
      // Support staff can paste identifiers too; nothing is stored or relayed unredacted.
      const clean = ctx.deps.redact(text).text;
      try {
        const result = kind === 'reply' ? await tickets.reply(ticketId, clean, actorOf(user)) : await tickets.addNote(ticketId, clean, actorOf(user));
        if (!result.ok) {
          await ack({ response_action: 'errors', errors: { [FIELD.text]: workflowMessage(result) } });
          return;
        }
        await ack();
      } catch (err) {
        ctx.logger.error('slack triage form failed', { ticketId, kind, error: err instanceof Error ? err : String(err) });
        await ack({ response_action: 'errors', errors: { [FIELD.text]: 'This could not be saved just now. Please try again.' } });
      }
    });
  }
}

async function openTextForm(ctx: SlackContext, body: ActionBody, ticketId: number, kind: 'reply' | 'note'): Promise<'done'> {
  if (!body.trigger_id) return 'done';
  const ticket = await ctx.deps.tickets.get(ticketId);
  if (!ticket) return 'done';
  await ctx.api.views.open({ trigger_id: body.trigger_id, view: textFormView(ticket, kind) });
  return 'done';
}

export function textFormView(ticket: Pick<Ticket, 'id' | 'reference'>, kind: 'reply' | 'note'): ModalView {
  const reply = kind === 'reply';
  return {
    type: 'modal',
    callback_id: reply ? VIEW.triageReply : VIEW.triageNote,
    private_metadata: String(ticket.id),
    title: { type: 'plain_text', text: reply ? `Reply on ${ticket.reference}` : `Note on ${ticket.reference}` },
    submit: { type: 'plain_text', text: reply ? 'Send reply' : 'Add note' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: reply ? 'The requester sees this in the conversation where they asked.' : 'Internal: only the support team sees notes.',
          },
        ],
      },
      {
        type: 'input',
        block_id: FIELD.text,
        label: { type: 'plain_text', text: reply ? 'Reply' : 'Note' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 3000 },
      },
    ],
  };
}

/** The assignee with a display name when Slack will tell us one (cached); the id otherwise. */
async function assigneeOf(ctx: SlackContext, assigneeNames: Map<string, string>, userId: string): Promise<Actor> {
  let name = assigneeNames.get(userId);
  if (!name) {
    try {
      const res = await ctx.api.users.info({ user: userId });
      name = res.user?.profile?.display_name || res.user?.real_name || res.user?.name || undefined;
      if (name) assigneeNames.set(userId, name);
    } catch (err) {
      ctx.logger.debug('users.info failed', { error: slackErrorCode(err) });
    }
  }
  return { id: userId, ...(name ? { name } : {}), via: 'slack' };
}

export function workflowMessage(result: Exclude<WorkflowResult<Ticket>, { ok: true }>): string {
  switch (result.reason) {
    case 'not_found':
      return 'That request no longer exists.';
    case 'already_claimed':
      return `Already claimed by ${result.by.via === 'slack' ? `<@${result.by.id}>` : result.by.name ?? result.by.id}.`;
    case 'invalid_transition':
    case 'conflict':
    case 'forbidden':
      return result.message;
  }
}
