// `/navigator`: a question (answered privately through the command's response_url), `help`,
// `request` (the escalation form) and `my-requests` (the requester's tickets and their status).
import type { App } from '@slack/bolt';
import { CATEGORY_LABELS, STATUS_LABELS, type Ticket } from '../../queue/types.js';
import { answerQuestion } from './answer-flow.js';
import { mrkdwnMessage, textMessage } from './answer-blocks.js';
import { runInBackground, runOnce, type SlackContext } from './context.js';
import { openEscalationForm } from './escalation.js';
import { escapeMrkdwn, slackTextToPlain, truncate } from './mrkdwn.js';
import { ResponseUrlReplier } from './reply-writer.js';
import { slackErrorCode } from './slack-api.js';
import { slackDate } from './triage-message.js';
import { USAGE } from './usage.js';

export const COMMAND = '/navigator';

export type Subcommand = { kind: 'help' } | { kind: 'request' } | { kind: 'my-requests' } | { kind: 'question'; text: string };

export function parseSubcommand(text: string): Subcommand {
  const trimmed = text.trim();
  const word = trimmed.split(/\s+/)[0]?.toLowerCase() ?? '';
  if (!trimmed || word === 'help' || word === '?') return { kind: 'help' };
  if (trimmed.split(/\s+/).length === 1 && (word === 'request' || word === 'escalate')) return { kind: 'request' };
  if (/^my[-_ ]?requests$/i.test(trimmed)) return { kind: 'my-requests' };
  return { kind: 'question', text: trimmed };
}

export function registerSlashCommand(app: App, ctx: SlackContext): void {
  app.command(COMMAND, async ({ command, ack, respond, body }) => {
    const sub = parseSubcommand(command.text ?? '');
    switch (sub.kind) {
      case 'help': {
        const m = textMessage(USAGE);
        await ack({ response_type: 'ephemeral', text: m.text, blocks: m.blocks });
        return;
      }
      case 'request': {
        await ack();
        await openEscalationForm(ctx, command.trigger_id, {}).catch(async (err: unknown) => {
          ctx.logger.warn('could not open the escalation form', { error: slackErrorCode(err) });
          await respond({ response_type: 'ephemeral', text: 'Sorry, I couldn’t open the request form. Please try again.' });
        });
        return;
      }
      case 'my-requests': {
        await ack();
        runInBackground(ctx, 'my-requests', async () => {
          const tickets = await ctx.deps.tickets.listForRequester('slack', command.user_id);
          const m = mrkdwnMessage(myRequestsMrkdwn(tickets));
          await respond({ response_type: 'ephemeral', text: m.text, blocks: m.blocks });
        });
        return;
      }
      case 'question': {
        await ack({ response_type: 'ephemeral', text: ':mag: Searching guidance…' });
        // A command has no event id; Slack does not retry commands, but a double submit should not answer twice.
        const key = `slack:cmd:${command.trigger_id ?? `${command.user_id}:${Date.now()}`}`;
        runOnce(ctx, [key], 'command', async () => {
          await answerQuestion(
            ctx,
            { text: slackTextToPlain(sub.text), userId: command.user_id, teamId: (body as { team_id?: string }).team_id, surface: 'command' },
            new ResponseUrlReplier((message) => respond(message)),
          );
        });
        return;
      }
    }
  });
}

/** Mrkdwn (not Markdown): it carries Slack date tokens, which Markdown conversion would escape. */
export function myRequestsMrkdwn(tickets: Ticket[]): string {
  if (tickets.length === 0) return 'You have no requests for hands-on help yet. Use `/navigator request` to make one.';
  const lines = tickets.slice(0, 20).map((t) => {
    const summary = escapeMrkdwn(truncate(t.summary.replace(/\s+/g, ' '), 80));
    return `• *${t.reference}* · ${STATUS_LABELS[t.status]} · ${CATEGORY_LABELS[t.category]} · opened ${slackDate(t.createdAt)}\n      ${summary}`;
  });
  const more = tickets.length > 20 ? `\n…and ${tickets.length - 20} older requests.` : '';
  return `*Your requests*\n${lines.join('\n')}${more}`;
}
